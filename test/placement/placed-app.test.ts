import { Karmada } from "../../components/management";
import { meshEnrollmentLabels } from "../../components/mesh";
import { PlacedApp } from "../../components/placement";
import { type AppPlan, planFleet } from "../../plan";
import { crdProblems } from "../support/crd-schema";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram } from "../support/harness";
import { validateK8s, validateModel } from "../support/k8s-schema";
import { fleet, kind } from "../plan/fleets";

// Placement through the Karmada API: exact objects, each valid against Karmada's CRDs or the
// Kubernetes schema, the per-cluster patches applied as RFC 6902 says, and the order of creation.
const PROPAGATION = "policy.karmada.io_propagationpolicies@v1.18.2";
const OVERRIDE = "policy.karmada.io_overridepolicies@v1.18.2";
const CR = "kubernetes:policy.karmada.io/v1alpha1";

function appsOf(...apps: unknown[]): readonly AppPlan[] {
  return planFleet({ ...fleet(kind("mgmt", "management"), kind("west"), kind("east")), apps }).apps;
}
const [divided, duplicated] = appsOf(
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
);

let resources: Recorded[];
beforeAll(async () => {
  resources = (
    await runProgram({
      stack: "dev",
      program: () => {
        const karmada = new Karmada("k", { host: fakeCluster("hub", { role: "management" }), members: [fakeCluster("west"), fakeCluster("east")] });
        const api = { templateOptions: karmada.templateOptions, provider: karmada.provider, ready: karmada.members };
        new PlacedApp("app-web", { app: divided, karmada: api });
        new PlacedApp("app-api", { app: duplicated, karmada: api });
      },
    })
  ).resources;
});

const policy = (type: string, name: string) => plain(named(resources, `${CR}:${type}`, name).inputs);

test("a divided app is split by static weights over its named clusters, with failover", () => {
  const spec = policy("PropagationPolicy", "app-web-propagation").spec;
  expect(spec).toEqual({
    resourceSelectors: [
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "web", name: "web" },
      { apiVersion: "v1", kind: "Service", namespace: "web", name: "web" },
    ],
    conflictResolution: "Overwrite",
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
  for (const type of ["kubernetes:core/v1:Namespace", "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"]) {
    for (const r of ofType(resources, type).filter((t) => t.name.startsWith("app-"))) {
      validateK8s(r);
      expect(r.providers).toEqual(["k-api"]);
      expect(plain(r.inputs).metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    }
  }
  expect(named(resources, "kubernetes:apps/v1:Deployment", "app-api-deployment").dependsOn).toEqual(["app-api-propagation", "app-api-override"]);
  expect(named(resources, "kubernetes:core/v1:Service", "app-web-service").dependsOn).toEqual(["app-web-propagation"]);
  expect(named(resources, `${CR}:PropagationPolicy`, "app-web-propagation").dependsOn).toEqual(["app-web-namespace"]);
  // Nothing is placed before the members are registered.
  expect(named(resources, "kubernetes:core/v1:Namespace", "app-web-namespace").dependsOn).toEqual(["k-west", "k-east"]);
  const web = plain(named(resources, "kubernetes:apps/v1:Deployment", "app-web-deployment").inputs);
  expect(web.spec.replicas).toBe(3);
  expect(web.spec.template.spec.containers[0].env).toEqual([
    { name: "A", value: "1" },
    { name: "MODE", value: "prod" },
  ]);
});

/** RFC 6902 `replace` (the only operator the platform uses): the target must exist. */
function replace(document: any, path: string, value: unknown): any {
  const copy = structuredClone(document);
  const keys = path.split("/").slice(1);
  const parent = keys.slice(0, -1).reduce((node, key) => node?.[key], copy);
  const last = keys[keys.length - 1];
  if (parent === undefined || !(last in parent)) throw new Error(`${path} does not exist in the template`);
  parent[last] = value;
  return copy;
}

test("per-cluster overrides patch the Deployment into a valid one with exactly what differs there", () => {
  const override = policy("OverridePolicy", "app-api-override").spec;
  expect(override.resourceSelectors).toEqual([{ apiVersion: "apps/v1", kind: "Deployment", namespace: "api", name: "api" }]);
  // `west: {}` changes nothing, so it has no rule.
  expect(override.overrideRules.map((r: any) => r.targetCluster)).toEqual([{ clusterNames: ["east"] }]);
  const template = plain(named(resources, "kubernetes:apps/v1:Deployment", "app-api-deployment").inputs);
  const east = override.overrideRules[0].overriders.plaintext.reduce((doc: any, p: any) => replace(doc, p.path, p.value), template);
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
  });
  expect(template.spec.template.spec.containers[0].image).toBe("ghcr.io/acme/api:2.1.0");
});

test("an app's namespace joins the mesh the way each data plane selects namespaces", () => {
  // Istio: the sidecar injector's default namespaceSelector, and ztunnel's capture label.
  expect(meshEnrollmentLabels("sidecar")).toEqual({ "istio-injection": "enabled" });
  expect(meshEnrollmentLabels("ambient")).toEqual({ "istio.io/dataplane-mode": "ambient" });
});
