import { allocate, Range, RangeField } from "./allocate";
import { parseCidr } from "./cidr";
import { eksProblems, identityProblems, overlapProblems, sizeProblems } from "./rules";
import type { z } from "zod";
import { fleetConfigSchema, type ClusterConfig, type FleetConfig } from "./schema";
import { ClusterPlan, FleetPlan, PlanError, Problem } from "./types";

export * from "./types";
export type { EksSettings, FleetConfig, FleetConfigInput, KindSettings, MeshSettings } from "./schema";

/**
 * Turns a stack's fleet configuration into a validated plan, or throws one `PlanError` listing
 * every problem found. Pure: call it before registering any resource.
 */
export function planFleet(input: unknown): FleetPlan {
  const parsed = fleetConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new PlanError(parsed.error.issues.map((issue) => shapeProblem(issue, input)));
  }
  const config = parsed.data;
  const problems: Problem[] = [];

  const hasKind = config.clusters.some((c) => c.provider === "kind");
  const kindNetworkParse = parseCidr(config.network.kindNetworkCidr);
  if (!kindNetworkParse.ok && hasKind) {
    problems.push({
      key: "network.kindNetworkCidr",
      message: `network.kindNetworkCidr ${config.network.kindNetworkCidr} ${kindNetworkParse.reason}`,
    });
  }
  const kindNetwork = kindNetworkParse.ok ? kindNetworkParse.cidr : undefined;

  const ports = apiServerPorts(config);
  const allocation = allocate(config.clusters, config.network, kindNetwork);
  problems.push(
    ...identityProblems(config.clusters, ports),
    ...hostPortProblems(config, ports),
    ...eksProblems(config.clusters, config.eks),
    ...allocation.problems,
    ...overlapProblems(
      allocation.ranges,
      hasKind && kindNetwork ? { key: "network.kindNetworkCidr", cidr: kindNetwork } : undefined,
    ),
    ...config.clusters.flatMap((cluster, i) =>
      Object.values(allocation.byCluster[i]).flatMap((range) => sizeProblems(cluster, range)),
    ),
  );
  if (problems.length > 0) throw new PlanError(problems);

  const clusters = config.clusters.map((c, i) => toPlan(config, c, i, allocation.byCluster[i], ports.get(i)));
  return {
    environment: config.environment,
    clusters,
    management: clusters.find((c) => c.role === "management")!,
    workloads: clusters.filter((c) => c.role === "workload"),
    kindNetworkCidr: config.network.kindNetworkCidr,
    kind: config.kind,
    eks: config.eks,
    mesh: config.mesh,
  };
}

/** Host API ports of kind clusters by cluster index: explicit, or the base plus the position among kind clusters. */
function apiServerPorts(config: FleetConfig): Map<number, number> {
  const ports = new Map<number, number>();
  let position = 0;
  config.clusters.forEach((cluster, index) => {
    if (cluster.provider !== "kind") return;
    ports.set(index, cluster.apiServerPort ?? config.kind.apiServerPortBase + position);
    position++;
  });
  return ports;
}

/** The Karmada API's host port must not be one of the kind API server ports. */
function hostPortProblems(config: FleetConfig, ports: ReadonlyMap<number, number>): Problem[] {
  const { karmadaApiHostPort } = config.kind;
  return [...ports]
    .filter(([, port]) => port === karmadaApiHostPort)
    .map(([index]) => ({
      key: "kind.karmadaApiHostPort",
      message: `kind.karmadaApiHostPort ${karmadaApiHostPort} is also the API port of clusters[${index}] (${config.clusters[index].name})`,
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

/** A schema issue as a problem naming the config key, e.g. `clusters[1].provider`. */
function shapeProblem(issue: z.core.$ZodIssue, input: unknown): Problem {
  const key = issue.path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    "",
  );
  const value = issue.path.reduce<unknown>(
    (node, part) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined),
    input,
  );
  const shown = value === undefined || typeof value === "object" ? "" : ` ${JSON.stringify(value)}`;
  const why =
    issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)
      ? `unknown ${String(issue.path.at(-1))}; expected one of ${issue.options.join(", ")}`
      : issue.message;
  return { key: key || "(root)", message: `${key || "(root)"}${shown}: ${why}` };
}
