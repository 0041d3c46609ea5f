import * as pulumi from "@pulumi/pulumi";
import { PROMETHEUS_READER, PROMETHEUS_WRITER, prometheusAccessRules, prometheusGatewayConfig } from "../../components/management";
import { PROMETHEUS_GATEWAY_IMAGE } from "../../components/versions";
import { unknownValuePaths } from "../support/chart-values";
import { caseConfig } from "../support/graph";
import { named, plain, type Recorded, runProgram, secretPaths, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";
import { allowedBy } from "../support/nginx-map";

// The central Prometheus answers the fleet only through its gateway, with a credential; in its
// own cluster only its gateway and the listed readers reach it (and Loki likewise).
const WORKLOADS = ["west", "east"];
const UPSTREAM = "http://kps-prometheus.monitoring.svc.cluster.local:9090";

describe("the gateway's access rules", () => {
  const allowed = (user: string, uri: string) => allowedBy(prometheusAccessRules(), user, uri);

  test("the writer only remote-writes", () => {
    expect(allowed(PROMETHEUS_WRITER, "/api/v1/write")).toBe(true);
    for (const uri of ["/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/federate", "/-/reload", "/api/v1/write/x"]) {
      expect(allowed(PROMETHEUS_WRITER, uri)).toBe(false);
    }
  });

  test("the reader only reads the API: no write path, no admin, no lifecycle, no UI", () => {
    for (const uri of ["/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels", "/api/v1/label/job/values", "/api/v1/status/buildinfo"]) {
      expect(allowed(PROMETHEUS_READER, uri)).toBe(true);
    }
    for (const uri of ["/api/v1/write", "/api/v1/otlp/v1/metrics", "/api/v1/admin/tsdb/delete_series", "/-/reload", "/-/quit", "/graph", "/federate", "/"]) {
      expect(allowed(PROMETHEUS_READER, uri)).toBe(false);
    }
  });

  test("nobody else gets anywhere, whatever name they give", () => {
    for (const user of ["", "admin", `x${PROMETHEUS_READER}`, `${PROMETHEUS_WRITER}x`]) {
      for (const uri of ["/api/v1/write", "/api/v1/query", "/-/reload", "/", "/metrics"]) expect(allowed(user, uri)).toBe(false);
    }
  });

  test("nginx's config: basic auth, the map, the refusal, Prometheus's in-cluster Service; probes without credential", () => {
    const config = prometheusGatewayConfig(UPSTREAM);
    expect(config).toContain(prometheusAccessRules());
    const root = /location \/ \{([^}]*\{[^}]*\}[^}]*)\}/.exec(config)![1];
    expect(root).toContain('auth_basic "prometheus";');
    expect(root).toContain("auth_basic_user_file /etc/nginx/secrets/.htpasswd;");
    expect(root).toContain("if ($prometheus_forbidden) { return 403; }");
    expect(root).toContain(`proxy_pass ${UPSTREAM};`);
    // The credential stays at the gateway.
    expect(root).toContain('proxy_set_header Authorization "";');
    expect(/location = \/healthz \{[^}]*\}/.exec(config)![0]).not.toContain("auth_basic");
    expect(config).toContain("listen 8080;");
  });
});

type Run = { resources: Recorded[]; readers: { prometheus: { url: string; username: string }; loki: { url: string; username: string } }; isSecret: boolean };

async function evaluate(stack: "dev" | "prod"): Promise<Run> {
  const run = await runProgram({ stack, config: caseConfig(stack, "sidecar"), program: async () => (await import("../../stacks")).composeStack() });
  const readers = run.result.readers;
  return { resources: run.resources, readers: await valueOf(readers), isSecret: await pulumi.isSecret(readers) };
}

