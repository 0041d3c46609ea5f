import type { Range } from "./allocate";
import { Cidr, contains, overlaps, RFC1918, size } from "./cidr";
import { AWS_REGIONS } from "./regions";
import { parseCidr } from "./cidr";
import type { Slots } from "./parse";
import type { ClusterConfig, EksSettings } from "./schema";
import type { Problem } from "./types";

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
    if (cluster.provider === "eks" && !AWS_REGIONS.includes(cluster.region)) {
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
        return fail("must be between /16 (AWS's largest VPC) and /24 (six subnets across three zones)");
      }
      // Private subnets get half the VPC; every node and every pod on it needs an address there.
      const needed = BigInt(cluster.nodes.maxSize * (cluster.nodes.maxPodsPerNode + 1));
      const available = size(range.cidr) / 2n;
      return available < needed
        ? fail(
            `is too small: ${cluster.nodes.maxSize} nodes × (${cluster.nodes.maxPodsPerNode} pods + 1) need ` +
              `${needed} private addresses, its private half has ${available}`,
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

/** AWS default quotas a full mesh of VPC peerings runs into. */
export const AWS_QUOTAS = { peeringsPerVpc: 50, routesPerRouteTable: 50 } as const;
/** Routes every private route table has besides peering routes: local and the NAT default route. */
const BASE_ROUTES = 2;

/** EKS settings: who may reach the API, and whether the VPC mesh fits AWS's default quotas. */
export function eksProblems(clusters: Slots, eks: EksSettings): Problem[] {
  const vpcs = clusters.filter((c) => c?.provider === "eks").length;
  if (vpcs === 0) return [];
  const problems: Problem[] = [];
  if (eks.publicAccessCidrs.length === 0) {
    problems.push({
      key: "eks.publicAccessCidrs",
      message:
        "eks.publicAccessCidrs is empty: list the ranges of the workstations and CI runners that run Pulumi " +
        "(the EKS API is never opened to 0.0.0.0/0)",
    });
  }
  eks.publicAccessCidrs.forEach((text, i) => {
    const key = `eks.publicAccessCidrs[${i}]`;
    const parsed = parseCidr(text);
    if (!parsed.ok) problems.push({ key, message: `${key} ${text} ${parsed.reason}` });
    else if (parsed.cidr.prefix === 0) {
      problems.push({ key, message: `${key} ${text} would open the EKS API to the whole internet` });
    }
  });
  const peerings = vpcs - 1;
  if (eks.connectivity === "peering" && peerings > AWS_QUOTAS.peeringsPerVpc) {
    problems.push({
      key: "clusters",
      message:
        `clusters has ${vpcs} EKS VPCs: a full peering mesh needs ${peerings} peering connections per VPC, ` +
        `over AWS's default quota of ${AWS_QUOTAS.peeringsPerVpc} active peering connections per VPC`,
    });
  }
  if (eks.connectivity === "peering" && peerings + BASE_ROUTES > AWS_QUOTAS.routesPerRouteTable) {
    problems.push({
      key: "clusters",
      message:
        `clusters has ${vpcs} EKS VPCs: a full peering mesh needs ${peerings + BASE_ROUTES} routes per private ` +
        `route table, over AWS's default quota of ${AWS_QUOTAS.routesPerRouteTable} routes per route table`,
    });
  }
  return problems;
}
