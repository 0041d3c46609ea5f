import { existsSync } from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../../components/cluster";
import { argoCdClusterSecret } from "../../components/management";
import { applicationSet, GitOpsApp } from "../../components/placement";
import { type ArgoCdAppPlan, planFleet } from "../../plan";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram } from "../support/harness";
import { validateK8s, validateModel } from "../support/k8s-schema";
import { fleet, kind } from "../plan/fleets";

// The Argo CD engine: an ApplicationSet valid against Argo CD's schema, whose cluster generator
// selects exactly the app's targets among the registered cluster Secrets (Kubernetes' label
// selector rule, applied here to the Secrets the platform really makes), and renders for each
// an overlay that exists in this repository.
const ARGO = "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
const plan = planFleet({
  ...fleet(kind("mgmt", "management"), kind("west", "workload", { labels: { tier: "gold" } }), kind("east")),
  mesh: { mode: "sidecar" },
  apps: [
    { name: "guestbook", engine: "argocd", placement: { clusters: ["west", "east"] } },
    { name: "gold", engine: "argocd", port: 8080, placement: { labels: { tier: "gold" } }, source: { path: "teams/gold" } },
  ],
});
const [guestbook, gold] = plan.apps as ArgoCdAppPlan[];
/** The workload clusters as the Secrets see them (name and labels); fake clusters are made inside each program. */
const registered = plan.workloads.map((spec) => ({ name: spec.name, spec }) as Cluster);

/** Kubernetes' label selector: every matchLabels pair, and every expression (In, NotIn, Exists, DoesNotExist). */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }, labels: Record<string, string>): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === "In") return key in labels && values.includes(labels[key]);
    if (operator === "NotIn") return !(key in labels) || !values.includes(labels[key]);
    if (operator === "Exists") return key in labels;
    if (operator === "DoesNotExist") return !(key in labels);
    throw new Error(`unknown operator ${operator}`);
  });
  return pairs && expressions;
}

/** What Argo CD's cluster generator emits: cluster Secrets of its namespace, the selector ANDed with the secret-type label. */
async function generated(set: ReturnType<typeof applicationSet>): Promise<{ name: string; server: string }[]> {
  const selector = (set.spec as any).generators[0].clusters.selector;
  // An empty selector would also emit Argo CD's own cluster (in-cluster): the management cluster.
  expect(Object.keys(selector).length).toBeGreaterThan(0);
  const secrets = await Promise.all(
    registered.map(async (cluster) => {
      const credentials = pulumi.output({ server: `https://${cluster.name}:6443`, caData: "Y2E=", token: "t" });
      const secret = argoCdClusterSecret(cluster, credentials);
      const data = await new Promise<Record<string, string>>((resolve) => pulumi.output(secret.stringData!).apply((d) => resolve(d as Record<string, string>)));
      return { labels: plain(secret.metadata).labels as Record<string, string>, data };
    }),
  );
  return secrets
    .filter((s) => s.labels["argocd.argoproj.io/secret-type"] === "cluster" && selects(selector, s.labels))
    .map((s) => ({ name: s.data.name, server: s.data.server }));
}

/** Go-template fields of the form `{{ .key }}`, filled from a generator's parameters; anything else is an error (missingkey=error). */
function render(text: string, params: Record<string, string>): string {
  const out = text.replace(/\{\{\s*\.([A-Za-z]+)\s*\}\}/g, (_, key: string) => {
    if (!(key in params)) throw new Error(`map has no entry for key "${key}"`);
    return params[key];
  });
  if (out.includes("{{")) throw new Error(`unrendered template in ${out}`);
  return out;
}

