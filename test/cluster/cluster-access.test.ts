import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess } from "../../components/cluster";
import { fakeCluster, named, ofType, plain, Recorded, runProgram, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

let resources: Recorded[];
let rules: ClusterAccess;
let existing: ClusterAccess;
let reused: ClusterAccess;

beforeAll(async () => {
  const run = await runProgram({
    stack: "dev",
    program: () => {
      const west = fakeCluster("west");
      return {
        rules: new ClusterAccess("karmada-west", {
          cluster: west,
          namespace: "karmada-cluster",
          serviceAccountName: "karmada-west",
          role: { rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }, { nonResourceURLs: ["*"], verbs: ["get"] }] },
          labels: { "karmada.io/system": "true" },
        }),
        existing: new ClusterAccess("argocd-west", {
          cluster: west,
          namespace: "argocd-access",
          serviceAccountName: "argocd-manager",
          role: { clusterRole: "cluster-admin" },
        }),
        reused: new ClusterAccess("istio-reader-west", {
          cluster: west,
          namespace: "istio-system",
          serviceAccountName: "istio-reader-service-account",
          createServiceAccount: false,
        }),
      };
    },
  });
  resources = run.resources;
  ({ rules, existing, reused } = run.result);
});

test("creates the ServiceAccount, a ClusterRole from the rules and its binding", () => {
  expect(plain(named(resources, "kubernetes:core/v1:ServiceAccount", "karmada-west-sa").inputs)).toEqual({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "karmada-west", namespace: "karmada-cluster", labels: { "karmada.io/system": "true" } },
  });
  const role = plain(named(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "karmada-west-role").inputs);
  expect(role.metadata.name).toBe("platform:karmada-cluster:karmada-west");
  expect(role.rules).toEqual([
    { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
    { nonResourceURLs: ["*"], verbs: ["get"] },
  ]);
  const binding = plain(named(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "karmada-west-binding").inputs);
  expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "platform:karmada-cluster:karmada-west" });
  expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "karmada-west", namespace: "karmada-cluster" }]);
});

test("binds an existing ClusterRole without creating one", () => {
  const binding = plain(named(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "argocd-west-binding").inputs);
  expect(binding.roleRef.name).toBe("cluster-admin");
  expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "argocd-manager", namespace: "argocd-access" }]);
  expect(resources.some((r) => r.name === "argocd-west-role")).toBe(false);
});

test("can reuse a ServiceAccount a chart made, creating only the token Secret", () => {
  expect(resources.filter((r) => r.name.startsWith("istio-reader-west-")).map((r) => r.type)).toEqual([
    "kubernetes:core/v1:Secret",
  ]);
});

test("the token Secret is a long-lived ServiceAccount token", () => {
  expect(plain(named(resources, "kubernetes:core/v1:Secret", "karmada-west-token").inputs)).toEqual({
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "karmada-west-token",
      namespace: "karmada-cluster",
      labels: { "karmada.io/system": "true" },
      // Awaited until the token controller filled it in, not the provider's fixed 5 s.
      annotations: { "kubernetes.io/service-account.name": "karmada-west", "pulumi.com/waitFor": "jsonpath={.data.token}" },
    },
    type: "kubernetes.io/service-account-token",
  });
  expect(named(resources, "kubernetes:core/v1:Secret", "karmada-west-token").dependsOn).toEqual(["karmada-west-sa"]);
});

test("yields the internal server, the CA and the decoded token, all secret", async () => {
  expect(await valueOf(rules.credentials)).toEqual({
    server: "https://west-control-plane:6443",
    caData: Buffer.from("CA bundle for west:karmada-cluster/karmada-west").toString("base64"),
    token: "TOKEN of west:karmada-cluster/karmada-west",
  });
  for (const access of [rules, existing, reused]) {
    for (const output of [access.server, access.caData, access.token, access.credentials] as pulumi.Output<unknown>[]) {
      expect(await pulumi.isSecret(output)).toBe(true);
    }
  }
  expect(await valueOf(reused.token)).toBe("TOKEN of west:istio-system/istio-reader-service-account");
});

test("every object uses the target cluster's provider and matches the Kubernetes schema", () => {
  const objects = resources.filter((r) => r.type.startsWith("kubernetes:"));
  expect(objects).toHaveLength(8);
  for (const object of objects) {
    expect(object.provider).toMatch(/::west-k8s::/);
    validateK8s(object);
  }
});

test("the schema check catches a malformed object", () => {
  const secret = named(resources, "kubernetes:core/v1:Secret", "karmada-west-token");
  expect(() => validateK8s({ ...secret, inputs: { ...plain(secret.inputs), type: 7 } })).toThrow();
  expect(ofType(resources, "kubernetes:core/v1:Secret")).toHaveLength(3);
});
