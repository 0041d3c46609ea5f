import { parseCidr } from "./cidr";
import { connectivityProblems, resolveConnectivity } from "./connectivity";
import type { Slots } from "./parse";
import type { EksClusterConfig, EksSettings, MeshMode } from "./schema";
import { AVAILABILITY_ZONES } from "./subnets";
import { privateDnsProblems } from "./private-dns";
import type { Problem } from "./problem";

/** CIDR blocks an EKS cluster's public endpoint admits at most (EKS service quota, not adjustable). */
export const EKS_PUBLIC_ACCESS_CIDRS = 40;
/** Zones whose subnets EKS refuses for a control plane (EKS user guide, subnet requirements). */
export const EKS_UNSUPPORTED_ZONE_IDS = ["use1-az3", "usw1-az2", "cac1-az3"];


/** NAT gateways, and so Elastic IPs, of one VPC. */
export function natGatewaysPerVpc(eks: EksSettings): number {
  return eks.natGateways === "OnePerAz" ? AVAILABILITY_ZONES : 1;
}

/**
 * Ambient mode across networks with EKS clusters: an EKS cluster's east-west gateway is an NLB,
 * whose Service (and so the Gateway's status) reports a hostname. istiod hands a network gateway's
 * status address to ztunnel as it is (`pilot/pkg/serviceregistry/ambient/networks.go`), and
 * ztunnel looks a hostname up only among the Services it knows, never in DNS: every call into
 * that cluster's network would fail with "network gateway ... not found". Sidecars resolve
 * gateway hostnames (`RESOLVE_HOSTNAME_GATEWAYS`), so sidecar mode works there.
 */
function ambientProblems(clusters: Slots, meshMode: MeshMode): Problem[] {
  if (meshMode !== "ambient") return [];
  const workloads = clusters.filter((c): c is NonNullable<typeof c> => c?.role === "workload");
  const networks = new Set(workloads.map((c) => c.network ?? c.name));
  const eks = workloads.filter((c) => c.provider === "eks").map((c) => c.name);
  if (networks.size < 2 || eks.length === 0) return [];
  return [
    {
      key: "mesh.mode",
      message:
        `mesh.mode ambient cannot reach across networks to EKS clusters (${eks.join(", ")}): their east-west gateways are NLBs ` +
        "known by hostname, which ztunnel never resolves; use mesh.mode sidecar, or put every workload cluster on one network",
    },
  ];
}

/**
 * EKS settings and clusters: who may reach the API, region quotas (VPCs, Elastic IPs), the VPC
 * mesh against AWS's default quotas, zones, and node group sizes.
 */
export function eksProblems(
  clusters: Slots,
  eks: EksSettings,
  meshMode: MeshMode,
  fleetRanges: readonly string[],
  /** How many ranges the apps' ingress gateways admit (`ingress.allowedCidrs`). */
  publicRanges: number,
): Problem[] {
  const eksClusters = clusters.flatMap((c, index) => (c?.provider === "eks" ? [{ cluster: c, index }] : []));
  const vpcs = eksClusters.length;
  if (vpcs === 0) return [];
  const problems: Problem[] = [...accessProblems(eks, vpcs), ...zoneProblems(eks), ...ambientProblems(clusters, meshMode)];

  const byRegion = new Map<string, number>();
  for (const { cluster } of eksClusters) byRegion.set(cluster.region, (byRegion.get(cluster.region) ?? 0) + 1);
  for (const [region, count] of byRegion) {
    if (count > eks.quotas.vpcsPerRegion) {
      problems.push({
        key: "eks.quotas.vpcsPerRegion",
        message:
          `eks.quotas.vpcsPerRegion ${eks.quotas.vpcsPerRegion} is below the ${count} VPCs that clusters puts in ${region} ` +
          "(AWS's default quota is 5: have it raised, then set this key)",
      });
    }
    const eips = count * natGatewaysPerVpc(eks);
    if (eips > eks.quotas.elasticIpsPerRegion) {
      problems.push({
        key: "eks.quotas.elasticIpsPerRegion",
        message:
          `eks.quotas.elasticIpsPerRegion ${eks.quotas.elasticIpsPerRegion} is below the ${eips} Elastic IPs clusters needs ` +
          `in ${region} (${count} VPCs × ${natGatewaysPerVpc(eks)} NAT gateways with eks.natGateways ${eks.natGateways}; ` +
          "AWS's default quota is 5)",
      });
    }
  }

  const connectivity = resolveConnectivity(eks, vpcs);
  problems.push(...connectivityProblems(eks, connectivity, byRegion, fleetRanges, vpcs));
  problems.push(...privateDnsProblems(eksClusters.map(({ cluster }) => cluster), eks, connectivity, natGatewaysPerVpc(eks)));
  for (const { cluster, index } of eksClusters) {
    problems.push(...nodeProblems(cluster, index));
    // A rule per fleet range admits the API, plus one per peer on the same mesh network.
    const sharing = eksClusters.filter((o) => o.index !== index && (o.cluster.network ?? o.cluster.name) === (cluster.network ?? cluster.name)).length;
    const peerRules = fleetRanges.length + sharing;
    const rules = securityGroupRules(cluster.role === "management" ? "management" : "workload", peerRules, fleetRanges.length, eks, meshMode, publicRanges);
    if (rules > eks.quotas.rulesPerSecurityGroup) {
      problems.push({
        key: "eks.quotas.rulesPerSecurityGroup",
        message:
          `eks.quotas.rulesPerSecurityGroup ${eks.quotas.rulesPerSecurityGroup} is below the about ${rules} inbound rules that ` +
          `clusters[${index}] (${cluster.name}) needs in its cluster security group: the NLBs of its Services add one per ` +
          "client range and port; have AWS raise inbound rules per security group, then set this key, or list fewer publicAccessCidrs",
      });
    }
  }
  return problems;
}

