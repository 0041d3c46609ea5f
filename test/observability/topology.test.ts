import { parse } from "yaml";
import { FleetTopology, KIALI_READER_RULES } from "../../components/observability/topology";
import { unknownValuePaths } from "../support/chart-values";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram, secretValue } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

// Kiali on the management cluster: every workload cluster read through its own read-only
// identity, listed explicitly, with the central Prometheus and Tempo behind it.
let resources: Recorded[];
beforeAll(async () => {
  resources = (
    await runProgram({
      stack: "dev",
      program: () => {
        const host = fakeCluster("mgmt", { role: "management" });
        new FleetTopology("topology", {
          host,
          clusters: [fakeCluster("west"), fakeCluster("east")],
          prometheusUrl: "http://kps-prometheus.monitoring.svc.cluster.local:9090",
          tracingUrl: "http://tempo.tracing.svc.cluster.local:3200",
        });
      },
    })
  ).resources;
});

/** Unknown to both the chart's values and Kiali's config reference (the chart writes its values into Kiali's config). */
const unknownKiali = (values: unknown) => {
  // kubernetes_config.cluster_name: kiali.io docs Configuration/multi-cluster/external.md (an external Kiali names its own cluster).
  const chart = unknownValuePaths(values, "kiali-server@2.29.0", ["kubernetes_config.cluster_name"]);
  const config = unknownValuePaths(values, "kiali-config@v2.29.0", ["kubernetes_config.cluster_name"]);
  return chart.filter((p) => config.includes(p));
};

test("Kiali is external, anonymous and view-only, lists each cluster's Secret, and keeps its signing key", () => {
  const release = named(resources, "kubernetes:helm.sh/v3:Release", "topology-kiali");
  const inputs = plain(release.inputs);
  expect(inputs).toMatchObject({ name: "kiali", namespace: "istio-system", chart: "kiali-server", version: "2.29.0" });
  const { values } = inputs;
  expect(unknownKiali(values)).toEqual([]);
  expect(values.deployment).toMatchObject({ image_version: "v2.29.0", view_only_mode: true });
  expect(values.auth).toEqual({ strategy: "anonymous" });
  expect(values.kubernetes_config).toEqual({ cluster_name: "mgmt" });
  expect(values.clustering).toEqual({
    // The chart's lookup of labelled Secrets would mount them a second time (kiali-server
    // templates/deployment.yaml mounts autodetected and listed clusters alike).
    autodetect_secrets: { enabled: false },
    ignore_home_cluster: true,
    clusters: [
      { name: "west", secret_name: "kiali-remote-west" },
      { name: "east", secret_name: "kiali-remote-east" },
    ],
  });
  expect(values.external_services.prometheus).toEqual({ url: "http://kps-prometheus.monitoring.svc.cluster.local:9090" });
  expect(values.external_services.tracing).toMatchObject({ enabled: true, provider: "tempo", internal_url: "http://tempo.tracing.svc.cluster.local:3200" });
  // Not Kiali's per-render random key: Pulumi's, kept, in a Secret the chart mounts, never in the values.
  expect(values.login_token).toEqual({ signing_key: "secret:kiali-signing-key:value.txt" });
  const signing = named(resources, "kubernetes:core/v1:Secret", "topology-signing-key");
  expect(plain(signing.inputs).metadata).toEqual({ name: "kiali-signing-key", namespace: "istio-system" });
  expect(secretValue(signing.inputs.stringData)["value.txt"]).toHaveLength(32);
  expect(release.dependsOn).toEqual(expect.arrayContaining(["topology-signing-key", "topology-west-remote", "topology-east-remote"]));
});

test("each remote Secret holds a kubeconfig under the cluster's name, with the reader's token", () => {
  for (const cluster of ["west", "east"]) {
    const secret = named(resources, "kubernetes:core/v1:Secret", `topology-${cluster}-remote`);
    expect(secret.providers).toEqual(["mgmt-k8s"]);
    validateK8s(secret);
    const inputs = plain(secret.inputs);
    expect(inputs.metadata).toEqual({
      name: `kiali-remote-${cluster}`,
      namespace: "istio-system",
      labels: { "kiali.io/multiCluster": "true" },
      annotations: { "kiali.io/cluster": cluster },
    });
    const kubeconfig = parse(inputs.stringData[cluster]);
    expect(kubeconfig.clusters[0].name).toBe(cluster);
    expect(kubeconfig.users[0].user.token).toBeDefined();
  }
});

test("the reader may only read, and never Secrets", () => {
  const writes = KIALI_READER_RULES.filter((r) => r.verbs.some((v) => !["get", "list", "watch"].includes(v)));
  // Token reviews are how Kiali checks a caller; they change nothing.
  expect(writes).toEqual([{ apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] }]);
  const core = KIALI_READER_RULES.filter((r) => r.apiGroups.includes(""));
  expect(core.flatMap((r) => r.resources)).not.toContain("secrets");
  expect(core.flatMap((r) => r.resources)).not.toContain("*");
  const roles = ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").filter((r) => r.name.startsWith("topology-"));
  expect(roles.map((r) => r.providers[0]).sort()).toEqual(["east-k8s", "west-k8s"]);
  for (const role of roles) expect(plain(role.inputs).rules).toEqual(KIALI_READER_RULES);
});
