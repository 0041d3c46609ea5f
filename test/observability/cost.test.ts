import { parser } from "@prometheus-io/lezer-promql";
import { planFleet } from "../../plan";
import { fleet, kind, problemsOf } from "../plan/fleets";
import { fleetOverviewDashboard } from "../../components/management/fleet-dashboard";
import { lokiDataSource, TEMPO_QUERY_URL, tempoDataSource } from "../../components/observability";
import { openCostValues, transferCostRule } from "../../components/observability/cost";
import { meshMonitors } from "../../components/observability/mesh-metrics";
import { unknownValuePaths } from "../support/chart-values";
import { validateModel } from "../support/k8s-schema";

// Cost per cluster and the price of cross-cluster traffic, as real Prometheus rules: every
// expression parsed with Prometheus's own PromQL grammar (@prometheus-io/lezer-promql), the rule
// validated against the prometheus-operator schema, its units computed from the parsed tree.
const OPERATOR = "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

function parse(expr: string) {
  const tree = parser.parse(expr);
  const errors: number[] = [];
  tree.iterate({ enter: (node) => void (node.type.isError && errors.push(node.from)) });
  return { tree, errors };
}

/**
 * Evaluates numbers, `*` and `/` of a parsed expression (a `on (...) group_left (...)` modifier is
 * a one-to-one join here: one pair), each selector worth the value its metric name is given.
 */
