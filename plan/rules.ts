import type { Range } from "./allocate";
import { type Cidr, cidr, contains, overlaps, RFC1918 } from "./cidr";
import { AVAILABILITY_ZONES, subnetLayout, usableAddresses } from "./subnets";
import { AWS_REGIONS } from "./regions";
import type { Slots } from "./parse";
import type { ClusterConfig } from "./schema";
import type { Problem } from "./problem";

/** Labels the platform sets on every cluster; a user label may not replace them. */
export const RESERVED_LABELS = ["cluster", "region", "env"] as const;

/** Names, roles, regions, labels and API ports: everything but the network ranges. */
export function identityProblems(clusters: Slots, apiServerPorts: ReadonlyMap<number, number>): Problem[] {
  const problems: Problem[] = [];
  const firstByName = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    if (!cluster) return;
    const first = firstByName.get(cluster.name);
    if (first === undefined) firstByName.set(cluster.name, index);
    else
      problems.push({
        key: `clusters[${index}].name`,
        message: `clusters[${index}].name ${cluster.name} duplicates clusters[${first}].name`,
      });
    if (cluster.provider === "eks" && cluster.region.startsWith("cn-")) {
      // EKS names its API endpoints there under eks.amazonaws.com.cn, which the fleet's private DNS does not forward.
      problems.push({
        key: `clusters[${index}].region`,
        message: `clusters[${index}].region ${cluster.region} (${cluster.name}) is in AWS's China partition (aws-cn), which the platform does not support`,
      });
    } else if (cluster.provider === "eks" && !AWS_REGIONS.includes(cluster.region)) {
      problems.push({
        key: `clusters[${index}].region`,
        message: `clusters[${index}].region ${JSON.stringify(cluster.region)} (${cluster.name}) is not a known AWS region with EKS`,
      });
    }
    for (const label of RESERVED_LABELS) {
      if (label in cluster.labels) {
        problems.push({
          key: `clusters[${index}].labels.${label}`,
          message: `clusters[${index}].labels.${label} (${cluster.name}) is set by the platform; choose another label key`,
        });
      }
    }
  });

  const managers = clusters.flatMap((c, i) => (c?.role === "management" ? [`clusters[${i}] (${c.name})`] : []));
  // A malformed cluster may be the manager: count only when every cluster parsed, or too many.
  const complete = clusters.every((c) => c !== undefined);
  if (managers.length > 1 || (complete && managers.length === 0)) {
    problems.push({
      key: "clusters",
      message:
        managers.length === 0
          ? "clusters has no cluster with role management; exactly one is required"
          : `clusters has ${managers.length} clusters with role management (${managers.join(", ")}); exactly one is allowed`,
    });
  }

  const portOwner = new Map<number, number>();
  for (const [index, port] of apiServerPorts) {
    const other = portOwner.get(port);
    if (other === undefined) portOwner.set(port, index);
    else
      problems.push({
        key: `clusters[${index}].apiServerPort`,
        message: `clusters[${index}].apiServerPort ${port} (${clusters[index]?.name}) is also the API port of clusters[${other}] (${clusters[other]?.name})`,
      });
  }
  return problems;
}

/** Every pair of ranges in the fleet must be disjoint, and kind ranges must respect the docker network. */
export function overlapProblems(ranges: readonly Range[], kindNetwork: { key: string; cidr: Cidr } | undefined): Problem[] {
  const problems: Problem[] = [];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = 0; j < i; j++) {
      const [later, earlier] = [ranges[i], ranges[j]];
      if (overlaps(later.cidr, earlier.cidr)) {
        problems.push({
          key: later.key,
          message: `${describe(later)} overlaps ${describe(earlier)}`,
        });
      }
    }
  }
  if (!kindNetwork) return problems;
  for (const range of ranges) {
    if (range.field === "lbCidr") {
      if (!contains(kindNetwork.cidr, range.cidr)) {
        problems.push({
          key: range.key,
          message:
            `${describe(range)} is outside ${kindNetwork.key} ${kindNetwork.cidr.text}: ` +
            "load-balancer addresses must be on the docker kind network to be reachable from other clusters",
        });
      }
    } else if (overlaps(range.cidr, kindNetwork.cidr)) {
      problems.push({
        key: range.key,
        message: `${describe(range)} overlaps ${kindNetwork.key} ${kindNetwork.cidr.text} (the docker kind network)`,
      });
    }
  }
  return problems;
}

/** Kubernetes hands every node a /24 of the pod range (kube-controller-manager's default mask). */
const NODE_POD_PREFIX = 24;

/** A range too small (or too large) for what the cluster runs in it. */
export function sizeProblems(cluster: ClusterConfig, range: Range): Problem[] {
  const fail = (why: string): Problem[] => [{ key: range.key, message: `${describe(range)} ${why}` }];
  const { prefix } = range.cidr;
  switch (range.field) {
    case "podCidr": {
      if (cluster.provider !== "kind") return [];
      const nodes = cluster.nodes.controlPlanes + cluster.nodes.workers;
      const needed = NODE_POD_PREFIX - Math.ceil(Math.log2(nodes));
      return prefix > needed
        ? fail(`is too small for ${nodes} nodes: each node takes a /${NODE_POD_PREFIX}, so at least a /${needed} is needed`)
        : [];
    }
    case "serviceCidr":
      if (prefix < 12) return fail("is too large: Kubernetes accepts at most a /12 service range");
      if (prefix > 24) return fail("is too small: at least a /24 is needed for cluster services");
      if (cluster.provider === "eks" && !RFC1918.some((r) => contains(r, range.cidr))) {
        return fail("must lie within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (an EKS requirement)");
      }
      return [];
    case "vpcCidr": {
      if (cluster.provider !== "eks") return [];
      if (prefix < 16 || prefix > 24) {
        return fail("must be between /16 (AWS's largest VPC) and /24 (its public subnets are /28, AWS's smallest)");
      }
      // Node groups spread nodes evenly over the zones; every node and every pod on it (VPC CNI)
      // takes an address of its zone's private subnet.
      const perZone = Math.ceil(cluster.nodes.maxSize / AVAILABILITY_ZONES);
      const needed = BigInt(perZone * (cluster.nodes.maxPodsPerNode + 1));
      const zone = subnetLayout(range.cidr)[0];
      const available = usableAddresses(cidr(zone.private));
      return available < needed
        ? fail(
            `is too small: ${cluster.nodes.maxSize} nodes over ${AVAILABILITY_ZONES} zones put up to ${perZone} nodes × ` +
              `(${cluster.nodes.maxPodsPerNode} pods + 1) = ${needed} addresses in one zone, whose private subnet ` +
              `${zone.private} has ${available} usable`,
          )
        : [];
    }
    case "lbCidr":
      return prefix > 29 ? fail("is too small: at least 8 load-balancer addresses (/29) are needed") : [];
  }
}

function describe(range: Range): string {
  return `${range.key} ${range.cidr.text} (${range.cluster})`;
}
