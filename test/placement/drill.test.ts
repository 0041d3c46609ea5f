import { type DrillFleet, runDrill } from "../../tools/drill/drill";
import { client, takeAway } from "../../tools/drill/manifests";
import { type OverridePolicy, overridePolicy } from "../../components/placement";
import { planFleet, type KarmadaAppPlan } from "../../plan";
import { fleet, kind } from "../plan/fleets";
import { crdProblems } from "../support/crd-schema";
import { validateModel } from "../support/k8s-schema";

/**
 * A fleet on a virtual clock: taking west's copy away empties it after `emptyMs`; calls from
 * west then fail until the mesh has moved them (`moveMs` after it emptied) if a survivor runs a
 * copy; the copy given back is ready after `restoreMs`.
 */
function fakeFleet(opts: { emptyMs: number; moveMs: number; restoreMs: number; eastReady?: number; flaky?: boolean; callMs?: number }) {
  let clock = 0;
  let failedAt: number | undefined;
  let restoredAt: number | undefined;
  const log: string[] = [];
  const westReady = () => {
    if (failedAt === undefined) return restoredAt === undefined || clock >= restoredAt + opts.restoreMs ? 2 : 0;
    return clock >= failedAt + opts.emptyMs ? 0 : 2;
  };
  const eastReady = opts.eastReady ?? 1;
  const fleet: DrillFleet = {
    async call() {
      const at = clock;
      clock += opts.callMs ?? 0;
      if (opts.flaky && at === 2000) return false;
      if (westReady() > 0) return true;
      const emptied = (failedAt ?? restoredAt!) + opts.emptyMs;
      return eastReady > 0 && at >= emptied + opts.moveMs;
    },
    async setFailed(failed) {
      log.push(`${failed ? "fail" : "restore"}@${clock}`);
      if (failed) failedAt = clock;
      else [failedAt, restoredAt] = [undefined, clock];
    },
    async readyReplicas(cluster) {
      return cluster === "west" ? westReady() : eastReady;
    },
    now: () => clock,
    async sleep(ms) {
      clock += ms;
    },
  };
  return { fleet, log };
}

test("calls from the failed cluster move to a survivor: how long emptying and moving took, and the copy back", async () => {
  const [emptyMs, moveMs, interval, streak] = [10_000, 4_000, 1_000, 5];
  const { fleet, log } = fakeFleet({ emptyMs, moveMs, restoreMs: 3_000 });
  const result = await runDrill(fleet, { failed: "west", survivors: ["east"], intervalMs: interval, streak });
  // Calls every second: the baseline streak ends at 4 s; gone at 4 + 10 s; calls fail for 4 s.
  expect(result).toEqual({ ok: true, emptiedAfterMs: emptyMs, movedAfterMs: moveMs, failedCalls: moveMs / interval, restored: true });
  const takenAt = (streak - 1) * interval;
  expect(log).toEqual([`fail@${takenAt}`, `restore@${takenAt + emptyMs + moveMs + (streak - 1) * interval}`]);
});

test("the time until calls are answered again does not include the calls' own time", async () => {
  const [moveMs, interval, callMs] = [4_000, 1_000, 500];
  const { fleet } = fakeFleet({ emptyMs: 10_000, moveMs, restoreMs: 3_000, callMs });
  const result = await runDrill(fleet, { failed: "west", survivors: ["east"], intervalMs: interval });
  // A call starts every 1.5 s once the copy is gone: the first at or after 4 s is answered.
  const cadence = interval + callMs;
  expect(result.movedAfterMs).toBe(Math.ceil(moveMs / cadence) * cadence);
});

test("calls that never move fail the drill, and the copy is still given back", async () => {
  const { fleet, log } = fakeFleet({ emptyMs: 2_000, moveMs: 1_000_000, restoreMs: 1_000 });
  const result = await runDrill(fleet, { failed: "west", survivors: ["east"], timeoutMs: 30_000 });
  expect(result).toMatchObject({ ok: false, reason: "calls from west were not answered by another cluster in time", restored: true });
  expect(log).toHaveLength(2);
});