describe.each(["dev", "prod"] as const)("%s stack", (stack) => {
  let run: Run;
  beforeAll(async () => {
    run = await evaluate(stack);
  });
  const get = (type: string, name: string) => named(run.resources, type, name);

  test("the fleet's address is the gateway's Service, after Prometheus's release lets it go; pods and Service agree", () => {
    const service = get("kubernetes:core/v1:Service", "platform-monitoring-gateway-service");
    validateK8s(service);
    const spec = plain(service.inputs).spec;
    expect(service.providers).toEqual(["mgmt-k8s"]);
    expect(plain(service.inputs).metadata).toMatchObject({ name: "prometheus-gateway", namespace: "monitoring" });
    expect(spec.ports).toEqual([{ name: "http", port: 9090, targetPort: 8080, ...(stack === "dev" ? { nodePort: 30090 } : {}) }]);
    expect(spec.type).toBe(stack === "dev" ? "NodePort" : "LoadBalancer");
    expect(service.dependsOn).toContain("platform-monitoring-central");
    const deployment = get("kubernetes:apps/v1:Deployment", "platform-monitoring-gateway-deployment");
    validateK8s(deployment);
    const pod = plain(deployment.inputs).spec.template;
    expect(pod.metadata.labels).toMatchObject(spec.selector);
    expect(pod.spec.containers[0].image).toBe(PROMETHEUS_GATEWAY_IMAGE);
    expect(pod.spec.containers[0].ports).toEqual([{ name: "http", containerPort: 8080 }]);
    const config = get("kubernetes:core/v1:ConfigMap", "platform-monitoring-gateway-config");
    validateK8s(config);
    expect(plain(config.inputs).data["nginx.conf"]).toBe(prometheusGatewayConfig(UPSTREAM));
  });

  test("the credentials are generated and secret: the gateway's htpasswd, every agent's writer, every workload OpenCost's reader", () => {
    const users = get("kubernetes:core/v1:Secret", "platform-monitoring-gateway-htpasswd");
    validateK8s(users);
    expect(secretPaths(users.inputs.stringData, "stringData")).not.toEqual([]);
    const lines = plain(users.inputs.stringData)[".htpasswd"].trim().split("\n");
    expect(lines.map((l: string) => l.split(":")[0])).toEqual([PROMETHEUS_WRITER, PROMETHEUS_READER]);
    for (const w of WORKLOADS) {
      const writer = get("kubernetes:core/v1:Secret", `platform-monitoring-${w}-writer-credentials`);
      validateK8s(writer);
      expect(writer.providers).toEqual([`${w}-k8s`]);
      expect(secretPaths(writer.inputs.stringData, "stringData")).not.toEqual([]);
      expect(plain(writer.inputs).metadata.name).toBe("prometheus-remote-write");
      expect(plain(writer.inputs).stringData.username).toBe(PROMETHEUS_WRITER);
      expect(get("kubernetes:helm.sh/v3:Release", `platform-monitoring-${w}-agent`).dependsOn).toContain(writer.name);

      const reader = get("kubernetes:core/v1:Secret", `platform-observability-${w}-opencost-prometheus-reader`);
      validateK8s(reader);
      expect(secretPaths(reader.inputs.stringData, "stringData")).not.toEqual([]);
      expect(plain(reader.inputs)).toMatchObject({ metadata: { name: "prometheus-reader", namespace: "opencost" } });
      expect(Object.keys(plain(reader.inputs).stringData).sort()).toEqual(["DB_BASIC_AUTH_PW", "DB_BASIC_AUTH_USERNAME"]);
      expect(plain(reader.inputs).stringData.DB_BASIC_AUTH_USERNAME).toBe(PROMETHEUS_READER);
      const values = plain(get("kubernetes:helm.sh/v3:Release", `platform-observability-${w}-opencost`).inputs).values;
      expect(unknownValuePaths(values, "opencost@2.5.17")).toEqual([]);
      // opencost chart 2.5.17 templates/deployment.yaml: both keys of `secret_name` into the environment.
      expect(values.opencost.prometheus).toMatchObject({ secret_name: "prometheus-reader", username_key: "DB_BASIC_AUTH_USERNAME", password_key: "DB_BASIC_AUTH_PW" });
      expect(values.opencost.prometheus.username).toBeUndefined();
    }
    // The management cluster's OpenCost reads Prometheus in-cluster, without credential.
    const own = plain(get("kubernetes:helm.sh/v3:Release", "platform-observability-mgmt-opencost").inputs).values.opencost.prometheus;
    expect(own).toEqual({ internal: { enabled: false }, external: { enabled: true, url: UPSTREAM } });
  });

  test("Prometheus's and Loki's pods admit only their gateways and the management cluster's readers", () => {
    const prometheus = get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "platform-monitoring-prometheus-sources");
    validateK8s(prometheus);
    expect(prometheus.providers).toEqual(["mgmt-k8s"]);
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
    expect(plain(prometheus.inputs).spec).toEqual({
      // The operator's pod labels (prometheus-operator v0.93.1 pkg/prometheus/server/statefulset_test.go).
      podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": "kps-prometheus" } },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [ns("monitoring")] },
        { from: [ns("istio-system")], ports: [{ protocol: "TCP", port: 9090 }] },
        { from: [ns("opencost")], ports: [{ protocol: "TCP", port: 9090 }] },
      ],
    });
    const loki = get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "platform-observability-logs-loki-sources");
    validateK8s(loki);
    expect(plain(loki.inputs).spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "loki", "app.kubernetes.io/component": "single-binary" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": "loki" } } }] }, { from: [ns("monitoring")], ports: [{ protocol: "TCP", port: 3100 }] }],
    });
    // Kiali and Grafana query in-cluster: their namespaces are the ones admitted.
    const kiali = plain(get("kubernetes:helm.sh/v3:Release", "platform-observability-topology-kiali").inputs).values;
    expect(kiali.external_services.prometheus.url).toBe(UPSTREAM);
  });

  test("the readers output: both query credentials, secret, at the gateways' fleet addresses", () => {
    expect(run.isSecret).toBe(true);
    expect(run.readers.prometheus.username).toBe(PROMETHEUS_READER);
    expect(run.readers.loki.username).toBe("loki-reader");
    if (stack === "dev") {
      expect(run.readers.prometheus.url).toBe("http://mgmt-control-plane:30090");
      expect(run.readers.loki.url).toBe("http://mgmt-control-plane:31100");
    }
  });
});
