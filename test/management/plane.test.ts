import * as pulumi from "@pulumi/pulumi";
import { KARMADA_OPEN_VALUES, unknownValuePaths } from "../support/chart-values";
import { named, ofType, plain, type Recorded, secretValue, valueOf } from "../support/harness";
import { devWithThirdWorkload, WORKLOADS } from "./third-workload";

// Pulumi.dev.yaml gives the workload clusters distinct regions; the appended one has the default.
const REGIONS: Record<string, string> = { west: "us-west", east: "us-east", north: "local" };
import { validateK8s } from "../support/k8s-schema";
import { karmadaClusterProblems } from "../support/validators";

let resources: Recorded[];
let program: typeof import("../../index");

beforeAll(async () => {
  ({ resources, program } = await devWithThirdWorkload());
});

const release = (name: string) => named(resources, "kubernetes:helm.sh/v3:Release", name);
const inputsOf = (type: string, name: string) => plain(named(resources, type, name).inputs);

describe("Karmada", () => {
  test("installs the pinned chart as a Release on the management cluster, with the API on a node port", () => {
    const karmada = release("platform-karmada-release");
    expect(karmada.providers).toEqual(["mgmt-k8s"]);
    const inputs = plain(karmada.inputs);
    expect(inputs).toMatchObject({
      name: "karmada",
      namespace: "karmada-system",
      chart: "https://github.com/karmada-io/karmada/releases/download/v1.18.2/karmada-chart-v1.18.2.tgz",
    });
    expect(inputs.values.apiServer).toEqual({ serviceType: "NodePort", nodePort: 32443 });
    expect(inputs.values.certs.auto.hosts).toEqual([
      "kubernetes.default.svc",
      "*.etcd.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}",
      "*.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}",
      "*.{{ .Release.Namespace }}.svc",
      "localhost",
      "127.0.0.1",
      "mgmt-control-plane",
    ]);
    for (const component of ["scheduler", "webhook", "controllerManager", "aggregatedApiServer", "search"]) {
      expect(inputs.values[component].image.tag).toBe("v1.18.2");
    }
    expect(JSON.stringify(inputs.values)).not.toMatch(/latest/);
    expect(unknownValuePaths(inputs.values, "karmada@v1.18.2", KARMADA_OPEN_VALUES)).toEqual([]);
    // The chart's default (controllerManager.featureGates.PropagateDeps: false) turned back on, and
    // cluster failover on: the taint manager runs (Failover gate) and may evict on NoExecute taints.
    expect(inputs.values.controllerManager.featureGates).toEqual({ PropagateDeps: true, Failover: true });
    expect(inputs.values.controllerManager.extraCommandArgs).toEqual({ "enable-no-execute-taint-eviction": "true" });
  });

  test("a provider for the Karmada API, from the chart's kubeconfig, pointed at the host port", () => {
    const provider = named(resources, "pulumi:providers:kubernetes", "platform-karmada-api");
    expect(provider.inputs.deleteUnreachable).toBeUndefined();
    const kubeconfig = JSON.parse(secretValue(provider.inputs.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toBe("https://127.0.0.1:35443");
    expect(kubeconfig.users[0].user["client-key-data"]).toBe(
      Buffer.from("PRIVATE KEY of karmada-apiserver").toString("base64"),
    );
  });

  test("every workload cluster is a push-mode Karmada Cluster with its internal endpoint and labels", () => {
    const clusters = ofType(resources, "kubernetes:cluster.karmada.io/v1alpha1:Cluster");
    expect(clusters.map((c) => c.name)).toEqual(WORKLOADS.map((w) => `platform-karmada-${w}-cluster`));
    for (const w of WORKLOADS) {
      const cluster = inputsOf("kubernetes:cluster.karmada.io/v1alpha1:Cluster", `platform-karmada-${w}-cluster`);
      expect(cluster).toEqual({
        apiVersion: "cluster.karmada.io/v1alpha1",
        kind: "Cluster",
        metadata: { name: w, labels: { zone: w, cluster: w, region: REGIONS[w], env: "dev" } },
        spec: {
          syncMode: "Push",
          apiEndpoint: `https://${w}-control-plane:6443`,
          secretRef: { namespace: "karmada-cluster", name: w },
          impersonatorSecretRef: { namespace: "karmada-cluster", name: `${w}-impersonator` },
          provider: "kind",
          region: REGIONS[w],
        },
      });
      expect(karmadaClusterProblems(cluster)).toEqual([]);
    }
  });

  test("member credentials: Secrets in the Karmada API from the member's own identities", () => {
    for (const w of WORKLOADS) {
      const secret = inputsOf("kubernetes:core/v1:Secret", `platform-karmada-${w}-secret`);
      expect(secret.metadata).toEqual({ name: w, namespace: "karmada-cluster", labels: { "karmada.io/system": "true" } });
      expect(secret.stringData).toEqual({ token: `TOKEN of ${w}:karmada-cluster/karmada-${w}`, caBundle: `CA bundle for ${w}:karmada-cluster/karmada-${w}` });
      const impersonator = inputsOf("kubernetes:core/v1:Secret", `platform-karmada-${w}-impersonator-secret`);
      expect(impersonator.stringData).toEqual({ token: `TOKEN of ${w}:karmada-cluster/karmada-impersonator` });
      // The controller's identity lives in the member, bound to the rules karmadactl grants.
      expect(named(resources, "kubernetes:core/v1:ServiceAccount", `platform-karmada-${w}-controller-sa`).providers).toEqual([`${w}-k8s`]);
      expect(inputsOf("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", `platform-karmada-${w}-controller-role`).rules).toEqual([
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
        { nonResourceURLs: ["*"], verbs: ["get"] },
      ]);
    }
  });

  test("every Karmada object goes to the Karmada API, never to the host cluster", () => {
    const karmadaObjects = resources.filter(
      (r) => r.type.startsWith("kubernetes:cluster.karmada.io") || (r.type === "kubernetes:core/v1:Secret" && plain(r.inputs).metadata?.namespace === "karmada-cluster" && !r.name.endsWith("-token")),
    );
    expect(karmadaObjects).toHaveLength(WORKLOADS.length * 3);
    for (const r of karmadaObjects) expect(r.providers).toEqual(["platform-karmada-api"]);
  });
});

describe("Argo CD", () => {
  test("installs the pinned chart with a bcrypt admin password and ApplicationSets, server on ClusterIP", () => {
    const argocd = release("platform-argocd-release");
    expect(argocd.providers).toEqual(["mgmt-k8s"]);
    const inputs = plain(argocd.inputs);
    expect(inputs).toMatchObject({ chart: "argo-cd", version: "10.1.1", repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" } });
    expect(inputs.values.server.service).toEqual({ type: "ClusterIP" });
    expect(inputs.values.applicationSet).toEqual({ replicas: 1 });
    expect(inputs.values.global.image.tag).toBe("v3.4.4");
    expect(unknownValuePaths(inputs.values, "argo-cd@10.1.1")).toEqual([]);
    // The values carry the hash, so they reach the engine (and the state) as a secret.
    expect(secretValue(argocd.inputs.values).configs.secret.argocdServerAdminPassword).toMatch(/^\$2a\$10\$/);
  });

  test("every workload cluster is a labelled, declarative cluster Secret with its own token", () => {
    for (const w of WORKLOADS) {
      const r = named(resources, "kubernetes:core/v1:Secret", `platform-argocd-${w}-cluster`);
      expect(r.providers).toEqual(["mgmt-k8s"]);
      const secret = plain(r.inputs);
      expect(secret.metadata).toEqual({
        name: `cluster-${w}`,
        namespace: "argocd",
        labels: { zone: w, cluster: w, region: REGIONS[w], env: "dev", "argocd.argoproj.io/secret-type": "cluster" },
      });
      expect(secret.stringData.name).toBe(w);
      expect(secret.stringData.server).toBe(`https://${w}-control-plane:6443`);
      expect(JSON.parse(secret.stringData.config)).toEqual({
        bearerToken: `TOKEN of ${w}:kube-system/argocd-manager`,
        tlsClientConfig: { insecure: false, caData: Buffer.from(`CA bundle for ${w}:kube-system/argocd-manager`).toString("base64") },
      });
      expect(() => secretValue(r.inputs.stringData)).not.toThrow();
      validateK8s(r);
      expect(named(resources, "kubernetes:core/v1:ServiceAccount", `platform-argocd-${w}-access-sa`).providers).toEqual([`${w}-k8s`]);
    }
  });
});

test("each workload cluster is registered exactly once in Karmada, Argo CD and monitoring", () => {
  const count = (type: string, suffix: string) => resources.filter((r) => r.type === type && r.name.endsWith(suffix)).length;
  expect(count("kubernetes:cluster.karmada.io/v1alpha1:Cluster", "-cluster")).toBe(3);
  expect(ofType(resources, "kubernetes:core/v1:Secret").filter((r) => plain(r.inputs).metadata?.labels?.["argocd.argoproj.io/secret-type"])).toHaveLength(3);
  expect(count("kubernetes:helm.sh/v3:Release", "-agent")).toBe(3);
  // The management plane registers no cluster of its own (logs and cost run on every cluster, mgmt's too).
  expect(resources.some((r) => r.name.includes("-mgmt-") && !r.name.startsWith("platform-observability-"))).toBe(false);
});

test("the management outputs follow the contract, secrets as a whole", async () => {
  for (const output of [program.karmada, program.argocd, program.grafana] as pulumi.Output<unknown>[]) {
    expect(await pulumi.isSecret(output)).toBe(true);
  }
  expect(await pulumi.isSecret(program.prometheus)).toBe(false);
  expect(await valueOf(program.prometheus)).toEqual({ remoteWriteUrl: "http://mgmt-control-plane:30090/api/v1/write" });
  const karmada = await valueOf(program.karmada);
  expect(karmada.endpoint).toBe("https://127.0.0.1:35443");
  expect(JSON.parse(karmada.kubeconfig).clusters[0].cluster.server).toBe("https://127.0.0.1:35443");
  const argocd = await valueOf(program.argocd);
  expect(argocd.url).toBe("https://localhost:8080");
  expect(argocd.adminPassword).toHaveLength(24);
  expect((await valueOf(program.grafana)).adminPassword).toHaveLength(24);
});

test("every chart is a helm.v3.Release (hooks run) on an explicit provider", () => {
  expect(resources.some((r) => r.type.startsWith("kubernetes:helm.sh/v4"))).toBe(false);
  const releases = ofType(resources, "kubernetes:helm.sh/v3:Release");
  // Management: Karmada, Argo CD, monitoring, Loki, Alloy, Tempo, Kiali, OpenCost, Velero, SeaweedFS;
  // each workload: agent, MetalLB, base, istiod, east-west and ingress gateways, Alloy, collector, OpenCost.
  expect(releases).toHaveLength(10 + WORKLOADS.length * 9);
  for (const r of releases) expect(r.providers).toHaveLength(1);
});

test("the value-path check catches a misspelt value", () => {
  expect(unknownValuePaths({ prometheus: { prometheusSpec: { enableRemoteWriteReciever: true } } }, "kube-prometheus-stack@88.5.3")).toEqual([
    "prometheus.prometheusSpec.enableRemoteWriteReciever",
  ]);
  expect(unknownValuePaths({ prometheus: { prometheusSpec: { externalLabels: { anything: "x" } } } }, "kube-prometheus-stack@88.5.3")).toEqual([]);
});

test("no token, password or private key reaches a plain output", async () => {
  const plainOutputs = [program.clusters, program.prometheus, program.mesh] as pulumi.Output<unknown>[];
  for (const output of plainOutputs) {
    expect(await pulumi.isSecret(output)).toBe(false);
    const text = JSON.stringify(await valueOf(output));
    expect(text).not.toMatch(/TOKEN of|PRIVATE KEY|client-key-data|pw-platform/);
  }
  for (const output of [program.kubeconfigs, program.karmada, program.argocd, program.grafana] as pulumi.Output<unknown>[]) {
    expect(await pulumi.isSecret(output)).toBe(true);
  }
});