test("nothing is taken away when no survivor runs a ready copy, nor when the app is not steady first", async () => {
  const lonely = fakeFleet({ emptyMs: 1_000, moveMs: 1_000, restoreMs: 1_000, eastReady: 0 });
  expect(await runDrill(lonely.fleet, { failed: "west", survivors: ["east"] })).toMatchObject({
    ok: false,
    reason: "no other cluster runs a ready copy: nowhere to fail over to",
  });
  expect(lonely.log).toEqual([]);
  const flaky = fakeFleet({ emptyMs: 1_000, moveMs: 1_000, restoreMs: 1_000, flaky: true });
  expect(await runDrill(flaky.fleet, { failed: "west", survivors: ["east"] })).toMatchObject({ ok: false, reason: "the app did not answer steadily before the drill" });
  expect(flaky.log).toEqual([]);
});

test("a copy that does not come back fails an otherwise good drill", async () => {
  const { fleet } = fakeFleet({ emptyMs: 1_000, moveMs: 1_000, restoreMs: 1_000_000 });
  expect(await runDrill(fleet, { failed: "west", survivors: ["east"], timeoutMs: 20_000 })).toMatchObject({
    ok: false,
    restored: false,
    reason: "the copy in west did not come back in time",
  });
});

test("the copy is taken away by the drill's own OverridePolicy, valid for Karmada, and the client is a valid mesh workload", () => {
  const policy = takeAway("nginx", "west");
  expect(crdProblems("policy.karmada.io_overridepolicies@v1.18.2", policy)).toEqual([]);
  // Not one of the platform's policies: deleting it gives the copy back and leaves them alone.
  expect(policy.metadata.namespace).toBe("nginx");
  expect(policy.spec.overrideRules).toEqual([{ targetCluster: { clusterNames: ["west"] }, overriders: { plaintext: [{ path: "/spec/replicas", operator: "replace", value: 0 }] } }]);
  const [namespace, deployment] = client("ambient");
  validateModel("kubernetes-models/v1", "Namespace", namespace);
  validateModel("kubernetes-models/apps/v1", "Deployment", deployment);
  expect(namespace).toMatchObject({ metadata: { name: "drill", labels: { "istio.io/dataplane-mode": "ambient" } } });
});

/**
 * The replicas Karmada gives a Deployment in `cluster`: the OverridePolicies that select it by
 * name apply in the order of their names, each replace overwriting the last
 * (pkg/util/overridemanager/overridemanager.go, v1.18.2).
 */
function replicasAfterOverrides(policies: OverridePolicy[], cluster: string, replicas: number): number {
  return [...policies]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
    .flatMap((p) => p.spec.overrideRules)
    .filter((rule) => rule.targetCluster?.clusterNames?.includes(cluster))
    .flatMap((rule) => rule.overriders.plaintext ?? [])
    .reduce((n, op) => (op.path === "/spec/replicas" ? Number(op.value) : n), replicas);
}

test("the drill's override wins over the app's own, whatever the app's name (even one that sorts after drill-)", () => {
  // The longest, last-sorting app name the plan allows (40 characters), and names around the drill's own prefix.
  for (const name of ["nginx", "web", "zz", "z".repeat(40), "drill-x", "zzz-drill-web"]) {
    const plan = planFleet({
      ...fleet(kind("mgmt", "management"), kind("west"), kind("east")),
      apps: [{ name, image: "nginx:1.29.3", replicas: 2, placement: { clusters: ["west", "east"] }, overrides: { west: { replicas: 3 } } }],
    }).apps[0] as KarmadaAppPlan;
    const own = overridePolicy(plan)!;
    expect(replicasAfterOverrides([own], "west", 2)).toBe(3);
    expect([name, replicasAfterOverrides([own, takeAway(name, "west")], "west", 2)]).toEqual([name, 0]);
  }
});
