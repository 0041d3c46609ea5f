import { readFileSync } from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster, PersistentStorage } from "../../components/cluster";
import { agentValues, CENTRAL_OUT_OF_ORDER_WINDOW, centralValues, METRICS_OUTAGE_BUFFER_HOURS, retentionSize } from "../../components/management";
import { unknownValuePaths } from "../support/chart-values";
import { named, ofType, plain, type Recorded, secretValue } from "../support/harness";
import { validateK8s, validateModel } from "../support/k8s-schema";
import { devWithThirdWorkload, WORKLOADS } from "./third-workload";

const PROMETHEUS_OPERATOR_V1 = "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
let resources: Recorded[];

beforeAll(async () => {
  ({ resources } = await devWithThirdWorkload());
});

const release = (name: string) => named(resources, "kubernetes:helm.sh/v3:Release", name);

describe("monitoring", () => {
  test("the management Prometheus receives remote writes behind its gateway, on its chart's ClusterIP, and labels its own series", () => {
    const central = release("platform-monitoring-central");
    expect(central.providers).toEqual(["mgmt-k8s"]);
    const values = plain(central.inputs.values);
    expect(unknownValuePaths(values, "kube-prometheus-stack@88.5.3")).toEqual([]);
    // The fleet's node port is the gateway's (test/management/prometheus-gateway.test.ts).
    expect(values.prometheus.service).toBeUndefined();
    expect(values.prometheus.prometheusSpec.enableRemoteWriteReceiver).toBe(true);
    expect(values.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    validateModel(PROMETHEUS_OPERATOR_V1, "Prometheus", {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "Prometheus",
      metadata: { name: "kps-prometheus" },
      spec: values.prometheus.prometheusSpec,
    });
  });

  test("Alertmanager groups by cluster and alertname, and its webhook URLs stay secret", () => {
    const central = release("platform-monitoring-central");
    const config = plain(central.inputs.values).alertmanager.config;
    expect(config.route.group_by).toEqual(["cluster", "alertname"]);
    expect(config.receivers).toEqual([
      { name: "null" },
      { name: "oncall", webhook_configs: [{ url: "https://hooks.example.com/T0KEN", send_resolved: true }] },
    ]);
    expect(config.route.routes).toContainEqual({ receiver: "oncall", continue: true });
    expect(secretValue(central.inputs.values).alertmanager.config.receivers[1].webhook_configs[0].url).toContain("T0KEN");
  });

  test("every workload cluster runs a Prometheus agent that remote-writes with its cluster label", () => {
    expect(ofType(resources, "kubernetes:helm.sh/v3:Release").filter((r) => r.name.endsWith("-agent")).map((r) => r.providers[0])).toEqual(
      WORKLOADS.map((w) => `${w}-k8s`),
    );
    for (const w of WORKLOADS) {
      const values = plain(release(`platform-monitoring-${w}-agent`).inputs.values);
      expect(unknownValuePaths(values, "kube-prometheus-stack@88.5.3")).toEqual([]);
      expect(values.prometheus.agentMode).toBe(true);
      expect(values.prometheus.prometheusSpec.externalLabels).toEqual({ cluster: w });
      // A central outage is ridden out: samples wait and are retried with backoff, 429s included.
      expect(values.prometheus.prometheusSpec.remoteWrite).toEqual([
        {
          url: "http://mgmt-control-plane:30090/api/v1/write",
          basicAuth: { username: { name: "prometheus-remote-write", key: "username" }, password: { name: "prometheus-remote-write", key: "password" } },
          queueConfig: { capacity: 10000, maxShards: 10, minBackoff: "1s", maxBackoff: "5m", retryOnRateLimit: true },
        },
      ]);
      expect(values.grafana).toEqual({ enabled: false });
      // kind has no volumes: the WAL stays on the pod's emptyDir.
      expect(values.prometheus.prometheusSpec.storageSpec).toBeUndefined();
      validateModel(`${PROMETHEUS_OPERATOR_V1}alpha1`, "PrometheusAgent", {
        apiVersion: "monitoring.coreos.com/v1alpha1",
        kind: "PrometheusAgent",
        metadata: { name: "kps-prometheus" },
        spec: values.prometheus.prometheusSpec,
      });
    }
  });

  test("Grafana: admin password in a Secret we own, and a fleet dashboard with a cluster variable", () => {
    const admin = named(resources, "kubernetes:core/v1:Secret", "platform-monitoring-grafana-admin");
    expect(secretValue(admin.inputs.stringData)["admin-user"]).toBe("admin");
    validateK8s(admin);
    const dashboard = named(resources, "kubernetes:core/v1:ConfigMap", "platform-monitoring-fleet-dashboard");
    validateK8s(dashboard);
    const inputs = plain(dashboard.inputs);
    expect(inputs.metadata.labels).toEqual({ grafana_dashboard: "1" });
    const json = JSON.parse(inputs.data["fleet-overview.json"]);
    expect(json.templating.list[0]).toMatchObject({ name: "cluster", includeAll: true, multi: true });
    const exprs = json.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr));
    expect(exprs.some((e: string) => e.includes("container_cpu_usage_seconds_total"))).toBe(true);
    expect(exprs.some((e: string) => e.includes("container_memory_working_set_bytes"))).toBe(true);
    expect(exprs.some((e: string) => e.includes("kube_pod"))).toBe(true);
    expect(exprs.every((e: string) => e.includes('cluster=~"$cluster"'))).toBe(true);
  });
});


