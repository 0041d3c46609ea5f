import { allocate, type Range, type RangeField } from "./allocate";
import { gitopsRevisionProblems, planApps } from "./apps";
import { cidr, parseCidr } from "./cidr";
import { eksProblems } from "./eks";
import { fleetRanges, resolveConnectivity } from "./connectivity";
import { apiServerPorts, defaultLbPool, hostPortProblems, kindClusterName, resolveKindSettings, sharedNetworkProblems } from "./kind";
import { parseConfig } from "./parse";
import { placementLabels } from "./primitives";
import { identityProblems, overlapProblems, sizeProblems } from "./rules";
import type { ClusterConfig, FleetConfig } from "./schema";
import { subnetLayout } from "./subnets";
import { PlanError } from "./problem";
import type { ClusterPlan, FleetPlan } from "./types";
import { ingressProblems } from "./ingress-schema";
import { planTeams } from "./teams";

export * from "./types";
export { EKS_UNSUPPORTED_ZONE_IDS, natGatewaysPerVpc } from "./eks";
export { privateDnsByRegion, RESOLVER_ENDPOINT_IPS } from "./private-dns";
export { type EksConnectivity, PEERING_MAX_VPCS } from "./connectivity";
export { kindClusterName, type ResolvedKindSettings } from "./kind";
export { type AppPlan, type ArgoCdAppPlan, type KarmadaAppPlan, websterSplit } from "./apps";
export type { GitOpsSettings } from "./apps-schema";
export type { TeamPlan } from "./teams";
export type { ObservabilitySettings } from "./observability-schema";
export { clustersRunBy, rangesOf } from "./provider";
export { AVAILABILITY_ZONES, type ZoneSubnets } from "./subnets";
export type {
  AlertReceiver,
  ClusterProvider,
  ClusterRole,
  EksSettings,
  FleetConfig,
  FleetConfigInput,
  KindSettings,
  MeshMode,
  MeshSettings,
} from "./schema";

/**
 * Turns a stack's fleet configuration into a validated plan, or throws one `PlanError` listing
 * every problem found. Pure: call it before registering any resource. A cluster whose own shape
 * is wrong is left out of the network checks, so the others' problems still come in the same run.
 */
export function planFleet(input: unknown): FleetPlan {
  const { settings, clusters, problems } = parseConfig(input);
  if (!settings || !clusters) throw new PlanError(problems);
  const complete = clusters.every((c) => c !== undefined);

  const hasKind = clusters.some((c) => c?.provider === "kind");
  const kindNetworkParse = parseCidr(settings.network.kindNetworkCidr);
  if (!kindNetworkParse.ok && hasKind) {
    problems.push({
      key: "network.kindNetworkCidr",
      message: `network.kindNetworkCidr ${settings.network.kindNetworkCidr} ${kindNetworkParse.reason}`,
    });
  }
  const kindNetwork = kindNetworkParse.ok ? kindNetworkParse.cidr : undefined;
  const kind = resolveKindSettings(settings.kind);
  const network = { ...settings.network, pools: { ...settings.network.pools, lb: settings.network.pools.lb ?? defaultLbPool(kind.hostSlot) } };

  // Automatic ports count kind clusters by position: only meaningful once every cluster parsed.
  const ports = complete ? apiServerPorts(kind, clusters as ClusterConfig[]) : new Map<number, number>();
  const allocation = allocate(clusters, network, kindNetwork);
  const vpcRanges = fleetRanges(
    allocation.byCluster.flatMap((ranges) => (ranges.vpcCidr ? [ranges.vpcCidr.cidr.text] : [])),
    network.pools.vpc,
  );
  const apps = planApps(settings.apps, clusters, settings.environment, settings.mesh.mode);
  const teams = planTeams(settings.teams, clusters, settings.apps, settings.eks.adminRoleArn);
  problems.push(
    ...identityProblems(clusters, ports),
    ...hostPortProblems(kind, clusters, ports),
    ...sharedNetworkProblems(clusters),
    ...eksProblems(clusters, settings.eks, settings.mesh.mode, vpcRanges, settings.ingress.allowedCidrs.length),
    ...apps.problems,
    ...teams.problems,
    ...gitopsRevisionProblems(settings.gitops),
    ...ingressProblems(settings.ingress),
    ...allocation.problems,
    ...overlapProblems(
      allocation.ranges,
      hasKind && kindNetwork ? { key: "network.kindNetworkCidr", cidr: kindNetwork } : undefined,
    ),
    ...clusters.flatMap((cluster, i) =>
      cluster ? Object.values(allocation.byCluster[i]).flatMap((range) => sizeProblems(cluster, range)) : [],
    ),
  );
  if (problems.length > 0) throw new PlanError(problems);

  const config: FleetConfig = { ...settings, network, clusters: clusters as ClusterConfig[] };
  const planned = config.clusters.map((c, i) => toPlan(config, c, i, allocation.byCluster[i], ports.get(i), kind.hostSlot));
  return {
    environment: config.environment,
    clusters: planned,
    management: planned.find((c) => c.role === "management")!,
    workloads: planned.filter((c) => c.role === "workload"),
    kindNetworkCidr: config.network.kindNetworkCidr,
    kind,
    eks: config.eks,
    eksFleetRanges: vpcRanges,
    eksConnectivity: resolveConnectivity(config.eks, planned.filter((c) => c.provider === "eks").length),
    mesh: config.mesh,
    alertReceivers: config.alertReceivers,
    apps: apps.apps,
    teams: teams.teams,
    gitops: config.gitops,
    ingress: config.ingress,
    observability: config.observability,
  };
}

function toPlan(
  config: FleetConfig,
  cluster: ClusterConfig,
  index: number,
  ranges: Partial<Record<RangeField, Range>>,
  apiServerPort: number | undefined,
  hostSlot: number,
): ClusterPlan {
  const text = (field: RangeField) => ranges[field]!.cidr.text;
  const common = {
    index,
    key: `clusters[${index}]`,
    name: cluster.name,
    role: cluster.role,
    region: cluster.region,
    network: cluster.network ?? cluster.name,
    labels: placementLabels(cluster, config.environment),
    serviceCidr: text("serviceCidr"),
    ...(cluster.slot === undefined ? {} : { slot: cluster.slot }),
  };
  if (cluster.provider === "kind") {
    return {
      ...common,
      provider: "kind",
      kindName: kindClusterName(cluster.name, hostSlot),
      podCidr: text("podCidr"),
      lbCidr: text("lbCidr"),
      apiServerPort: apiServerPort!,
      nodes: cluster.nodes,
    };
  }
  const vpcCidr = text("vpcCidr");
  return { ...common, provider: "eks", podCidr: vpcCidr, vpcCidr, subnets: subnetLayout(cidr(vpcCidr)), nodes: cluster.nodes };
}
