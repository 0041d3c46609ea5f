import * as pulumi from "@pulumi/pulumi";
import type { TeamOutput } from "../../stacks/outputs";
import { named, ofType, plain, type Recorded, runProgram, stackConfig, valueOf } from "../support/harness";
import { validateK8s, validateModel } from "../support/k8s-schema";

// The two example teams of Pulumi.dev.yaml, the dev stack evaluated once: shop on west and east,
// payments on west only, each with its own namespaces, rights, quotas, project and kubeconfigs.
let resources: Recorded[];
let program: typeof import("../../index");
let teams: Record<string, TeamOutput>;
const ARGO = "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";

beforeAll(async () => {
  ({ resources, result: program } = await runProgram({ stack: "dev", config: stackConfig("dev"), program: () => import("../../index") }));
  teams = await valueOf(program.teams);
});

const PLACES = [
  { team: "shop", cluster: "west", namespaces: ["shop", "shop-jobs"], account: "team-shop" },
  { team: "shop", cluster: "east", namespaces: ["shop", "shop-jobs"], account: "team-shop" },
  { team: "payments", cluster: "west", namespaces: ["payments"], account: "payments" },
];

test("each team gets its namespaces on its clusters only, each with its quota and container defaults", () => {
  const namespaces = ofType(resources, "kubernetes:core/v1:Namespace").filter((r) => r.inputs.metadata.labels?.["platform/team"]);
  const onClusters = namespaces.filter((r) => r.providers[0] !== "platform-karmada-api");
  expect(onClusters.map((r) => `${r.providers[0]}/${r.inputs.metadata.name}`).sort()).toEqual(
    PLACES.flatMap((p) => p.namespaces.map((n) => `${p.cluster}-k8s/${n}`)).sort(),
  );
  // `edit` may create any pod: Pod Security baseline keeps privileged and host-mounting pods out.
  for (const r of onClusters) {
    expect(r.inputs.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/warn": "restricted" });
  }
  const quota = named(resources, "kubernetes:core/v1:ResourceQuota", "teams-payments-west-quota-payments");
  expect([quota.providers, quota.inputs.metadata.namespace, quota.inputs.spec.hard]).toEqual([
    ["west-k8s"],
    "payments",
    { "requests.cpu": "2", "requests.memory": "4Gi", pods: "20" },
  ]);
  const defaults = named(resources, "kubernetes:core/v1:LimitRange", "teams-shop-east-defaults-shop-jobs");
  expect(defaults.inputs.spec.limits).toEqual([{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { memory: "512Mi" } }]);
  for (const r of [...namespaces, quota, defaults]) validateK8s(r);
  expect(ofType(resources, "kubernetes:core/v1:ResourceQuota")).toHaveLength(5);
});

test("a team may edit in its namespaces and nothing elsewhere: RoleBindings to edit, never a cluster-wide binding", () => {
  for (const { cluster, namespaces, account } of PLACES) {
    const bindings = ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").filter(
      (r) => r.providers[0] === `${cluster}-k8s` && r.inputs.subjects[0].name === account,
    );
    expect(bindings.map((b) => b.inputs.metadata.namespace)).toEqual(namespaces);
    for (const b of bindings) {
      validateK8s(b);
      expect(b.inputs.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
      expect(b.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: account, namespace: "platform-teams" }]);
    }
  }
  const clusterWide = ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
  expect(clusterWide.filter((b) => b.inputs.subjects?.some((s: { namespace?: string }) => s.namespace === "platform-teams"))).toEqual([]);
});

