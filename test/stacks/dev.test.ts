import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { CONTRACT_VERSION, type FleetOutputs } from "../../packages/contract/src";
import { named, ofType, plain, Recorded, runProgram, secretValue, stackConfig, valueOf } from "../support/harness";

// The whole dev stack, evaluated once for this file with the real Pulumi.dev.yaml.
let resources: Recorded[];
let program: typeof import("../../index");
let outputs: Pick<FleetOutputs, "clusters" | "kubeconfigs">;

beforeAll(async () => {
  const run = await runProgram({ stack: "dev", config: stackConfig("dev"), program: () => import("../../index") });
  resources = run.resources;
  program = run.result;
  outputs = { clusters: await valueOf(program.clusters), kubeconfigs: await valueOf(program.kubeconfigs) };
});

const CLUSTERS = ["mgmt", "west", "east"];

test("creates the three kind clusters of Pulumi.dev.yaml, each with its own provider", () => {
  expect(ofType(resources, "platform:index:KindCluster").map((r) => r.name)).toEqual(CLUSTERS);
  for (const name of CLUSTERS) {
    const create = named(resources, "command:local:Command", `${name}-cluster`);
    expect(create.parent).toBe(name);
    expect(create.inputs.environment.KIND_CLUSTER).toBe(name);
    const provider = named(resources, "pulumi:providers:kubernetes", `${name}-k8s`);
    // Provider inputs reach the engine JSON-encoded.
    expect(provider.inputs.deleteUnreachable).toBeUndefined();
    // A Secret whose data changes (a mesh's remote Secret as clusters come and go) is updated in place.
    expect(provider.inputs.enableSecretMutable).toBe("true");
    const kubeconfig = JSON.parse(secretValue(provider.inputs.kubeconfig));
    expect(kubeconfig.clusters[0].cluster.server).toBe(outputs.clusters[name].endpoint);
  }
});

test("the kind configs carry the planned, disjoint ranges", () => {
  const configs = CLUSTERS.map((name) =>
    parse(named(resources, "command:local:Command", `${name}-cluster`).inputs.environment.KIND_CONFIG),
  );
  const subnets = configs.flatMap((c) => [c.networking.podSubnet, c.networking.serviceSubnet]);
  expect(new Set(subnets).size).toBe(subnets.length);
  CLUSTERS.forEach((name, i) => {
    expect(configs[i].networking.podSubnet).toBe(outputs.clusters[name].podCidr);
    expect(configs[i].networking.serviceSubnet).toBe(outputs.clusters[name].serviceCidr);
  });
});

test("only the management cluster forwards the Karmada API port to 127.0.0.1", () => {
  const mappings = CLUSTERS.map(
    (name) => parse(named(resources, "command:local:Command", `${name}-cluster`).inputs.environment.KIND_CONFIG).nodes[0].extraPortMappings,
  );
  expect(mappings).toEqual([
    [{ containerPort: 32443, hostPort: 35443, listenAddress: "127.0.0.1", protocol: "TCP" }],
    undefined,
    undefined,
  ]);
});

test("at most kind.maxParallelCreates (2) clusters boot at once, all after the kind network", () => {
  const deps = (name: string) => named(resources, "command:local:Command", `${name}-cluster`).dependsOn;
  expect(deps("mgmt")).toEqual(["kind-network-ensure"]);
  expect(deps("west")).toEqual(["kind-network-ensure"]);
  expect(deps("east")).toEqual(["kind-network-ensure", "mgmt-cluster"]);
});

test("the kind network is created with the configured subnet", () => {
  const ensure = named(resources, "command:local:Command", "kind-network-ensure");
  expect(ensure.inputs.environment).toEqual({ KIND_NETWORK_CIDR: "172.18.0.0/16" });
});

test("outputs follow the contract", () => {
  expect(Object.keys(outputs.clusters)).toEqual(CLUSTERS);
  expect(outputs.clusters.west).toEqual({
    name: "west",
    role: "workload",
    provider: "kind",
    region: "us-west",
    network: "west",
    labels: { zone: "west", cluster: "west", region: "us-west", env: "dev" },
    podCidr: "10.65.0.0/16",
    serviceCidr: "10.96.16.0/20",
    lbCidr: "172.18.255.16/28",
    endpoint: "https://127.0.0.1:36444",
    internalEndpoint: "https://west-control-plane:6443",
  });
  expect(outputs.clusters.mgmt.role).toBe("management");
  expect(Object.keys(outputs.kubeconfigs)).toEqual(CLUSTERS);
});

test("the fleet says which contract version its outputs follow", async () => {
  expect(await valueOf(program.contractVersion)).toBe(CONTRACT_VERSION);
});

test("kubeconfigs are secret, and no credential reaches a plain output", async () => {
  expect(await pulumi.isSecret(program.kubeconfigs)).toBe(true);
  expect(await pulumi.isSecret(program.clusters)).toBe(false);
  const printed = JSON.stringify(outputs.clusters);
  for (const name of CLUSTERS) {
    const user = JSON.parse(outputs.kubeconfigs[name]).users[0].user;
    expect(Buffer.from(user["client-key-data"], "base64").toString()).toBe(`PRIVATE KEY of ${name}`);
    expect(printed).not.toContain(user["client-key-data"]);
    expect(printed).not.toContain(user["client-certificate-data"]);
  }
  for (const create of ofType(resources, "command:local:Command").filter((r) => r.name.endsWith("-cluster"))) {
    expect(create.additionalSecretOutputs).toEqual(["stdout"]);
    expect(create.inputs.logging).toBe("stderr");
  }
});

