import * as fs from "fs";
import { observabilitySchema } from "../../plan/observability-schema";
import { caseConfig, STACK_CASES } from "../support/graph";
import { named, ofType, plain, type Recorded, runProgram, valueOf } from "../support/harness";

// The whole stacks with logs, traces, topology, cost and backups, in both mesh modes: every
// cluster's collectors carry its name, Grafana has every data source, each tool sits where the
// docs say, the cloud's buckets hold the data on EKS and in-cluster stores on kind.
const WORKLOADS = ["west", "east"];

async function evaluate(stack: "dev" | "prod", mode: "sidecar" | "ambient") {
  const run = await runProgram({ stack, config: caseConfig(stack, mode), program: async () => (await import("../../stacks")).composeStack() });
  return { resources: run.resources, observability: await valueOf(run.result.observability) };
}
const release = (resources: Recorded[], name: string) => plain(named(resources, "kubernetes:helm.sh/v3:Release", name).inputs);

describe.each(STACK_CASES)("%s stack, %s mesh", (stack, mode) => {
  let resources: Recorded[];
  let observability: Awaited<ReturnType<typeof evaluate>>["observability"];
  beforeAll(async () => ({ resources, observability } = await evaluate(stack, mode)));

  test("logs: Alloy on every cluster, each line labelled with its cluster's name, into Loki on mgmt", () => {
    for (const cluster of ["mgmt", ...WORKLOADS]) {
      const alloy = named(resources, "kubernetes:helm.sh/v3:Release", `platform-observability-logs-${cluster}-alloy`);
      expect(alloy.providers).toEqual([`${cluster}-k8s`]);
      const config: string = plain(alloy.inputs).values.alloy.configMap.content;
      expect(config).toContain(`cluster = "${cluster}"`);
    }
    expect(named(resources, "kubernetes:helm.sh/v3:Release", "platform-observability-logs-loki").providers).toEqual(["mgmt-k8s"]);
  });

  test("traces: a collector per workload cluster stamping its name, Istio sending to it, Tempo on mgmt", () => {
    for (const cluster of WORKLOADS) {
      const values = JSON.stringify(release(resources, `platform-observability-traces-${cluster}-collector`).values);
      expect(values).toContain(`"value":"${cluster}"`);
      const istiod = release(resources, `mesh-${cluster}-istiod`).values;
      expect(istiod.meshConfig.extensionProviders[0].name).toBe("otel-tracing");
      const telemetry = named(resources, "kubernetes:telemetry.istio.io/v1:Telemetry", `platform-observability-traces-${cluster}-telemetry`);
      expect(telemetry.providers).toEqual([`${cluster}-k8s`]);
      // One sampling default, the plan's, and the docs say which.
      const sampling = observabilitySchema.parse({}).traces.samplingPercent;
      expect(plain(telemetry.inputs).spec.tracing[0].randomSamplingPercentage).toBe(sampling);
      expect(fs.readFileSync("docs/observability.md", "utf8")).toContain(`\`traces.samplingPercent\`, default ${sampling} %`);
      expect(fs.readFileSync("docs/configuration.md", "utf8")).toMatch(new RegExp(`\`traces.samplingPercent\` \\| \`72h\` / ${sampling} \\|`));
    }
  });

  test("Grafana reads Prometheus, Loki and Tempo; Kiali, OpenCost, the cost rule and the Istio monitors are in place", () => {
    const grafana = release(resources, "platform-monitoring-central").values.grafana;
    expect(grafana.additionalDataSources.map((d: { uid: string; url: string }) => [d.uid, d.url])).toEqual([
      ["loki", "http://loki.logging.svc.cluster.local:3100"],
      ["tempo", "http://tempo.tracing.svc.cluster.local:3200"],
    ]);
    expect(ofType(resources, "kubernetes:helm.sh/v3:Release").filter((r) => r.name.endsWith("-opencost")).map((r) => r.providers[0])).toEqual([
      "mgmt-k8s",
      "west-k8s",
      "east-k8s",
    ]);
    const rule = plain(named(resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "platform-observability-transfer-cost").inputs);
    // The stack files' west and east are in different regions: priced at the default 0.02 USD/GB across regions.
    const prices = rule.spec.groups[0].rules.filter((r: { record?: string }) => r.record === "platform:cluster_pair_transfer_price:usd_per_gb");
    expect(prices.map((r: { labels: Record<string, string>; expr: string }) => [r.labels.source_cluster, r.labels.destination_cluster, r.labels.cross_region, r.expr])).toEqual([
      ["west", "east", "true", "vector(0.02)"],
      ["east", "west", "true", "vector(0.02)"],
    ]);
    const monitors = ofType(resources, "kubernetes:monitoring.coreos.com/v1:PodMonitor").map((r) => r.name);
    expect(monitors.filter((n) => n.endsWith("-ztunnel"))).toHaveLength(mode === "ambient" ? 2 : 0);
    expect(named(resources, "kubernetes:helm.sh/v3:Release", "platform-observability-topology-kiali").providers).toEqual(["mgmt-k8s"]);
    expect(Object.keys(observability).sort()).toEqual(["backupLocation", "kialiUrl", "logPushUrl", "traceEndpoint"]);
  });

  test("monitors, rules and OpenCost's ServiceMonitors wait for the Prometheus operator's CRDs where they go (and Istio's, for the mesh monitors)", () => {
    expect(named(resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "platform-observability-transfer-cost").dependsOn).toEqual(["platform-monitoring-central"]);
    expect(named(resources, "kubernetes:helm.sh/v3:Release", "platform-observability-mgmt-opencost").dependsOn).toEqual(["platform-monitoring-central"]);
    for (const w of WORKLOADS) {
      expect(named(resources, "kubernetes:helm.sh/v3:Release", `platform-observability-${w}-opencost`).dependsOn).toEqual([`platform-monitoring-${w}-agent`, `platform-observability-${w}-opencost-prometheus-reader`]);
      for (const monitor of ofType(resources, "kubernetes:monitoring.coreos.com/v1:PodMonitor").filter((r) => r.name.startsWith(`platform-observability-${w}-`))) {
        expect(monitor.dependsOn).toEqual([`platform-monitoring-${w}-agent`, `mesh-${w}`]);
      }
    }
  });

  test("the apps' NetworkPolicies let the agents scrape the sidecars the mesh monitors select", () => {
    const agentNamespace = release(resources, "platform-monitoring-west-agent").namespace;
    const policy = plain(named(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-nginx-network-mesh").inputs);
    const scrape = policy.spec.ingress.find((rule: { ports?: { port: unknown }[] }) => rule.ports?.some((p) => p.port === 15090));
    if (mode === "sidecar") {
      // Istio's injection template: Envoy's `http-envoy-prom` port is 15090.
      expect(scrape.from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": agentNamespace } } }]);
    } else {
      expect(scrape).toBeUndefined();
    }
  });

  test("backups: Velero on mgmt, to the cloud's bucket on EKS and to an in-cluster store on kind", () => {
    expect(named(resources, "kubernetes:helm.sh/v3:Release", "platform-backups-velero").providers).toEqual(["mgmt-k8s"]);
    const stores = ofType(resources, "kubernetes:helm.sh/v3:Release").filter((r) => plain(r.inputs).chart === "seaweedfs");
    const buckets = ofType(resources, "aws:s3/bucket:Bucket").map((r) => r.name);
    if (stack === "prod") {
      expect(stores).toEqual([]);
      expect(buckets).toEqual(["mgmt-logs-bucket", "mgmt-traces-bucket", "mgmt-backups-bucket"]);
      expect(observability.backupLocation).toMatch(/^s3:\/\/.+\/mgmt\/ \(S3, us-west-2\)$/);
    } else {
      expect(stores.map((r) => r.providers[0])).toEqual(["mgmt-k8s"]);
      expect(buckets).toEqual([]);
    }
  });
});
