import { contains, parseCidr } from "./cidr";
import type { EksSettings } from "./schema";
import type { Problem } from "./problem";

/** AWS default quotas a full mesh of VPC peerings runs into. */
export const AWS_QUOTAS = { peeringsPerVpc: 50, routesPerRouteTable: 50 } as const;
/** Routes every private route table has besides peering routes: local and the NAT default route. */
const BASE_ROUTES = 2;

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

/**
 * How the fleet's VPCs reach each other, against AWS's quotas; and the one switch that cannot be
 * made in place.
 */
export function connectivityProblems(
  eks: EksSettings,
  connectivity: EksConnectivity,
  byRegion: ReadonlyMap<string, number>,
  fleetRanges: readonly string[],
  vpcs: number,
): Problem[] {
  const problems: Problem[] = [];
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
  return problems;
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