function evaluate(expr: string, values: Record<string, number>): number {
  const { tree } = parse(expr);
  const walk = (node: NonNullable<ReturnType<typeof tree.topNode.getChild>>): number => {
    if (node.name === "NumberDurationLiteral" || node.name === "NumberLiteral") return Number(expr.slice(node.from, node.to));
    if (node.name === "VectorSelector") {
      const metric = expr.slice(node.from, node.to).replace(/\{.*$/, "");
      if (!(metric in values)) throw new Error(`no value for ${metric}`);
      return values[metric];
    }
    if (node.name === "BinaryExpr") {
      const [left, right] = [node.firstChild!, node.lastChild!];
      const op = expr.slice(left.to, right.from).trim()[0];
      if (op === "*") return walk(left) * walk(right);
      if (op === "/") return walk(left) / walk(right);
      throw new Error(`operator ${op} not evaluated here`);
    }
    if (node.firstChild) return walk(node.firstChild);
    throw new Error(`cannot evaluate ${node.name}`);
  };
  return walk(tree.topNode);
}

const FLEET = [
  { name: "west", region: "us-west-2" },
  { name: "east", region: "us-east-1" },
  { name: "west-b", region: "us-west-2" },
];
const PRICES = { crossRegionUsdPerGb: 0.02, sameRegionUsdPerGb: 0.01 };
const rule = (mode: "sidecar" | "ambient" = "sidecar", prices = PRICES) => transferCostRule(mode, FLEET, prices, 100);

test("the rule parses as PromQL and as a PrometheusRule; the Prometheus 1 seed of the module does not", () => {
  const object = rule();
  validateModel(OPERATOR, "PrometheusRule", object);
  for (const r of object.spec.groups[0].rules) expect([r.expr, parse(r.expr).errors]).toEqual([r.expr, []]);
  const seed = 'ALERT HighDataTransferCost IF sum(rate(istio_tcp_sent_bytes_total{destination_cluster!="source_cluster"}[1h])) * 0.02 > 100';
  expect(parse(seed).errors.length).toBeGreaterThan(0);
});

test("cross-cluster means source and destination differ, each call counted once by its source", () => {
  const rules = rule().spec.groups[0].rules;
  const counted = rules.filter((r) => r.record === "cluster_pair:istio_bytes:rate5m");
  expect(counted.map((r) => r.labels)).toEqual([
    { protocol: "tcp", direction: "sent" },
    { protocol: "tcp", direction: "received" },
    // Sidecars report HTTP bodies outside their TCP counters.
    { protocol: "http", direction: "request" },
    { protocol: "http", direction: "response" },
  ]);
  for (const r of counted) expect(r.expr).toMatch(/\{reporter="source"\}\[5m\]/);
  const cross = rules.find((r) => r.record === "cluster_pair:istio_cross_cluster_bytes:rate5m")!.expr;
  // The same-cluster pairs, made by copying source_cluster into destination_cluster, are taken away.
  expect(cross).toContain("unless on (source_cluster, destination_cluster)");
  expect(cross).toContain('label_replace(sum by (source_cluster) (cluster_pair:istio_bytes:rate5m), "destination_cluster", "$1", "source_cluster", "(.+)")');
  expect(cross).toContain('source_cluster!="unknown", destination_cluster!="unknown"');
  // ztunnel's TCP counters cover HTTP in ambient mode: no double count.
  expect(rule("ambient").spec.groups[0].rules.filter((r) => r.labels?.protocol === "http")).toEqual([]);
});

test("USD per hour from bytes per second, at the configured price; the alert projects a month", () => {
  const rules = rule().spec.groups[0].rules;
  const usd = rules.find((r) => r.record === "cluster_pair:istio_cross_cluster_transfer_usd:hourly")!.expr;
  // 1.1 MB/s for an hour is 3.96 GB, 0.0792 USD at 0.02 USD/GB.
  const bytes = "cluster_pair:istio_cross_cluster_bytes:rate5m";
  const price = "platform:cluster_pair_transfer_price:usd_per_gb";
  expect(evaluate(usd, { [bytes]: 1.1e6, [price]: 0.02 })).toBeCloseTo(0.0792, 6);
  expect(evaluate(usd, { [bytes]: 1e9 / 3600, [price]: 0.09 })).toBeCloseTo(0.09, 9);
  // The pair's price comes from the join: the USD series carry cross_region.
  expect(usd).toContain("* on (source_cluster, destination_cluster) group_left (cross_region) platform:cluster_pair_transfer_price:usd_per_gb");
  const alert = rules.find((r) => r.alert === "HighCrossClusterTransferCost")!;
  expect(alert.expr).toBe("sum(cluster_pair:istio_cross_cluster_transfer_usd:hourly) * 730 > 100");
  expect(alert.for).toBe("1h");
  // The central Prometheus loads rules of its release only.
  expect(rule().metadata.labels).toEqual({ release: "kps" });
});

test("OpenCost per cluster: its own cluster out of the central Prometheus, values the chart reads", () => {
  const values = openCostValues("west", "http://mgmt-control-plane:30090");
  expect(unknownValuePaths(values, "opencost@2.5.17")).toEqual([]);
  expect(values).toEqual({
    opencost: {
      exporter: { defaultClusterId: "west", extraEnv: { PROM_CLUSTER_ID_LABEL: "cluster", CURRENT_CLUSTER_ID_FILTER_ENABLED: "true" } },
      prometheus: { internal: { enabled: false }, external: { enabled: true, url: "http://mgmt-control-plane:30090" } },
      metrics: { serviceMonitor: { enabled: true, additionalLabels: { release: "kps" } }, kubeStateMetrics: { emitKsmV1MetricsOnly: true } },
      ui: { enabled: false },
    },
  });
});

test("the agents scrape every Envoy, istiod, and ztunnel in ambient, on Istio's own port names", () => {
  const sidecar = meshMonitors("sidecar");
  const ambient = meshMonitors("ambient");
  for (const monitor of [...sidecar, ...ambient]) {
    validateModel(OPERATOR, monitor.kind, monitor);
    expect(monitor.metadata.labels).toEqual({ release: "kps" });
  }
  expect(sidecar.map((m) => m.metadata.name)).toEqual(["istio-proxies", "istiod"]);
  expect(ambient.map((m) => m.metadata.name)).toEqual(["istio-proxies", "istiod", "ztunnel"]);
  // istio@1.30.3: injection-template.yaml names Envoy's stats port http-envoy-prom; istiod's Service
  // port http-monitoring; the ztunnel chart's ztunnel-stats.
  expect(JSON.stringify(ambient)).toContain('"port":"http-envoy-prom","path":"/stats/prometheus"');
  expect(JSON.stringify(ambient)).toContain('"port":"http-monitoring"');
  expect(JSON.stringify(ambient)).toContain('"port":"ztunnel-stats","path":"/metrics"');
});

test("the fleet dashboard shows each cluster's cost, what it pays to send, and its logs, by the names the rule and Loki use", () => {
  const panels = fleetOverviewDashboard().panels as { title: string; datasource: { uid: string }; targets: { expr: string }[] }[];
  const exprs = panels.flatMap((p) => p.targets.map((t) => t.expr));
  const recorded = rule().spec.groups[0].rules.map((r) => r.record).filter(Boolean) as string[];
  // The panel reads a series the rule really records.
  expect(exprs.find((e) => e.includes("transfer_usd"))).toContain(recorded.find((r) => r.endsWith("transfer_usd:hourly")));
  expect(exprs.some((e) => e.startsWith("sum by (cluster) (node_total_hourly_cost"))).toBe(true);
  const logs = panels.find((p) => p.title.startsWith("Logs"))!;
  expect(logs.datasource.uid).toBe(lokiDataSource().uid);
  expect(logs.targets[0].expr).toBe('{cluster=~"$cluster"}');
  // Spans link to logs through Loki's uid.
  expect((tempoDataSource(TEMPO_QUERY_URL).jsonData.tracesToLogsV2 as { datasourceUid: string }).datasourceUid).toBe(lokiDataSource().uid);
});

test("trace retention is a Go duration (Tempo has no days); the others take Prometheus's units", () => {
  const withObservability = (observability: object) => ({ ...fleet(kind("mgmt", "management"), kind("west")), observability });
  expect(problemsOf(withObservability({ traces: { retention: "7d" } })).map((p) => p.message)).toEqual([
    'observability.traces.retention "7d": is not a duration in hours or less, such as 72h (Tempo has no days)',
  ]);
  expect(planFleet(withObservability({ traces: { retention: "168h" }, logs: { retention: "30d" }, metrics: { retention: "4w" } })).observability).toMatchObject({
    traces: { retention: "168h", samplingPercent: 1 },
    logs: { retention: "30d", volume: "10Gi" },
    metrics: { retention: "4w", volume: "50Gi" },
    cost: { transferUsdPerGb: 0.02, monthlyTransferAlertUsd: 100 },
  });
});


test("each ordered pair of the fleet's clusters gets its price, across regions or within one", () => {
  const prices = rule().spec.groups[0].rules.filter((r) => r.record === "platform:cluster_pair_transfer_price:usd_per_gb");
  // Three clusters: six ordered pairs; west and west-b share a region.
  expect(prices.map((r) => [r.labels!.source_cluster, r.labels!.destination_cluster, r.labels!.cross_region, r.expr])).toEqual([
    ["west", "east", "true", "vector(0.02)"],
    ["west", "west-b", "false", "vector(0.01)"],
    ["east", "west", "true", "vector(0.02)"],
    ["east", "west-b", "true", "vector(0.02)"],
    ["west-b", "west", "false", "vector(0.01)"],
    ["west-b", "east", "true", "vector(0.02)"],
  ]);
  const crossRegion = rule().spec.groups[0].rules.find((r) => r.record === "cluster_pair:istio_cross_region_bytes:rate5m")!;
  expect(crossRegion.expr).toBe(
    'cluster_pair:istio_cross_cluster_bytes:rate5m and on (source_cluster, destination_cluster) platform:cluster_pair_transfer_price:usd_per_gb{cross_region="true"}',
  );
  expect(parse(crossRegion.expr).errors).toEqual([]);
});
