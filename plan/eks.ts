import { contains, parseCidr } from "./cidr";
import type { Slots } from "./parse";
import type { EksClusterConfig, EksSettings, MeshMode } from "./schema";
import { AVAILABILITY_ZONES } from "./subnets";
import type { Problem } from "./problem";

/** AWS default quotas a full mesh of VPC peerings runs into. */
export const AWS_QUOTAS = { peeringsPerVpc: 50, routesPerRouteTable: 50 } as const;
/** Routes every private route table has besides peering routes: local and the NAT default route. */
const BASE_ROUTES = 2;
/** CIDR blocks an EKS cluster's public endpoint admits at most (EKS service quota, not adjustable). */
export const EKS_PUBLIC_ACCESS_CIDRS = 40;
/** Zones whose subnets EKS refuses for a control plane (EKS user guide, subnet requirements). */
export const EKS_UNSUPPORTED_ZONE_IDS = ["use1-az3", "usw1-az2", "cac1-az3"];

/** Above this many VPCs, `auto` connectivity uses Transit Gateways: a peering mesh grows as n². */
export const PEERING_MAX_VPCS = 10;
/** AWS's Transit Gateway quotas the plan checks (defaults; peering attachments are adjustable). */
export const TGW_QUOTAS = { peeringAttachmentsPerGateway: 50, routesPerGateway: 10_000, attachmentsPerGateway: 5_000 } as const;

/** How the fleet's VPCs are connected, once `auto` is decided. */
export type EksConnectivity = "peering" | "transitGateway";

export function resolveConnectivity(eks: EksSettings, vpcs: number): EksConnectivity {
  if (eks.connectivity !== "auto") return eks.connectivity;
  return vpcs > PEERING_MAX_VPCS ? "transitGateway" : "peering";
}

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
  const peerings = vpcs - 1;
  if (connectivity === "transitGateway") problems.push(...transitGatewayProblems(byRegion, fleetRanges, vpcs));
  // Past the peering limit, `auto` flips a running fleet to Transit Gateways as a cluster is added.
  // With a VPC outside the pool, the gateways' per-VPC routes and 443 rules are created while the
  // peering's, for the same destinations, still exist: EC2 answers RouteAlreadyExists and
  // InvalidPermission.Duplicate, on every later run too. The switch must be deliberate.
  if (eks.connectivity === "auto" && connectivity === "transitGateway" && fleetRanges.length > 1) {
    problems.push({
      key: "eks.connectivity",
      message:
        `eks.connectivity auto takes Transit Gateways for ${vpcs} VPCs, and not every VPC lies in network.pools.vpc: ` +
        "switching a peered fleet would collide with the peering's routes and rules. For a new fleet set eks.connectivity " +
        "transitGateway; for a peered one migrate in two steps (docs/prod.md, Switching from peering to Transit Gateways)",
    });
  }
  if (connectivity === "peering" && peerings > AWS_QUOTAS.peeringsPerVpc) {
    problems.push({
      key: "clusters",
      message:
        `clusters has ${vpcs} EKS VPCs: a full peering mesh needs ${peerings} peering connections per VPC, ` +
        `over AWS's default quota of ${AWS_QUOTAS.peeringsPerVpc} active peering connections per VPC`,
    });
  }
  if (connectivity === "peering" && peerings + BASE_ROUTES > AWS_QUOTAS.routesPerRouteTable) {
    problems.push({
      key: "clusters",
      message:
        `clusters has ${vpcs} EKS VPCs: a full peering mesh needs ${peerings + BASE_ROUTES} routes per private ` +
        `route table, over AWS's default quota of ${AWS_QUOTAS.routesPerRouteTable} routes per route table`,
    });
  }
  for (const { cluster, index } of eksClusters) {
    problems.push(...nodeProblems(cluster, index));
    // Through gateways one rule admits the fleet's range, plus one per peer on the same mesh network.
    const sharing = eksClusters.filter((o) => o.index !== index && (o.cluster.network ?? o.cluster.name) === (cluster.network ?? cluster.name)).length;
    const peerRules = connectivity === "peering" ? vpcs - 1 : fleetRanges.length + sharing;
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
 * Transit Gateways against their quotas: peerings per gateway (one per other region), routes per
 * gateway (every VPC, propagated or static), and, without a summary range, routes per VPC table.
 */
function transitGatewayProblems(byRegion: ReadonlyMap<string, number>, fleetRanges: readonly string[], vpcs: number): Problem[] {
  const problems: Problem[] = [];
  if (byRegion.size - 1 > TGW_QUOTAS.peeringAttachmentsPerGateway) {
    problems.push({
      key: "clusters",
      message: `clusters spans ${byRegion.size} regions: each Transit Gateway would peer with ${byRegion.size - 1}, over AWS's default quota of ${TGW_QUOTAS.peeringAttachmentsPerGateway}`,
    });
  }
  if (vpcs > TGW_QUOTAS.routesPerGateway) {
    problems.push({ key: "clusters", message: `clusters has ${vpcs} VPCs: a Transit Gateway's route tables hold at most ${TGW_QUOTAS.routesPerGateway} routes` });
  }
  if (fleetRanges.length > 1 && vpcs - 1 + BASE_ROUTES > AWS_QUOTAS.routesPerRouteTable) {
    problems.push({
      key: "network.pools.vpc",
      message:
        `network.pools.vpc does not hold every VPC, so each private route table needs a route per other VPC (${vpcs - 1}), ` +
        `over AWS's default quota of ${AWS_QUOTAS.routesPerRouteTable}: keep the VPCs in the pool, where one route serves them all`,
    });
  }
  return problems;
}

/**
 * The fewest ranges that hold every VPC of the fleet, which the fleet's internal load balancers
 * admit: the VPC pool when every VPC lies in it (one rule per port, however many clusters), else
 * each VPC's range.
 */
export function fleetRanges(vpcCidrs: readonly string[], vpcPool: string): string[] {
  const pool = parseCidr(vpcPool);
  if (pool.ok && vpcCidrs.every((text) => {
    const vpc = parseCidr(text);
    return vpc.ok && contains(pool.cidr, vpc.cidr);
  })) {
    return [pool.cidr.text];
  }
  return [...vpcCidrs];
}

/** The public endpoint: required ranges, never the whole internet, within EKS's limit with the peers' NAT addresses. */
function accessProblems(eks: EksSettings, vpcs: number): Problem[] {
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
  // Every cluster also admits the NAT addresses of every other VPC (their pods call its API).
  const total = eks.publicAccessCidrs.length + (vpcs - 1) * natGatewaysPerVpc(eks);
  if (total > EKS_PUBLIC_ACCESS_CIDRS) {
    problems.push({
      key: "eks.publicAccessCidrs",
      message:
        `eks.publicAccessCidrs has ${eks.publicAccessCidrs.length} ranges, and each cluster also admits the ` +
        `${total - eks.publicAccessCidrs.length} NAT addresses of the other VPCs: ${total}, over EKS's limit of ` +
        `${EKS_PUBLIC_ACCESS_CIDRS} per cluster`,
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
