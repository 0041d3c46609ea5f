import { Cidr, overlaps, parseCidr, subnets } from "./cidr";
import type { Slots } from "./parse";
import type { ClusterConfig, NetworkConfig } from "./schema";

/** The network settings with every pool resolved (the LB pool's default depends on `kind.hostSlot`). */
export type ResolvedNetwork = NetworkConfig & { pools: Required<NetworkConfig["pools"]> };
import type { Problem } from "./problem";

/** The kinds of range a cluster owns; `pool` names the pool auto-allocation draws from. */
export type RangeField = "podCidr" | "serviceCidr" | "vpcCidr" | "lbCidr";
const POOL: Record<RangeField, keyof NetworkConfig["pools"]> = {
  podCidr: "pod",
  serviceCidr: "service",
  vpcCidr: "vpc",
  lbCidr: "lb",
};

/** Which ranges a cluster owns, by provider (EKS pods live in the VPC). */
export function rangeFields(cluster: ClusterConfig): RangeField[] {
  return cluster.provider === "kind" ? ["podCidr", "serviceCidr", "lbCidr"] : ["vpcCidr", "serviceCidr"];
}

/** A resolved range of one cluster, with the config key that sets it. */
export interface Range {
  readonly key: string;
  readonly cluster: string;
  readonly field: RangeField;
  readonly cidr: Cidr;
  readonly allocated: boolean;
}

export interface Allocation {
  /** Ranges by cluster index and field; a field is missing when it could not be resolved. */
  readonly byCluster: ReadonlyArray<Partial<Record<RangeField, Range>>>;
  readonly ranges: readonly Range[];
  readonly problems: readonly Problem[];
}

/**
 * Resolves every cluster's ranges: explicit ones are parsed; a cluster with a `slot` takes block
 * number `slot` of each pool, whatever the other clusters are; the rest take the lowest free
 * aligned block of their pool. Cluster i only looks at clusters 0..i (and the kind network), so
 * appending a cluster never moves an existing cluster's ranges; a later explicit range or slot
 * that hits an earlier one is reported as an overlap instead of silently moving the earlier one.
 */
export function allocate(clusters: Slots, network: ResolvedNetwork, kindNetwork?: Cidr): Allocation {
  const problems: Problem[] = [];
  const ranges: Range[] = [];
  const pools = parsePools(network, problems);

  const byCluster = clusters.map((cluster, index) => {
    const own: Partial<Record<RangeField, Range>> = {};
    if (!cluster) return own;
    const fields = rangeFields(cluster);
    for (const field of fields) {
      const text = cluster[field as keyof ClusterConfig] as string | undefined;
      if (text === undefined) continue;
      const key = `clusters[${index}].${field}`;
      const parsed = parseCidr(text);
      if (parsed.ok) own[field] = { key, cluster: cluster.name, field, cidr: parsed.cidr, allocated: false };
      else problems.push({ key, message: `${key} ${text} (${cluster.name}) ${parsed.reason}` });
    }
    for (const field of fields) {
      const key = `clusters[${index}].${field}`;
      if (own[field] || cluster[field as keyof ClusterConfig] !== undefined) continue;
      const pool = pools[POOL[field]];
      if (!pool) continue; // the pool itself is broken; reported once, under network.pools
      const prefix = network.prefixes[POOL[field]];
      // The LB pool lies inside the kind network by design; everything else keeps out of it.
      const avoid = field === "lbCidr" || !kindNetwork ? [] : [kindNetwork];
      const taken = [...ranges.map((r) => r.cidr), ...Object.values(own).map((r) => r.cidr), ...avoid];
      const free = cluster.slot === undefined ? firstFree(pool, prefix, taken) : nth(subnets(pool, prefix), cluster.slot);
      if (free) {
        own[field] = { key, cluster: cluster.name, field, cidr: free, allocated: true };
      } else if (cluster.slot !== undefined) {
        problems.push({
          key: `clusters[${index}].slot`,
          message:
            `clusters[${index}].slot ${cluster.slot} (${cluster.name}) is past the end of network.pools.${POOL[field]} ` +
            `${pool.text}, which holds ${2 ** (prefix - pool.prefix)} blocks of /${prefix}`,
        });
      } else {
        problems.push({
          key,
          message:
            `${key} (${cluster.name}): network.pools.${POOL[field]} ${pool.text} has no free /${prefix} left; ` +
            `widen the pool or set ${key} explicitly`,
        });
      }
    }
    ranges.push(...Object.values(own));
    return own;
  });
  return { byCluster, ranges, problems };
}

function nth<T>(items: Iterable<T>, n: number): T | undefined {
  let i = 0;
  for (const item of items) if (i++ === n) return item;
  return undefined;
}

function firstFree(pool: Cidr, prefix: number, taken: readonly Cidr[]): Cidr | undefined {
  for (const candidate of subnets(pool, prefix)) {
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  return undefined;
}

function parsePools(network: ResolvedNetwork, problems: Problem[]): Partial<Record<keyof NetworkConfig["pools"], Cidr>> {
  const pools: Partial<Record<keyof NetworkConfig["pools"], Cidr>> = {};
  for (const name of Object.keys(network.pools) as (keyof NetworkConfig["pools"])[]) {
    const key = `network.pools.${name}`;
    const parsed = parseCidr(network.pools[name]);
    if (!parsed.ok) {
      problems.push({ key, message: `${key} ${network.pools[name]} ${parsed.reason}` });
    } else if (network.prefixes[name] < parsed.cidr.prefix) {
      problems.push({
        key: `network.prefixes.${name}`,
        message: `network.prefixes.${name} /${network.prefixes[name]} is larger than ${key} ${parsed.cidr.text}`,
      });
    } else {
      pools[name] = parsed.cidr;
    }
  }
  return pools;
}