test("the ApplicationSet is valid for Argo CD, and its generator selects exactly the targets, never the management cluster", async () => {
  const repo = { namespace: "argocd", repoURL: "http://git.example/platform.git", revision: "main" };
  const set = applicationSet(guestbook, repo);
  validateModel(ARGO, "ApplicationSet", set);
  expect(() => validateModel(ARGO, "ApplicationSet", { ...set, spec: { ...set.spec, goTemplate: "yes" } })).toThrow();
  expect((await generated(set)).map((c) => c.name)).toEqual(["west", "east"]);
  expect((await generated(applicationSet(gold, repo))).map((c) => c.name)).toEqual(["west"]);

  const template = (set.spec as any).template;
  const apps = (await generated(set)).map((params) => JSON.parse(render(JSON.stringify(template), params)));
  expect(apps.map((a) => [a.metadata.name, a.spec.destination, a.spec.source.path])).toEqual([
    ["guestbook-west", { server: "https://west:6443", namespace: "guestbook" }, "gitops/apps/guestbook/overlays/west"],
    ["guestbook-east", { server: "https://east:6443", namespace: "guestbook" }, "gitops/apps/guestbook/overlays/east"],
  ]);
  for (const app of apps) {
    validateModel(ARGO, "Application", { apiVersion: "argoproj.io/v1alpha1", kind: "Application", ...app });
    // The overlay each cluster syncs is in this repository, which seeds the fleet's git server.
    expect(existsSync(`${app.spec.source.path}/kustomization.yaml`)).toBe(true);
  }
  // The platform owns the namespace (made before the set): Argo CD neither creates nor labels it.
  expect(template.spec.syncPolicy).toEqual({
    automated: { prune: true, selfHeal: true },
    retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
  });
  // No resources finalizer on the Applications: deleting the set never waits on a gone Argo CD.
  expect((set.spec as any).syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
  expect((set.spec as any).goTemplateOptions).toEqual(["missingkey=error"]);
});

let resources: Recorded[];
beforeAll(async () => {
  resources = (
    await runProgram({
      stack: "dev",
      program: () => {
        const management = fakeCluster("mgmt", plan.management);
        const workloads = plan.workloads.map((spec) => fakeCluster(spec.name, spec));
        const argocd = { provider: management.provider, namespace: "argocd", repoURL: "http://git.example/platform.git", revision: "main", ready: [] };
        new GitOpsApp("app-guestbook", { app: guestbook, argocd, meshMode: "sidecar", domain: "apps.example", clusters: workloads, ready: [] });
        new GitOpsApp("app-gold", { app: gold, argocd, meshMode: "ambient", domain: "apps.example", clusters: workloads, ready: [] });
      },
    })
  ).resources;
});

test("the platform makes each target's namespace and NetworkPolicies before the ApplicationSet, and the callers' traffic rule", () => {
  const set = named(resources, "kubernetes:argoproj.io/v1alpha1:ApplicationSet", "app-guestbook-applications");
  expect(set.providers).toEqual(["mgmt-k8s"]);
  expect(set.dependsOn).toEqual(["app-guestbook-namespace-west", "app-guestbook-namespace-east"]);
  for (const cluster of ["west", "east"]) {
    const namespace = named(resources, "kubernetes:core/v1:Namespace", `app-guestbook-namespace-${cluster}`);
    expect(namespace.providers).toEqual([`${cluster}-k8s`]);
    expect(namespace.inputs.metadata).toEqual({
      name: "guestbook",
      labels: { "istio-injection": "enabled", "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "restricted" },
    });
    validateK8s(namespace);
  }
  // gold targets west only: no namespace in east; its callers are everywhere, so its traffic rule too.
  expect(ofType(resources, "kubernetes:core/v1:Namespace").filter((r) => r.name.startsWith("app-gold")).map((r) => r.name)).toEqual(["app-gold-namespace-west"]);
  expect(ofType(resources, "kubernetes:networking.istio.io/v1:DestinationRule").map((r) => [r.name, r.providers[0]])).toEqual([
    ["app-guestbook-traffic-west", "west-k8s"],
    ["app-guestbook-traffic-east", "east-k8s"],
    ["app-gold-traffic-west", "west-k8s"],
    ["app-gold-traffic-east", "east-k8s"],
  ]);
  for (const policy of ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy")) {
    validateK8s(policy);
    expect(policy.dependsOn).toEqual([policy.name.replace(/-network-(default-deny|mesh)-/, "-namespace-")]);
  }
  expect(ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.name)).toEqual([
    "app-guestbook-network-default-deny-west",
    "app-guestbook-network-mesh-west",
    "app-guestbook-network-default-deny-east",
    "app-guestbook-network-mesh-east",
    "app-gold-network-default-deny-west",
    "app-gold-network-mesh-west",
  ]);
});
