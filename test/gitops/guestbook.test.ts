import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse, parseAllDocuments } from "yaml";
import { planFleet } from "../../plan";
import { APP_PORT_NAME } from "../../components/placement/baseline";
import { gitopsProblems } from "../../stacks/config";
import { validateModel } from "../support/k8s-schema";

// gitops/: what Argo CD syncs. The guestbook's base is valid Kubernetes, each overlay is a
// kustomization that scales the base's Deployment (kustomize's `replicas` field matches a
// workload by name), and every argocd app of the stack files has an overlay per target.
const root = join(__dirname, "..", "..");
const app = join(root, "gitops", "apps", "guestbook");
const yamlOf = (file: string) => parse(readFileSync(file, "utf8"));

test("the base lists exactly its files, and each is a valid object named as the app, namespace left to Argo CD", () => {
  const base = yamlOf(join(app, "base", "kustomization.yaml"));
  const files = readdirSync(join(app, "base")).filter((f) => f !== "kustomization.yaml").sort();
  expect([...base.resources].sort()).toEqual(files);
  const objects = files.flatMap((f) => parseAllDocuments(readFileSync(join(app, "base", f), "utf8")).map((d) => d.toJS()));
  expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
    ["Deployment", "guestbook", undefined],
    ["Service", "guestbook", undefined],
  ]);
  validateModel("kubernetes-models/apps/v1", "Deployment", objects[0]);
  validateModel("kubernetes-models/v1", "Service", objects[1]);
  // The Service selects the Deployment's pods on the container's named port.
  const [deployment, service] = objects;
  expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
  // The app's NetworkPolicy opens its container port by this name.
  expect(deployment.spec.template.spec.containers[0].ports.map((p: { name: string }) => p.name)).toEqual([APP_PORT_NAME]);
  expect(service.spec.ports[0].targetPort).toBe(APP_PORT_NAME);
  expect(deployment.spec.template.spec.containers[0].image).toMatch(/:[^:/]+$/);
});

test("the overlays run 3 replicas in west and 2 in east, scaling the base's Deployment", () => {
  const overlays = readdirSync(join(app, "overlays")).sort();
  expect(overlays).toEqual(["east", "west"]);
  const replicas = Object.fromEntries(
    overlays.map((cluster) => {
      const kustomization = yamlOf(join(app, "overlays", cluster, "kustomization.yaml"));
      expect(kustomization.resources).toEqual(["../../base"]);
      expect(kustomization.replicas.map((r: { name: string }) => r.name)).toEqual(["guestbook"]);
      return [cluster, kustomization.replicas[0].count];
    }),
  );
  expect(replicas).toEqual({ west: 3, east: 2 });
});

const stackPlan = (stack: string) => {
  const config = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")).config as Record<string, unknown>;
  const input = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("platform:")).map(([k, v]) => [k.slice("platform:".length), v]));
  return planFleet({ ...input, eks: { ...(input.eks as object), publicAccessCidrs: ["203.0.113.7/32"] } });
};

test("every argocd app of the stack files has an overlay per target; a missing one, or a folder never published, is refused, keyed", () => {
  for (const stack of ["dev", "prod"]) {
    const plan = stackPlan(stack);
    expect(plan.apps.filter((a) => a.engine === "argocd").map((a) => [a.name, a.targets])).toEqual([["guestbook", ["west", "east"]]]);
    expect(gitopsProblems(plan, root)).toEqual([]);
  }
  const plan = stackPlan("dev");
  const moved = { ...plan, apps: plan.apps.map((a) => (a.engine === "argocd" ? { ...a, source: { path: "gitops/apps/nowhere" } } : a)) };
  expect(gitopsProblems(moved, root)).toEqual([
    "apps[3] (guestbook) targets a cluster without an overlay: gitops/apps/nowhere/overlays/west/kustomization.yaml does not exist",
    "apps[3] (guestbook) targets a cluster without an overlay: gitops/apps/nowhere/overlays/east/kustomization.yaml does not exist",
  ]);
  const outside = { ...plan, apps: plan.apps.map((a) => (a.engine === "argocd" ? { ...a, source: { path: "teams/guestbook" } } : a)) };
  expect(gitopsProblems(outside, root)).toEqual([
    "apps[3].source.path (guestbook) teams/guestbook is outside gitops/, the only folder the platform's own git server is seeded with",
  ]);
  // A hosted repository is not here to check.
  expect(gitopsProblems({ ...moved, gitops: { repoURL: "https://git.example/platform.git", revision: "main" } }, root)).toEqual([]);
});
