import { KARMADA_OPEN_VALUES, unknownValuePaths } from "../support/chart-values";
import { caseConfig } from "../support/graph";
import { createHash } from "crypto";
import { named, ofType, plain, type Recorded, runProgram, secretPaths, secretValue } from "../support/harness";

// What the first real `pulumi up` and every later one need of each stack, held against every
// resource of that kind (so the next member of a class is caught too).
describe.each(["dev", "prod"] as const)("%s stack", (stack) => {
  let resources: Recorded[];
  beforeAll(async () => {
    const run = await runProgram({ stack, config: caseConfig(stack, "sidecar"), program: async () => (await import("../../stacks")).composeStack() });
    resources = run.resources;
  });
  const releases = () => ofType(resources, "kubernetes:helm.sh/v3:Release");
  const values = (name: string) => {
    const v = named(resources, "kubernetes:helm.sh/v3:Release", name).inputs.values;
    return plain(v);
  };

  test("every Helm release has its own timeout, none the provider's 300 s", () => {
    expect(releases().length).toBeGreaterThan(8);
    for (const release of releases()) expect([release.name, release.inputs.timeout >= 600]).toEqual([release.name, true]);
  });

  test("Argo CD's password mtime is pinned to when the password was set, not rendered from `now`", () => {
    const mtime = named(resources, "command:local:Command", "platform-argocd-admin-password-mtime");
    expect(plain(mtime.inputs).create).toBe("date -u +%Y-%m-%dT%H:%M:%SZ");
    // Its trigger follows the password's bcrypt hash: a rotated password takes the time again.
    const hash = secretValue(named(resources, "kubernetes:helm.sh/v3:Release", "platform-argocd-release").inputs.values).configs.secret
      .argocdServerAdminPassword;
    expect(mtime.inputs.triggers).toEqual([createHash("sha256").update(hash).digest("hex")]);
    const secret = secretValue(named(resources, "kubernetes:helm.sh/v3:Release", "platform-argocd-release").inputs.values).configs.secret;
    expect(secret.argocdServerAdminPasswordMtime).toBe("2026-11-26T00:00:00Z");
    expect(unknownValuePaths({ configs: { secret: { argocdServerAdminPasswordMtime: "x" } } }, "argo-cd@10.1.1")).toEqual([]);
  });

  // pulumi-command 1.2.1 (pulumi-go-provider v1.3.0) answers Check with a secret that is unknown,
  // inside an input typed `Any` (`triggers`), as `{secret}` without a value; the engine refuses the
  // answer ("malformed secret: missing value"), and in a first preview every secret that a
  // resource computes is unknown. So no secret may reach `triggers` at all.
  test("no Command's triggers carry a secret (a first preview would fail on it)", () => {
    const commands = ofType(resources, "command:local:Command");
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) expect([command.name, secretPaths(command.inputs.triggers ?? [], "triggers")]).toEqual([command.name, []]);
  });

  test("commands that print a kubeconfig never hand it to their next run; token Secrets wait for their token", () => {
    for (const command of ofType(resources, "command:local:Command").filter((c) => c.additionalSecretOutputs.includes("stdout"))) {
      expect([command.name, command.inputs.addPreviousOutputInEnv]).toEqual([command.name, false]);
    }
    const tokens = ofType(resources, "kubernetes:core/v1:Secret").filter((s) => plain(s.inputs).type === "kubernetes.io/service-account-token");
    expect(tokens.length).toBeGreaterThan(4);
    for (const token of tokens) expect(plain(token.inputs).metadata.annotations["pulumi.com/waitFor"]).toBe("jsonpath={.data.token}");
  });

  test("alerts inhibit only within a cluster; control-plane parts nobody can scrape are not monitored", () => {
    const central = secretValue(named(resources, "kubernetes:helm.sh/v3:Release", "platform-monitoring-central").inputs.values);
    for (const rule of central.alertmanager.config.inhibit_rules.filter((r: { equal?: string[] }) => r.equal)) {
      expect(rule.equal).toContain("cluster");
    }
    for (const name of ["platform-monitoring-central", ...releases().filter((r) => r.name.endsWith("-agent")).map((r) => r.name)]) {
      const v = name.endsWith("central") ? central : values(name);
      expect([v.kubeControllerManager, v.kubeScheduler, v.kubeEtcd, v.kubeProxy]).toEqual(Array(4).fill({ enabled: false }));
      expect(unknownValuePaths(v, "kube-prometheus-stack@88.5.3")).toEqual([]);
    }
  });

  test(stack === "prod" ? "Karmada's etcd and the central Prometheus keep their state on gp3 volumes" : "on kind, state stays on the nodes", () => {
    const karmada = values("platform-karmada-release");
    const prometheus = secretValue(named(resources, "kubernetes:helm.sh/v3:Release", "platform-monitoring-central").inputs.values).prometheus
      .prometheusSpec;
    expect(prometheus.retention).toBe("15d");
    if (stack === "dev") {
      expect(karmada.etcd).toBeUndefined();
      expect(prometheus.storageSpec).toBeUndefined();
      return;
    }
    expect(karmada.etcd).toEqual({ internal: { storageType: "pvc", pvc: { storageClass: "gp3", size: "8Gi" } } });
    expect(unknownValuePaths(karmada, "karmada@v1.18.2", KARMADA_OPEN_VALUES)).toEqual([]);
    expect(prometheus.storageSpec.volumeClaimTemplate.spec).toEqual({
      storageClassName: "gp3",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "50Gi" } },
    });
    expect(prometheus.retentionSize).toBe("45GB");
    expect(named(resources, "kubernetes:helm.sh/v3:Release", "platform-karmada-release").dependsOn).toContain("mgmt-addons-gp3");
  });
});
