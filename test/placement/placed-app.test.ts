import { type KarmadaAppPlan, planFleet } from "../../plan";
import { crdProblems } from "../support/crd-schema";
import { named, ofType, plain, type Recorded } from "../support/harness";
import { placeThroughKarmada } from "../support/placement";
import { validateK8s, validateModel } from "../support/k8s-schema";
import { fleet, kind } from "../plan/fleets";

// Placement through the Karmada API: exact objects, each valid against Karmada's CRDs or the
// Kubernetes schema, the per-cluster patches applied as RFC 6902 says, and the order of creation.
const PROPAGATION = "policy.karmada.io_propagationpolicies@v1.18.2";
const OVERRIDE = "policy.karmada.io_overridepolicies@v1.18.2";
const CR = "kubernetes:policy.karmada.io/v1alpha1";

function appsOf(...apps: unknown[]): readonly KarmadaAppPlan[] {
  return planFleet({ ...fleet(kind("mgmt", "management"), kind("west"), kind("east")), apps }).apps.filter(
    (app): app is KarmadaAppPlan => app.engine === "karmada",
  );
}
const [divided, duplicated, bare, activePassive] = appsOf(
  { name: "web", image: "nginx:1.29.3", replicas: 3, env: { MODE: "prod", A: "1" }, placement: { clusters: ["west", "east"], mode: "divided", weights: { west: 2, east: 1 } }, failover: {} },
  {
    name: "api",
    image: "ghcr.io/acme/api:2.1.0",
    port: 8080,
    replicas: 2,
    env: { MODE: "prod" },
    placement: { labels: { env: "test" }, spread: { min: 1, max: 2 } },
    overrides: { east: { env: { REGION: "east" }, image: "ghcr.io/acme/api:2.1.1", replicas: 4 }, west: {} },
  },
  // No env of its own: the API server keeps no empty env list for an override to replace.
  { name: "bare", image: "nginx:1.29.3", placement: { clusters: ["east"] }, overrides: { east: { env: { REGION: "east" } } } },
  { name: "dr", image: "nginx:1.29.3", placement: { clusters: ["west"], standby: ["east"] }, failover: { tolerationSeconds: 120 } },
);

let resources: Recorded[];
beforeAll(async () => {
  resources = await placeThroughKarmada([
    { app: divided, meshMode: "sidecar" },
    { app: duplicated, meshMode: "sidecar" },
    { app: bare, meshMode: "ambient" },
    { app: activePassive, meshMode: "sidecar" },
  ]);
});

const policy = (type: string, name: string) => plain(named(resources, `${CR}:${type}`, name).inputs);

test("a divided app is split by static weights over its named clusters, with failover", () => {
  const spec = policy("PropagationPolicy", "app-web-propagation").spec;
  expect(spec).toEqual({
    resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", namespace: "web", name: "web" }],
    conflictResolution: "Overwrite",
    // Karmada's webhook refuses application failover without it (ValidatePropagationSpec).
    propagateDeps: true,
    placement: {
      clusterAffinity: { clusterNames: ["west", "east"] },
      replicaScheduling: {
        replicaSchedulingType: "Divided",
        replicaDivisionPreference: "Weighted",
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ["west"] }, weight: 2 },
            { targetCluster: { clusterNames: ["east"] }, weight: 1 },
          ],
        },
      },
      // A member down for as long as a copy may stay unhealthy loses it (cluster failover).
      clusterTolerations: [{ key: "platform/cluster-down", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
    },
    failover: { application: { decisionConditions: { tolerationSeconds: 300 }, purgeMode: "Gracefully" } },
  });
  expect(resources.filter((r) => r.name === "app-web-override")).toEqual([]);
});

test("a duplicated app runs everywhere its labels match, spread over at most max clusters", () => {
  const { placement } = policy("PropagationPolicy", "app-api-propagation").spec;
  expect(placement).toEqual({
    clusterAffinity: { clusterNames: ["west", "east"] },
    replicaScheduling: { replicaSchedulingType: "Duplicated" },
    spreadConstraints: [{ spreadByField: "cluster", minGroups: 1, maxGroups: 2 }],
    // No failover: a down member keeps its copy (the taint is tolerated forever).
    clusterTolerations: [{ key: "platform/cluster-down", operator: "Exists", effect: "NoExecute" }],
  });
  expect(policy("PropagationPolicy", "app-api-propagation").spec.propagateDeps).toBeUndefined();
});