test("the central Prometheus fills 90% of its volume, in Prometheus's units (powers of 1024)", () => {
  // Prometheus's `GB` is 2^30 bytes (prometheus/common units.Base2Bytes), so 90% of 50Gi is 45GB.
  expect([retentionSize("50Gi"), retentionSize("200Gi"), retentionSize("1Ti"), retentionSize("1024Mi")]).toEqual(["45GB", "180GB", "921GB", "1GB"]);
  expect(() => retentionSize("50GB")).toThrow("50GB is not a storage size such as 50Gi");
});

/** What the values functions read of a cluster: its name and its volumes. */
function valuesOnly(name: string, persistentStorage?: PersistentStorage): Cluster {
  return { name, persistentStorage } as Cluster;
}

/** Hours in a Prometheus duration such as `26h` or `2d`. */
function hours(duration: string): number {
  const match = /^([0-9]+)(h|d)$/.exec(duration);
  if (!match) throw new Error(`${duration} is not a duration in hours or days`);
  return Number(match[1]) * (match[2] === "d" ? 24 : 1);
}

describe("a central outage of the promised length loses no metrics", () => {
  test("the agents keep unsent samples for the buffer, and the central Prometheus takes samples that old", () => {
    const central = centralValues(valuesOnly("mgmt"), pulumi.output([]));
    const agent = agentValues(valuesOnly("west"), "http://mgmt:30090/api/v1/write").prometheus.prometheusSpec;
    // Prometheus 3.14 agents cut their WAL at 4h unless told otherwise (tsdb/agent/db.go DefaultMaxWALTime).
    expect(agent.additionalArgs).toEqual([{ name: "storage.agent.retention.max-time", value: `${METRICS_OUTAGE_BUFFER_HOURS}h` }]);
    expect(METRICS_OUTAGE_BUFFER_HOURS).toBeGreaterThan(4);
    // The receiver refuses, with a 400 the agent never retries, samples older than its window allows.
    const window = central.prometheus.prometheusSpec.tsdb.outOfOrderTimeWindow;
    expect(window).toBe(CENTRAL_OUT_OF_ORDER_WINDOW);
    expect(hours(window)).toBeGreaterThanOrEqual(METRICS_OUTAGE_BUFFER_HOURS);
  });

  test("where the cluster has volumes, the agent's WAL is on one", () => {
    const cluster = valuesOnly("west", { storageClassName: "gp3", ready: [] });
    const spec = agentValues(cluster, "http://mgmt:30090/api/v1/write").prometheus.prometheusSpec;
    expect(spec.storageSpec).toEqual({
      volumeClaimTemplate: { spec: { storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } },
    });
    expect(unknownValuePaths(agentValues(cluster, "http://mgmt:30090/api/v1/write"), "kube-prometheus-stack@88.5.3")).toEqual([]);
  });

  test("docs state the buffer and the window", () => {
    for (const doc of ["docs/observability.md", "docs/recovery.md"]) {
      const text = readFileSync(doc, "utf8");
      expect(text).toContain(`${METRICS_OUTAGE_BUFFER_HOURS} h`);
    }
    expect(readFileSync("docs/observability.md", "utf8")).toContain(`outOfOrderTimeWindow: ${CENTRAL_OUT_OF_ORDER_WINDOW}`);
  });
});
