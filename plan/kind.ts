import type { Slots } from "./parse";
import type { ClusterConfig, KindSettings } from "./schema";
import type { Problem } from "./problem";

/** kind settings with the defaults that depend on `hostSlot` resolved. */
export type ResolvedKindSettings = Required<KindSettings>;

/**
 * Fleet n on a workstation (`kind.hostSlot`) takes its own default host ports, so that two stacks
 * of the dev composition never ask Docker for the same one. Explicit values are kept.
 */
export function resolveKindSettings(kind: KindSettings): ResolvedKindSettings {
  return {
    ...kind,
    apiServerPortBase: kind.apiServerPortBase ?? 36443 + 100 * kind.hostSlot,
    karmadaApiHostPort: kind.karmadaApiHostPort ?? 35443 + kind.hostSlot,
    entryHostPort: kind.entryHostPort ?? 38080 + kind.hostSlot,
  };
}

/** Fleet n's default load-balancer pool: its own /24 at the top of the default docker `kind` network. */
export function defaultLbPool(hostSlot: number): string {
  return `172.18.${255 - hostSlot}.0/24`;
}

/** The name of a kind cluster (and the prefix of its node containers) on the workstation. */
export function kindClusterName(name: string, hostSlot: number): string {
  return hostSlot === 0 ? name : `${name}-h${hostSlot}`;
}

/**
 * Host API ports of kind clusters by cluster index: explicit, or the base plus the cluster's slot
 * (so removing another cluster moves nothing), or else its position among kind clusters.
 */
export function apiServerPorts(kind: ResolvedKindSettings, clusters: readonly ClusterConfig[]): Map<number, number> {
  const ports = new Map<number, number>();
  let position = 0;
  clusters.forEach((cluster, index) => {
    if (cluster.provider !== "kind") return;
    ports.set(index, cluster.apiServerPort ?? kind.apiServerPortBase + (cluster.slot ?? position));
    position++;
  });
  return ports;
}

/** The Karmada API's and the entry's host ports must not be kind API server ports, nor each other. */
export function hostPortProblems(kind: ResolvedKindSettings, clusters: Slots, ports: ReadonlyMap<number, number>): Problem[] {
  const problems = (["karmadaApiHostPort", "entryHostPort"] as const).flatMap((key) =>
    [...ports]
      .filter(([, port]) => port === kind[key])
      .map(([index]) => ({
        key: `kind.${key}`,
        message: `kind.${key} ${kind[key]} is also the API port of clusters[${index}] (${clusters[index]?.name})`,
      })),
  );
  if (kind.entryHostPort === kind.karmadaApiHostPort) {
    problems.push({ key: "kind.entryHostPort", message: `kind.entryHostPort ${kind.entryHostPort} is also kind.karmadaApiHostPort` });
  }
  return problems;
}

/**
 * Clusters that share a mesh `network` get no east-west gateway between them: Istio sends
 * traffic straight to the other cluster's pod addresses. Nothing routes one kind cluster's pod
 * range to another's, so on kind that promise cannot be kept.
 */
export function sharedNetworkProblems(clusters: Slots): Problem[] {
  const first = new Map<string, number>();
  const names = new Set<string>();
  const problems: Problem[] = [];
  clusters.forEach((cluster, index) => {
    // A duplicated name is reported as such; its implied network would only say it again.
    if (!cluster || cluster.provider !== "kind" || names.has(cluster.name)) return;
    names.add(cluster.name);
    const network = cluster.network ?? cluster.name;
    const other = first.get(network);
    if (other === undefined) first.set(network, index);
    else
      problems.push({
        key: `clusters[${index}].network`,
        message:
          `clusters[${index}].network ${network} (${cluster.name}) is also the network of clusters[${other}] ` +
          `(${clusters[other]?.name}): clusters on one mesh network must reach each other's pods directly, ` +
          "which nothing routes between kind clusters; give each kind cluster its own network",
      });
  });
  return problems;
}