test("every Kubernetes resource names an explicit provider, and every child has a parent", () => {
  const k8sResources = resources.filter((r) => r.type.startsWith("kubernetes:"));
  expect(k8sResources.length).toBeGreaterThan(20);
  for (const r of k8sResources) {
    expect(r.providers).toHaveLength(1);
    expect(r.providers[0]).toMatch(/^(mgmt|west|east)-k8s$|^platform-karmada-api$/);
  }
  for (const r of resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("platform:"))) {
    expect(r.parent).toBeDefined();
  }
});

test("the example apps of Pulumi.dev.yaml are placed through the Karmada API, in the mesh, after members and Istio", async () => {
  const policy = named(resources, "kubernetes:policy.karmada.io/v1alpha1:PropagationPolicy", "app-nginx-propagation");
  expect(policy.providers).toEqual(["platform-karmada-api"]);
  expect(policy.inputs.spec.placement.replicaScheduling.weightPreference.staticWeightList).toEqual([
    { targetCluster: { clusterNames: ["west"] }, weight: 2 },
    { targetCluster: { clusterNames: ["east"] }, weight: 1 },
  ]);
  const namespace = named(resources, "kubernetes:core/v1:Namespace", "app-nginx-namespace");
  // Istio's sidecar injector acts only on namespaces labelled so (the dev stack's mesh mode is sidecar).
  expect(namespace.inputs.metadata.labels).toEqual({
    "istio-injection": "enabled",
    "pod-security.kubernetes.io/enforce": "privileged",
    "pod-security.kubernetes.io/audit": "restricted",
  });
  expect(namespace.dependsOn).toEqual(["platform-karmada-west", "platform-karmada-east", "mesh-west", "mesh-east"]);
  expect(await valueOf(program.apps)).toEqual({
    nginx: {
      engine: "karmada",
      targets: ["west", "east"],
      standby: [],
      host: "nginx.nginx.svc.cluster.local",
      port: 80,
      mode: "divided",
      replicas: { west: 2, east: 1 },
      // Through the workstation's entry (kind.entryHostPort's default), at any cluster's ingress gateway.
      ingressHost: "nginx.localhost",
      url: "http://nginx.localhost:38080",
    },
    "ha-nginx": {
      engine: "karmada",
      targets: ["west", "east"],
      standby: [],
      host: "ha-nginx.ha-nginx.svc.cluster.local",
      port: 80,
      mode: "duplicated",
      replicas: { west: 2, east: 2 },
      ingressHost: "ha-nginx.localhost",
      url: "http://ha-nginx.localhost:38080",
    },
    "nginx-dr": {
      engine: "karmada",
      targets: ["west"],
      standby: ["east"],
      host: "nginx-dr.nginx-dr.svc.cluster.local",
      port: 80,
      mode: "duplicated",
      replicas: { west: 2 },
      ingressHost: "nginx-dr.localhost",
      url: "http://nginx-dr.localhost:38080",
    },
    guestbook: {
      engine: "argocd",
      targets: ["west", "east"],
      standby: [],
      host: "guestbook.guestbook.svc.cluster.local",
      port: 80,
      mode: "duplicated",
      source: { repoURL: "http://git.gitops.svc.cluster.local:23232/platform.git", revision: "main", path: "gitops/apps/guestbook" },
      ingressHost: "guestbook.localhost",
      url: "http://guestbook.localhost:38080",
    },
  });
  const override = named(resources, "kubernetes:policy.karmada.io/v1alpha1:OverridePolicy", "app-nginx-override");
  expect(override.inputs.spec.overrideRules.map((r: any) => [r.targetCluster.clusterNames, r.overriders.plaintext[0].value])).toEqual([
    [["east"], [{ name: "REGION", value: "us-east" }]],
    [["west"], [{ name: "REGION", value: "us-west" }]],
  ]);
  expect(named(resources, "kubernetes:policy.karmada.io/v1alpha1:PropagationPolicy", "app-ha-nginx-propagation").inputs.spec.placement.spreadConstraints).toEqual([
    { spreadByField: "cluster", minGroups: 2, maxGroups: 2 },
  ]);
  expect(named(resources, "kubernetes:policy.karmada.io/v1alpha1:PropagationPolicy", "app-nginx-dr-propagation").inputs.spec.placement.clusterAffinities).toEqual([
    { affinityName: "primary", clusterNames: ["west"] },
    { affinityName: "standby", clusterNames: ["east"] },
  ]);
});

test("the guestbook is synced by an ApplicationSet reading the fleet's own git server, seeded from gitops/", () => {
  const set = named(resources, "kubernetes:argoproj.io/v1alpha1:ApplicationSet", "app-guestbook-applications");
  expect(set.providers).toEqual(["mgmt-k8s"]);
  const spec = plain(set.inputs).spec;
  expect(spec.generators).toEqual([{ clusters: { selector: { matchExpressions: [{ key: "cluster", operator: "In", values: ["west", "east"] }] } } }]);
  expect(spec.template.spec.source).toEqual({
    repoURL: "http://git.gitops.svc.cluster.local:23232/platform.git",
    targetRevision: "main",
    path: "gitops/apps/guestbook/overlays/{{ .name }}",
  });
  // After Argo CD, every registration, the seeded repository and the app's namespaces.
  expect(set.dependsOn).toEqual([
    "platform-argocd-release",
    "platform-argocd-west-cluster",
    "platform-argocd-east-cluster",
    "platform-git-seed",
    "app-guestbook-namespace-west",
    "app-guestbook-namespace-east",
  ]);
  const seed = named(resources, "command:local:Command", "platform-git-seed");
  expect(plain(seed.inputs).environment.GITOPS_DIR).toBe("gitops");
  expect(named(resources, "kubernetes:apps/v1:Deployment", "platform-git-server").providers).toEqual(["mgmt-k8s"]);
});