test("an active-passive app: ordered affinity groups, the primary first, moved by application failover", () => {
  const { spec } = policy("PropagationPolicy", "app-dr-propagation");
  expect(spec.placement).toEqual({
    clusterAffinities: [
      { affinityName: "primary", clusterNames: ["west"] },
      { affinityName: "standby", clusterNames: ["east"] },
    ],
    replicaScheduling: { replicaSchedulingType: "Duplicated" },
    clusterTolerations: [{ key: "platform/cluster-down", operator: "Exists", effect: "NoExecute", tolerationSeconds: 120 }],
  });
  expect(spec.failover.application.decisionConditions).toEqual({ tolerationSeconds: 120 });
  expect(crdProblems(PROPAGATION, policy("PropagationPolicy", "app-dr-propagation"))).toEqual([]);
});

test("the Service and the namespace's NetworkPolicies go to every workload cluster on their own policy", () => {
  expect(policy("PropagationPolicy", "app-web-service-propagation")).toEqual({
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "PropagationPolicy",
    metadata: { name: "web-service", namespace: "web" },
    spec: {
      resourceSelectors: [
        { apiVersion: "v1", kind: "Service", namespace: "web", name: "web" },
        { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespace: "web" },
      ],
      conflictResolution: "Overwrite",
      placement: {
        clusterAffinity: { clusterNames: ["west", "east"] },
        replicaScheduling: { replicaSchedulingType: "Duplicated" },
        clusterTolerations: [{ key: "platform/cluster-down", operator: "Exists", effect: "NoExecute" }],
      },
    },
  });
  // bare runs on east only, but callers in west resolve its name too.
  expect(policy("PropagationPolicy", "app-bare-propagation").spec.placement.clusterAffinity).toEqual({ clusterNames: ["east"] });
  expect(policy("PropagationPolicy", "app-bare-service-propagation").spec).toMatchObject({
    resourceSelectors: [{ apiVersion: "v1", kind: "Service", namespace: "bare", name: "bare" }, { kind: "NetworkPolicy", namespace: "bare" }],
    placement: { clusterAffinity: { clusterNames: ["west", "east"] } },
  });
});

test("every policy is valid against the CRDs Karmada serves, and the validator refuses what the API server would prune", () => {
  for (const r of ofType(resources, `${CR}:PropagationPolicy`)) expect(crdProblems(PROPAGATION, plain(r.inputs))).toEqual([]);
  for (const r of ofType(resources, `${CR}:OverridePolicy`)) expect(crdProblems(OVERRIDE, plain(r.inputs))).toEqual([]);
  const web = policy("PropagationPolicy", "app-web-propagation");
  const typo = { ...web, spec: { ...web.spec, placement: { ...web.spec.placement, replicaScheduling: { replicaSchedulingTyp: "Divided" } } } };
  expect(crdProblems(PROPAGATION, typo)).toContain("/spec/placement/replicaScheduling must NOT have additional properties: replicaSchedulingTyp");
  const purge = { ...web, spec: { ...web.spec, failover: { application: { decisionConditions: { tolerationSeconds: 1 }, purgeMode: "Later" } } } };
  expect(crdProblems(PROPAGATION, purge)).toEqual(["/spec/failover/application/purgeMode must be equal to one of the allowed values"]);
});