/**
 * The inbound rules of a cluster's security group: the AWS cloud provider writes, for every NLB of
 * a Service, a rule per client range and port, a health-check rule per subnet and port, and an
 * ICMP (path MTU) rule per client range; the platform adds a rule per peer VPC, EKS one for itself.
 * Management: the Karmada API (one port, the operator's ranges or the fleet's), Argo CD and
 * Prometheus (two ports each, the fleet's ranges). Workload: the east-west gateway (four ports in
 * sidecar mode, HBONE and status in ambient), and the apps' ingress gateway (HTTP and status, for
 * `ingress.allowedCidrs`).
 */
export function securityGroupRules(
  role: "management" | "workload",
  peerRules: number,
  fleetRanges: number,
  eks: EksSettings,
  meshMode: MeshMode,
  publicRanges: number,
): number {
  const nlb = (ports: number, ranges: number) => ports * ranges + ports * AVAILABILITY_ZONES;
  const operatorRanges = eks.karmadaApiAccess === "internal" ? fleetRanges : eks.publicAccessCidrs.length;
  const pathMtu = eks.karmadaApiAccess === "internal" ? fleetRanges : operatorRanges + fleetRanges;
  const services =
    role === "management"
      ? nlb(1, operatorRanges) + nlb(2, fleetRanges) + nlb(2, fleetRanges) + pathMtu
      : nlb(meshMode === "sidecar" ? 4 : 2, fleetRanges) + fleetRanges + nlb(2, publicRanges) + publicRanges;
  return services + peerRules + 1;
}



/**
 * The public endpoint: the operators' ranges only (the clusters call each other privately), never
 * the whole internet, within EKS's limit, counting the other VPCs' NAT addresses while
 * `admitPeersPublicly` moves a running fleet. Required while the public endpoint or the Karmada
 * API's public load balancer admits them.
 */
function accessProblems(eks: EksSettings, vpcs: number): Problem[] {
  const problems: Problem[] = [];
  if (eks.publicAccessCidrs.length === 0 && (eks.publicEndpoint || eks.karmadaApiAccess === "public")) {
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
  if (eks.publicEndpoint && eks.publicAccessCidrs.length > EKS_PUBLIC_ACCESS_CIDRS) {
    problems.push({
      key: "eks.publicAccessCidrs",
      message: `eks.publicAccessCidrs has ${eks.publicAccessCidrs.length} ranges, over EKS's limit of ${EKS_PUBLIC_ACCESS_CIDRS} per cluster`,
    });
  } else if (eks.publicEndpoint && eks.admitPeersPublicly) {
    const total = eks.publicAccessCidrs.length + (vpcs - 1) * natGatewaysPerVpc(eks);
    if (total > EKS_PUBLIC_ACCESS_CIDRS) {
      problems.push({
        key: "eks.admitPeersPublicly",
        message:
          `eks.admitPeersPublicly has each cluster admit the ${total - eks.publicAccessCidrs.length} NAT addresses of the other VPCs ` +
          `besides the ${eks.publicAccessCidrs.length} ranges of eks.publicAccessCidrs: ${total}, over EKS's limit of ` +
          `${EKS_PUBLIC_ACCESS_CIDRS} per cluster; list fewer publicAccessCidrs for the move`,
      });
    }
  }
  if (eks.admitPeersPublicly && !eks.publicEndpoint) {
    problems.push({
      key: "eks.admitPeersPublicly",
      message: "eks.admitPeersPublicly admits the other VPCs to the public endpoints, which eks.publicEndpoint false closes: unset one of them",
    });
  }
  return problems;
}

/** Chosen zones: three distinct ones per region, none that EKS refuses. */
function zoneProblems(eks: EksSettings): Problem[] {
  return Object.entries(eks.zoneIds).flatMap(([region, ids]) => {
    const key = `eks.zoneIds.${region}`;
    const problems: Problem[] = [];
    if (new Set(ids).size !== AVAILABILITY_ZONES || ids.length !== AVAILABILITY_ZONES) {
      problems.push({ key, message: `${key} must list ${AVAILABILITY_ZONES} distinct zone IDs, not ${JSON.stringify(ids)}` });
    }
    for (const id of ids.filter((z) => EKS_UNSUPPORTED_ZONE_IDS.includes(z))) {
      problems.push({ key, message: `${key} lists ${id}, a zone whose subnets EKS refuses for a cluster` });
    }
    return problems;
  });
}

/** A node group's sizes in the order EKS requires them. */
function nodeProblems(cluster: EksClusterConfig, index: number): Problem[] {
  const { minSize, desiredSize, maxSize } = cluster.nodes;
  const key = `clusters[${index}].nodes`;
  return minSize <= desiredSize && desiredSize <= maxSize
    ? []
    : [{ key, message: `${key} (${cluster.name}) needs minSize ≤ desiredSize ≤ maxSize, not ${minSize}, ${desiredSize}, ${maxSize}` }];
}
