import type { EksClusterConfig, EksSettings } from "./schema";
import type { EksConnectivity } from "./connectivity";
import type { Problem } from "./problem";
import { AVAILABILITY_ZONES } from "./subnets";

/** IP addresses (so network interfaces) of each Resolver endpoint: the fewest AWS accepts, in two zones. */
export const RESOLVER_ENDPOINT_IPS = 2;
/**
 * Network interfaces EKS may hold in a cluster's subnets: up to four for the control plane, four
 * more while it is upgraded (awsdocs/amazon-eks-user-guide#688).
 */
const EKS_CONTROL_PLANE_INTERFACES = 8;
/**
 * Network interfaces a node holds at least once pods fill it: the VPC CNI's default
 * `WARM_ENI_TARGET=1` keeps a spare interface attached beside the one in use.
 */
const INTERFACES_PER_NODE = 2;
/**
 * NLBs of a cluster's Services, each with an interface per subnet (one per zone): the Karmada
 * API, Argo CD and Prometheus in the management cluster; the east-west and ingress gateways in a
 * workload cluster.
 */
const LOAD_BALANCERS = { management: 3, workload: 2 } as const;

/** What private name resolution of the API endpoints takes in one region (docs/prod.md, Private API endpoints). */
export interface RegionDns {
  /** An inbound endpoint per VPC, one outbound endpoint. */
  endpoints: number;
  /** A forwarding rule for `eks.amazonaws.com`, a system rule per member; in the hub's region, a forwarding rule per member. */
  rules: number;
  /** Each member's VPC: its system rule and the `eks.amazonaws.com` rule; the hub's VPC: every member's forwarding rule. */
  associations: number;
}

/**
 * Private name resolution per region, linear in the clusters: the hub (the management cluster's
 * VPC) forwards each member's endpoint name to that member's inbound endpoint, and every member
 * forwards the whole `eks.amazonaws.com` domain to the hub, resolving its own name itself.
 */
export function privateDnsByRegion(clusters: readonly { region: string; hub: boolean }[]): Map<string, RegionDns> {
  const members = clusters.filter((c) => !c.hub).length;
  const hubRegion = clusters.find((c) => c.hub)?.region;
  const byRegion = new Map<string, RegionDns>();
  for (const region of new Set(clusters.map((c) => c.region))) {
    const here = clusters.filter((c) => c.region === region);
    const membersHere = here.filter((c) => !c.hub).length;
    const hub = region === hubRegion ? members : 0;
    byRegion.set(region, { endpoints: here.length + 1, rules: 1 + membersHere + hub, associations: 2 * membersHere + hub });
  }
  return byRegion;
}

/**
 * Route 53 Resolver and network interface quotas of each region, for the fleet's EKS clusters
 * (the first is the hub: the management cluster, or the first EKS cluster without one).
 */
export function privateDnsProblems(
  eksClusters: readonly EksClusterConfig[],
  eks: EksSettings,
  connectivity: EksConnectivity,
  /** NAT gateways per VPC, one interface each. */
  natGateways: number,
): Problem[] {
  const hub = eksClusters.find((c) => c.role === "management") ?? eksClusters[0];
  const dns = eks.publicEndpoint ? privateDnsByRegion(eksClusters.map((c) => ({ region: c.region, hub: c === hub }))) : new Map<string, RegionDns>();
  const { quotas } = eks;
  const problems: Problem[] = [];
  const over = (key: keyof typeof quotas, region: string, need: number, what: string, aws: number) => {
    if (need <= quotas[key]) return;
    problems.push({
      key: `eks.quotas.${key}`,
      message: `eks.quotas.${key} ${quotas[key]} is below the ${need} ${what} in ${region} (AWS's default quota is ${aws}: have it raised, then set this key)`,
    });
  };
  for (const region of new Set(eksClusters.map((c) => c.region))) {
    const here = eksClusters.filter((c) => c.region === region);
    const counts = dns.get(region);
    if (counts) {
      over("resolverEndpointsPerRegion", region, counts.endpoints, "Route 53 Resolver endpoints that private API endpoints need (one inbound per VPC, one outbound)", 4);
      over("resolverRulesPerRegion", region, counts.rules, "Resolver rules that private API endpoints need", 1000);
      over("resolverRuleAssociationsPerRegion", region, counts.associations, "Resolver rule associations that private API endpoints need", 2000);
    }
    // Node groups at their largest.
    const perVpc = natGateways + (connectivity === "transitGateway" ? AVAILABILITY_ZONES : 0) + EKS_CONTROL_PLANE_INTERFACES;
    const perCluster = (c: EksClusterConfig) => perVpc + INTERFACES_PER_NODE * c.nodes.maxSize + LOAD_BALANCERS[c.role] * AVAILABILITY_ZONES;
    const interfaces = here.reduce((sum, c) => sum + perCluster(c), 0) + (counts ? counts.endpoints * RESOLVER_ENDPOINT_IPS : 0);
    over("networkInterfacesPerRegion", region, interfaces, "network interfaces the clusters take at least", 5000);
  }
  return problems;
}