test("each team's kubeconfig per cluster carries its own token, never the admin's, and is a secret output", async () => {
  expect(await pulumi.isSecret(program.teams)).toBe(true);
  const admin = await valueOf(program.kubeconfigs);
  expect(Object.keys(teams.shop.kubeconfigs)).toEqual(["west", "east"]);
  expect(Object.keys(teams.payments.kubeconfigs)).toEqual(["west"]);
  for (const { team, cluster, account } of PLACES) {
    const config = JSON.parse(teams[team].kubeconfigs[cluster]);
    expect(config.users[0].user).toEqual({ token: `TOKEN of ${cluster}:platform-teams/${account}` });
    expect(config.clusters[0].cluster.server).toBe(JSON.parse(admin[cluster]).clusters[0].cluster.server);
  }
  const karmada = JSON.parse(teams.payments.karmadaKubeconfig);
  expect(karmada.users[0].user).toEqual({ token: "TOKEN of platform-karmada-api:platform-teams/payments" });
});

test("in the Karmada API a team edits workloads and Karmada's policies in its namespaces, which Karmada does not copy to every member", () => {
  const inKarmada = resources.filter((r) => r.providers[0] === "platform-karmada-api");
  const namespaces = ofType(inKarmada, "kubernetes:core/v1:Namespace").filter((r) => r.inputs.metadata.labels?.["platform/team"]);
  expect(namespaces.map((r) => [r.inputs.metadata.name, r.inputs.metadata.labels["karmada.io/skip-auto-propagation"]])).toEqual([
    ["shop", "true"],
    ["shop-jobs", "true"],
    ["payments", "true"],
  ]);
  const bindings = ofType(inKarmada, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
  expect(bindings.map((b) => `${b.inputs.metadata.namespace}:${b.inputs.roleRef.name}:${b.inputs.subjects[0].name}`)).toEqual([
    "shop:platform:team:team-shop",
    "shop-jobs:platform:team:team-shop",
    "payments:platform:team:payments",
  ]);
  // Not `edit`: the Karmada chart aggregates writing ResourceBindings and Works into it, which
  // Karmada applies to any member with its own identity. Bindings stay read-only.
  const role = named(inKarmada, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "teams-karmada-policies");
  validateK8s(role);
  expect(role.inputs.metadata).toEqual({ name: "platform:team" });
  const writes = (group: string, resource: string) =>
    role.inputs.rules.some((r: { apiGroups: string[]; resources: string[]; verbs: string[] }) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes("create"));
  expect([writes("policy.karmada.io", "propagationpolicies"), writes("policy.karmada.io", "overridepolicies"), writes("apps", "deployments")]).toEqual([true, true, true]);
  expect([writes("work.karmada.io", "resourcebindings"), writes("work.karmada.io", "works"), writes("rbac.authorization.k8s.io", "rolebindings")]).toEqual([false, false, false]);
  expect(JSON.stringify(role.inputs.rules)).not.toContain("*");
});

test("each team's AppProject admits its repositories and its namespaces on its clusters, no cluster-scoped object, no RBAC or quota", () => {
  const project = plain(named(resources, "kubernetes:argoproj.io/v1alpha1:AppProject", "teams-payments-project").inputs);
  validateModel(ARGO, "AppProject", project);
  expect(() => validateModel(ARGO, "AppProject", { ...project, spec: { ...project.spec, destinations: "west" } })).toThrow();
  expect(project.spec.destinations).toEqual([{ name: "west", namespace: "payments" }]);
  expect(project.spec.sourceRepos).toEqual([plain(named(resources, "kubernetes:argoproj.io/v1alpha1:ApplicationSet", "app-guestbook-applications").inputs).spec.template.spec.source.repoURL]);
  expect(project.spec.clusterResourceWhitelist).toEqual([]);
  expect(project.spec.namespaceResourceBlacklist.map((k: { kind: string }) => k.kind)).toEqual(["ResourceQuota", "LimitRange", "*"]);
  const shop = plain(named(resources, "kubernetes:argoproj.io/v1alpha1:AppProject", "teams-shop-project").inputs);
  expect(shop.spec.destinations).toHaveLength(4);
  expect(named(resources, "kubernetes:argoproj.io/v1alpha1:AppProject", "teams-shop-project").providers).toEqual(["mgmt-k8s"]);
});
