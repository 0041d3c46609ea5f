import { allocate, Range, RangeField } from "./allocate";
import { parseCidr } from "./cidr";
import { parseConfig, Slots } from "./parse";
import { eksProblems, identityProblems, overlapProblems, sizeProblems } from "./rules";
import type { ClusterConfig, FleetConfig, KindSettings } from "./schema";
import { ClusterPlan, FleetPlan, PlanError, Problem } from "./types";

export * from "./types";
export { clustersRunBy, rangesOf } from "./provider";
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

  // Automatic ports count kind clusters by position: only meaningful once every cluster parsed.
  const ports = complete ? apiServerPorts(settings.kind, clusters as ClusterConfig[]) : new Map<number, number>();
  const allocation = allocate(clusters, settings.network, kindNetwork);
  problems.push(
    ...identityProblems(clusters, ports),
    ...hostPortProblems(settings.kind, clusters, ports),
    ...eksProblems(clusters, settings.eks),
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

  const config: FleetConfig = { ...settings, clusters: clusters as ClusterConfig[] };
  const planned = config.clusters.map((c, i) => toPlan(config, c, i, allocation.byCluster[i], ports.get(i)));
  return {
    environment: config.environment,
    clusters: planned,
    management: planned.find((c) => c.role === "management")!,
    workloads: planned.filter((c) => c.role === "workload"),
    kindNetworkCidr: config.network.kindNetworkCidr,
    kind: config.kind,
    eks: config.eks,
    mesh: config.mesh,
    alertReceivers: config.alertReceivers,
  };
}

/** Host API ports of kind clusters by cluster index: explicit, or the base plus the position among kind clusters. */
function apiServerPorts(kind: KindSettings, clusters: readonly ClusterConfig[]): Map<number, number> {
  const ports = new Map<number, number>();
  let position = 0;
  clusters.forEach((cluster, index) => {
    if (cluster.provider !== "kind") return;
    ports.set(index, cluster.apiServerPort ?? kind.apiServerPortBase + position);
    position++;
  });
  return ports;
}

/** The Karmada API's host port must not be one of the kind API server ports. */
function hostPortProblems(kind: KindSettings, clusters: Slots, ports: ReadonlyMap<number, number>): Problem[] {
  const { karmadaApiHostPort } = kind;
  return [...ports]
    .filter(([, port]) => port === karmadaApiHostPort)
    .map(([index]) => ({
      key: "kind.karmadaApiHostPort",
      message: `kind.karmadaApiHostPort ${karmadaApiHostPort} is also the API port of clusters[${index}] (${clusters[index]?.name})`,
    }));
}

function toPlan(
  config: FleetConfig,
  cluster: ClusterConfig,
  index: number,
  ranges: Partial<Record<RangeField, Range>>,
  apiServerPort: number | undefined,
): ClusterPlan {
  const text = (field: RangeField) => ranges[field]!.cidr.text;
  const common = {
    index,
    key: `clusters[${index}]`,
    name: cluster.name,
    role: cluster.role,
    region: cluster.region,
    network: cluster.network ?? cluster.name,
    labels: { ...cluster.labels, cluster: cluster.name, region: cluster.region, env: config.environment },
    serviceCidr: text("serviceCidr"),
  };
  if (cluster.provider === "kind") {
    return {
      ...common,
      provider: "kind",
      podCidr: text("podCidr"),
      lbCidr: text("lbCidr"),
      apiServerPort: apiServerPort!,
      nodes: cluster.nodes,
    };
  }
  return { ...common, provider: "eks", podCidr: text("vpcCidr"), vpcCidr: text("vpcCidr"), nodes: cluster.nodes };
}
