import { createHash } from "crypto";
import { spawnSync } from "child_process";
import { accessSync, constants, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { crdProblems } from "../support/crd-schema";
import { KARMADA_OPEN_VALUES, unknownValuePaths } from "../support/chart-values";
import { named, ofType, plain, type Recorded, runProgram, stackConfig } from "../support/harness";

// Cluster failover through Karmada's taint manager, on the dev stack: a ClusterTaintPolicy taints
// a member that is not Ready with NoExecute, and every app placement tolerates that taint for
// exactly its failover.tolerationSeconds (or forever without failover, and for the Services).
// Toleration matching follows Kubernetes' rule (key equal, operator Exists matches any value,
// effect equal), the same Karmada applies to clusters.
let resources: Recorded[];
beforeAll(async () => {
  resources = (await runProgram({ stack: "dev", config: stackConfig("dev"), program: async () => (await import("../../stacks")).composeStack() })).resources;
});

type Taint = { key: string; effect: string; value?: string };
type Toleration = { key?: string; operator?: string; effect?: string; value?: string; tolerationSeconds?: number };
const tolerates = (t: Toleration, taint: Taint) =>
  (t.key === undefined || t.key === taint.key) &&
  (t.operator === "Exists" || t.value === taint.value) &&
  (t.effect === undefined || t.effect === taint.effect);

test("members not Ready are tainted NoExecute, and untainted when Ready again, by a valid ClusterTaintPolicy over every member", () => {
  const policy = plain(named(resources, "kubernetes:policy.karmada.io/v1alpha1:ClusterTaintPolicy", "platform-karmada-cluster-down").inputs);
  expect(crdProblems("policy.karmada.io_clustertaintpolicies@v1.18.2", policy)).toEqual([]);
  expect(policy.spec.targetClusters).toBeUndefined();
  expect(policy.spec.addOnConditions).toEqual([{ conditionType: "Ready", operator: "NotIn", statusValues: ["True"] }]);
  expect(policy.spec.removeOnConditions).toEqual([{ conditionType: "Ready", operator: "In", statusValues: ["True"] }]);
  expect(policy.spec.taints).toEqual([{ key: "platform/cluster-down", effect: "NoExecute" }]);
  expect(named(resources, "kubernetes:policy.karmada.io/v1alpha1:ClusterTaintPolicy", "platform-karmada-cluster-down").providers).toEqual(["platform-karmada-api"]);
  // Also shown to refuse a misspelt field.
  expect(crdProblems("policy.karmada.io_clustertaintpolicies@v1.18.2", { ...policy, spec: { ...policy.spec, taint: [] } })).not.toEqual([]);
});

test("each app leaves a down member after its failover.tolerationSeconds, never without failover; Services stay", () => {
  const [taint] = plain(named(resources, "kubernetes:policy.karmada.io/v1alpha1:ClusterTaintPolicy", "platform-karmada-cluster-down").inputs).spec.taints;
  const config = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8")).config["platform:apps"] as { name: string; engine?: string; failover?: { tolerationSeconds?: number } }[];
  const karmadaApps = config.filter((a) => (a.engine ?? "karmada") === "karmada");
  expect(karmadaApps.map((a) => a.name)).toEqual(["nginx", "ha-nginx", "nginx-dr"]);
  const seconds = (name: string) => {
    const matching = (plain(named(resources, "kubernetes:policy.karmada.io/v1alpha1:PropagationPolicy", name).inputs).spec.placement.clusterTolerations ?? []).filter((t: Toleration) => tolerates(t, taint));
    expect(matching).toHaveLength(1);
    return matching[0].tolerationSeconds;
  };
  for (const app of karmadaApps) {
    expect(seconds(`app-${app.name}-propagation`)).toBe(app.failover?.tolerationSeconds);
    expect(seconds(`app-${app.name}-service-propagation`)).toBeUndefined();
  }
  expect(ofType(resources, "kubernetes:policy.karmada.io/v1alpha1:PropagationPolicy")).toHaveLength(2 * karmadaApps.length);
});

test("the controller manager runs the taint manager and lets NoExecute taints evict", () => {
  const values = plain(named(resources, "kubernetes:helm.sh/v3:Release", "platform-karmada-release").inputs).values;
  expect(values.controllerManager.featureGates.Failover).toBe(true);
  expect(values.controllerManager.extraCommandArgs).toEqual({ "enable-no-execute-taint-eviction": "true" });
});

/** karmada-webhook's container as the v1.18.2 chart's `karmada-webhook.yaml` renders it (its first arguments). */
const CHART_WEBHOOK = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: karmada-webhook
spec:
  template:
    spec:
      containers:
        - name: karmada-webhook
          command:
            - /bin/karmada-webhook
            - --kubeconfig=/etc/kubeconfig
            - --bind-address=$(POD_IP)
`;

test("karmada-webhook gets --allow-no-execute-taint-policy from the release's post-renderer, or the release fails", () => {
  const { postrender } = plain(named(resources, "kubernetes:helm.sh/v3:Release", "platform-karmada-release").inputs);
  // Helm runs it from the project's folder (where Pulumi starts the provider): it must be there, executable.
  const script = join(__dirname, "..", "..", postrender);
  accessSync(script, constants.X_OK);
  const run = (stdin: string) => spawnSync(script, [], { input: stdin, encoding: "utf8" });
  const rendered = run(`${CHART_WEBHOOK}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: karmada-webhook\n`);
  expect(rendered.status).toBe(0);
  const [deployment, service] = rendered.stdout.split(/^---$/m).map((doc) => parse(doc));
  expect(deployment.spec.template.spec.containers[0].command).toEqual([
    "/bin/karmada-webhook",
    "--allow-no-execute-taint-policy=true",
    "--kubeconfig=/etc/kubeconfig",
    "--bind-address=$(POD_IP)",
  ]);
  expect(service).toEqual({ apiVersion: "v1", kind: "Service", metadata: { name: "karmada-webhook" } });
  // An edited script changes the release's values, so Helm runs it again at the next `up`.
  const { values } = plain(named(resources, "kubernetes:helm.sh/v3:Release", "platform-karmada-release").inputs);
  const sha256 = createHash("sha256").update(readFileSync(script)).digest("hex");
  expect(values.webhook.podAnnotations).toEqual({ "platform/post-render-sha256": sha256 });
  expect(unknownValuePaths(values, "karmada@v1.18.2", KARMADA_OPEN_VALUES)).toEqual([]);
  // A chart whose webhook starts otherwise fails the install instead of running without the flag.
  const changed = run(CHART_WEBHOOK.replace("/bin/karmada-webhook", "/usr/local/bin/karmada-webhook"));
  expect([changed.status, changed.stderr]).toEqual([1, expect.stringContaining("expected one karmada-webhook command")]);
});