test("templates are valid Kubernetes objects in the Karmada API, never awaited, created after their policies", () => {
  for (const r of ofType(resources, "kubernetes:core/v1:Namespace").filter((t) => t.name.startsWith("app-"))) validateK8s(r);
  for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"]) {
    for (const r of ofType(resources, type).filter((t) => t.name.startsWith("app-"))) {
      validateK8s(r);
      expect(r.providers).toEqual(["k-api"]);
      expect(plain(r.inputs).metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    }
  }
  // Nothing to await on policies and templates; the namespace is awaited, so its deletion finishes.
  expect(plain(named(resources, "kubernetes:core/v1:Namespace", "app-web-namespace").inputs).metadata.annotations).toBeUndefined();
  expect(named(resources, "kubernetes:apps/v1:Deployment", "app-api-deployment").dependsOn).toEqual(["app-api-propagation", "app-api-override"]);
  expect(named(resources, "kubernetes:core/v1:Service", "app-web-service").dependsOn).toEqual(["app-web-service-propagation"]);
  expect(named(resources, `${CR}:PropagationPolicy`, "app-web-propagation").dependsOn).toEqual(["app-web-namespace", "k-west", "k-east"]);
  // Nothing is placed before the members are registered.
  expect(named(resources, "kubernetes:core/v1:Namespace", "app-web-namespace").dependsOn).toEqual(["k-west", "k-east"]);
  const web = plain(named(resources, "kubernetes:apps/v1:Deployment", "app-web-deployment").inputs);
  expect(web.spec.replicas).toBe(3);
  expect(web.spec.template.spec.containers[0].env).toEqual([
    { name: "A", value: "1" },
    { name: "MODE", value: "prod" },
  ]);
});

/**
 * RFC 6902 on objects, as Karmada applies plaintext overriders: `add` needs the parent and sets
 * the member (adding or replacing it); `replace` needs the member itself to exist.
 */
function patch(document: any, { path, operator, value }: { path: string; operator: string; value: unknown }): any {
  const copy = structuredClone(document);
  const keys = path.split("/").slice(1);
  const parent = keys.slice(0, -1).reduce((node, key) => node?.[key], copy);
  const last = keys[keys.length - 1];
  if (parent === undefined) throw new Error(`${path}: its parent does not exist in the template`);
  if (operator === "replace" && !(last in parent)) throw new Error(`${path}: replace of a missing member`);
  if (operator !== "replace" && operator !== "add") throw new Error(`${operator} is not used by the platform`);
  parent[last] = value;
  return copy;
}
const patched = (deploymentName: string, rule: { overriders: { plaintext: any[] } }) =>
  rule.overriders.plaintext.reduce(patch, plain(named(resources, "kubernetes:apps/v1:Deployment", deploymentName).inputs));

test("per-cluster overrides patch the Deployment into a valid one with exactly what differs there", () => {
  const override = policy("OverridePolicy", "app-api-override").spec;
  expect(override.resourceSelectors).toEqual([{ apiVersion: "apps/v1", kind: "Deployment", namespace: "api", name: "api" }]);
  // `west: {}` changes nothing, so it has no rule.
  expect(override.overrideRules.map((r: any) => r.targetCluster)).toEqual([{ clusterNames: ["east"] }]);
  const template = plain(named(resources, "kubernetes:apps/v1:Deployment", "app-api-deployment").inputs);
  const east = patched("app-api-deployment", override.overrideRules[0]);
  validateModel("kubernetes-models/apps/v1", "Deployment", east);
  expect(east.spec.replicas).toBe(4);
  expect(east.spec.template.spec.containers[0]).toEqual({
    name: "api",
    image: "ghcr.io/acme/api:2.1.1",
    ports: [{ name: "http", containerPort: 8080 }],
    env: [
      { name: "MODE", value: "prod" },
      { name: "REGION", value: "east" },
    ],
    resources: { requests: { cpu: "50m", memory: "64Mi" } },
  });
  expect(template.spec.template.spec.containers[0].image).toBe("ghcr.io/acme/api:2.1.0");
});

test("an env override applies to an app that has no env of its own", () => {
  const rule = policy("OverridePolicy", "app-bare-override").spec.overrideRules[0];
  expect(plain(named(resources, "kubernetes:apps/v1:Deployment", "app-bare-deployment").inputs).spec.template.spec.containers[0].env).toBeUndefined();
  expect(patched("app-bare-deployment", rule).spec.template.spec.containers[0].env).toEqual([{ name: "REGION", value: "east" }]);
  // What `replace` would have done there.
  expect(() => patched("app-bare-deployment", { overriders: { plaintext: [{ ...rule.overriders.plaintext[0], operator: "replace" }] } })).toThrow(
    "replace of a missing member",
  );
});
