import { type AppPlan, type KarmadaAppPlan, planFleet, websterSplit } from "../../plan";
import { fleet, kind, problemsOf } from "./fleets";

// Placement in the plan: targets, the replica split Karmada computes, and every refusal keyed.
const base = () => fleet(kind("mgmt", "management"), kind("west", "workload", { labels: { tier: "gold" } }), kind("east"));
const withApps = (...apps: unknown[]) => ({ ...base(), apps });
/** The plan of a karmada app (fails the test for another engine). */
const karmada = (plan: AppPlan): KarmadaAppPlan => {
  if (plan.engine !== "karmada") throw new Error(`${plan.name} is placed by ${plan.engine}`);
  return plan;
};
const app = (extra: Record<string, unknown> = {}) => ({ name: "web", image: "nginx:1.29.3", ...extra });

test("Karmada's static weights split replicas by Webster's method (vectors simulated from Karmada's code)", () => {
  const twoToOne = { west: 2, east: 1 };
  expect([2, 3, 4, 5, 6].map((n) => websterSplit(n, twoToOne))).toEqual([
    { west: 1, east: 1 },
    { west: 2, east: 1 },
    { west: 3, east: 1 },
    { west: 3, east: 2 },
    { west: 4, east: 2 },
  ]);
});

test("a divided app gets its split, a duplicated one the full count everywhere (per-cluster overrides too)", () => {
  const plan = planFleet(
    withApps(
      app({ replicas: 3, placement: { clusters: ["west", "east"], mode: "divided", weights: { west: 2, east: 1 } } }),
      app({ name: "ha", replicas: 2, placement: { labels: { env: "test" } }, overrides: { east: { replicas: 3 } } }),
    ),
  );
  expect(plan.apps.map(karmada).map((a) => [a.name, a.targets, a.expectedReplicas])).toEqual([
    ["web", ["west", "east"], { west: 2, east: 1 }],
    ["ha", ["west", "east"], { west: 2, east: 3 }],
  ]);
});

test("an active-passive app runs on its primary only; its standby and every caller are known", () => {
  const dr = karmada(planFleet(withApps(app({ replicas: 2, placement: { clusters: ["west"], standby: ["east"] }, failover: {} }))).apps[0]);
  expect([dr.targets, dr.standby, dr.callers, dr.expectedReplicas]).toEqual([["west"], ["east"], ["west", "east"], { west: 2 }]);
});

test("every wrong placement is refused, keyed, before any resource", () => {
  const messages = (...apps: unknown[]) => problemsOf(withApps(...apps)).map((p) => p.message);
  expect(messages(app({ placement: { clusters: ["north"] } }))).toEqual(["apps[0].placement.clusters[0] (web) names north, which is no cluster of the fleet"]);
  expect(messages(app({ placement: { clusters: ["mgmt"] } }))).toEqual([
    "apps[0].placement.clusters[0] (web) names mgmt, the management cluster: apps run on workload clusters",
  ]);
  expect(messages(app({ placement: { labels: { tier: "silver" } } }))).toEqual(['apps[0].placement.labels (web) {"tier":"silver"} match no workload cluster']);
  expect(messages(app({ replicas: 1, placement: { clusters: ["west", "east"], mode: "divided" } }))).toEqual([
    "apps[0].replicas (web) 1 divided by the weights leaves west with none: give more replicas or closer weights",
  ]);
  expect(messages(app({ placement: { clusters: ["west"], weights: { west: 1 } } }))).toEqual(["apps[0].placement.weights (web) are for a divided placement"]);
  expect(messages(app({ replicas: 4, placement: { clusters: ["west", "east"], mode: "divided", spread: { min: 2, max: 2 } } }))).toEqual([
    "apps[0].placement.spread (web) is ignored by Karmada for a divided placement with static weights: use a duplicated one, or divide by capacity",
  ]);
  expect(messages(app({ placement: { clusters: ["west"] } }), app({ placement: { clusters: ["east"] } }))).toEqual(["apps[1].name (web) is also the name of apps[0]"]);
  expect(messages(app({ placement: { clusters: ["west"] }, overrides: { east: { env: { REGION: "x" } } } }))).toEqual([
    "apps[0].overrides.east (web) overrides east, which is neither a target nor a standby",
  ]);
  expect(messages(app({ name: "monitoring", placement: { clusters: ["west"] } }), app({ name: "kube-x", placement: { clusters: ["west"] } }))).toEqual([
    "apps[0].name (monitoring) is a namespace of Kubernetes, Karmada or the platform: the app's namespace is its name",
    "apps[1].name (kube-x) is a namespace of Kubernetes, Karmada or the platform: the app's namespace is its name",
  ]);
  const standby = (extra: Record<string, unknown>) => app({ placement: { clusters: ["west"], standby: ["east"], ...extra }, failover: {} });
  expect(messages(standby({ standby: ["west"] }), standby({ standby: ["mgmt"] }))).toEqual([
    "apps[0].placement.standby[0] (web) names west, which is already a target",
    "apps[1].name (web) is also the name of apps[0]",
    "apps[1].placement.standby[0] (web) names mgmt, the management cluster: apps run on workload clusters",
  ]);
  expect(messages(app({ placement: { clusters: ["west"], standby: ["east"] } }))).toEqual([
    "apps[0].placement.standby (web) needs failover: it is what moves the app to the standby",
  ]);
  // 10:1 over 2 replicas: Webster gives both to west (10/1 > 10/3 > 1/1).
  expect(messages(app({ replicas: 2, placement: { clusters: ["west", "east"], mode: "divided", weights: { west: 10, east: 1 } } }))).toEqual([
    "apps[0].replicas (web) 2 divided by the weights leaves east with none: give more replicas or closer weights",
  ]);
  const keys = (...apps: unknown[]) => problemsOf(withApps(...apps)).map((p) => p.key);
  expect(keys(app({ placement: { clusters: ["west", "west"] } }), app({ name: "b", placement: { labels: {} } }))).toEqual([
    "apps[0].placement.clusters",
    "apps[1].placement.labels",
  ]);
  expect(keys(app({ placement: { clusters: ["west", "east"], mode: "divided", weights: {} } }))).toEqual(["apps[0].placement.weights"]);
  expect(messages(app({ placement: {} }), app({ name: "b", placement: { clusters: ["west"], labels: { tier: "gold" } } }))).toEqual([
    "apps[0].placement (web) names no target: give clusters or labels",
    "apps[1].placement (b) gives both clusters and labels: choose one",
  ]);
  expect(messages(app({ placement: { clusters: ["west", "east"], spread: { min: 3, max: 2 } } }))).toEqual([
    "apps[0].placement.spread (web) min 3 is above max 2",
    "apps[0].placement.spread.min (web) 3 is more than its 2 target clusters",
  ]);
  expect(messages(app({ replicas: 2, placement: { clusters: ["west", "east"], mode: "divided" }, overrides: { east: { replicas: 3 } } }))).toEqual([
    "apps[0].overrides.east.replicas (web) cannot change a divided placement's split: use weights",
  ]);
  expect(messages(standby({ spread: { min: 1, max: 1 } }), app({ name: "b", placement: { clusters: ["west"], standby: ["north"] }, failover: {} }))).toEqual([
    "apps[0].placement.standby (web) and spread cannot be combined: the standby is the spare",
    "apps[1].placement.standby[0] (b) names north, which is no cluster of the fleet",
  ]);
  // An override for the standby is where the app runs after failover: accepted.
  expect(planFleet(withApps(app({ placement: { clusters: ["west"], standby: ["east"] }, failover: {}, overrides: { east: { env: { REGION: "east" } } } }))).apps).toHaveLength(1);
  expect(messages(standby({ mode: "divided" }))).toEqual(["apps[0].placement.standby (web) is for a duplicated placement: the standby runs the whole app"]);
  expect(problemsOf(withApps(app({ image: "nginx:latest", placement: { clusters: ["west"] } }))).map((p) => p.key)).toEqual(["apps[0].image"]);
  expect(problemsOf(withApps(app({ engine: "flux", placement: { clusters: ["west"] } }))).map((p) => p.key)).toEqual(["apps[0].engine"]);
});

test("failover tolerates a rollout, and only moves an app that has somewhere to go", () => {
  const messages = (...apps: unknown[]) => problemsOf(withApps(...apps)).map((p) => p.message);
  const accepted = (...apps: unknown[]) => expect(planFleet(withApps(...apps)).apps).toHaveLength(apps.length);
  const divided = { clusters: ["west", "east"], mode: "divided" };
  // Karmada counts a Deployment still rolling out as unhealthy (healthy.go, v1.18.2): the
  // toleration must outlast the probe's delay plus a pull, a start and a status round trip.
  expect(messages(app({ replicas: 2, placement: divided, failover: { tolerationSeconds: 0 } }))).toEqual([
    "apps[0].failover.tolerationSeconds (web) 0 is shorter than a rollout: Karmada counts a Deployment still rolling out as unhealthy, so give at least 60 (1 rollout wave of 1 copy, each the probe's initialDelaySeconds plus 60)",
  ]);
  expect(messages(app({ replicas: 2, placement: divided, probe: { path: "/", initialDelaySeconds: 90 }, failover: { tolerationSeconds: 120 } }))).toEqual([
    "apps[0].failover.tolerationSeconds (web) 120 is shorter than a rollout: Karmada counts a Deployment still rolling out as unhealthy, so give at least 150 (1 rollout wave of 1 copy, each the probe's initialDelaySeconds plus 60)",
  ]);
  // Three copies in a cluster roll out one at a time (25 % surge rounds up to 1, 25 % unavailable
  // down to 0): three waves. Eight go two plus two at a time: two waves.
  const standby = { clusters: ["west"], standby: ["east"] };
  expect(messages(app({ replicas: 3, placement: standby, failover: { tolerationSeconds: 120 } }))).toEqual([
    "apps[0].failover.tolerationSeconds (web) 120 is shorter than a rollout: Karmada counts a Deployment still rolling out as unhealthy, so give at least 180 (3 rollout waves of 3 copies, each the probe's initialDelaySeconds plus 60)",
  ]);
  expect(messages(app({ replicas: 8, placement: standby, failover: { tolerationSeconds: 119 } }))).toEqual([
    "apps[0].failover.tolerationSeconds (web) 119 is shorter than a rollout: Karmada counts a Deployment still rolling out as unhealthy, so give at least 120 (2 rollout waves of 8 copies, each the probe's initialDelaySeconds plus 60)",
  ]);
  accepted(app({ replicas: 2, placement: divided, probe: { path: "/", initialDelaySeconds: 90 }, failover: { tolerationSeconds: 150 } }));
  // Duplicated on every target with no spare: evict, clear, reschedule the same cluster, forever.
  const churn = "has no cluster to move the app to: every target already runs it, so Karmada would evict and reschedule the same copy every toleration period; give a standby, or a spread.max below its targets (or, divided, a second target)";
  expect(messages(app({ placement: { clusters: ["west", "east"] }, failover: {} }), app({ name: "b", placement: { clusters: ["west"] }, failover: {} }))).toEqual([
    `apps[0].failover (web) ${churn}`,
    `apps[1].failover (b) ${churn}`,
  ]);
  expect(messages(app({ placement: { clusters: ["west", "east"], spread: { min: 2, max: 2 } }, failover: {} }))).toEqual([`apps[0].failover (web) ${churn}`]);
  // Divided over one target: Karmada filters out the cluster it evicts from, so nothing is left.
  expect(messages(app({ replicas: 2, placement: { clusters: ["west"], mode: "divided" }, failover: {} }))).toEqual([`apps[0].failover (web) ${churn}`]);
  // A spare target, a standby, or a divided split: the evicted copy has a place to go.
  accepted(
    app({ placement: { clusters: ["west", "east"], spread: { min: 1, max: 1 } }, failover: {} }),
    app({ name: "b", placement: { clusters: ["west"], standby: ["east"] }, failover: {} }),
    app({ name: "c", replicas: 2, placement: divided, failover: {} }),
  );
});

test("a commit as the revision is refused when the platform's own git server (which pushes a branch) is the repository", () => {
  const withGitops = (gitops: Record<string, unknown>) => ({ ...base(), gitops });
  expect(problemsOf(withGitops({ revision: "3f9c2ab" })).map((p) => p.message)).toEqual([
    "gitops.revision 3f9c2ab looks like a commit, but the platform's own git server (no gitops.repoURL) is seeded by pushing a branch of that name: name a branch, or set gitops.repoURL",
  ]);
  expect(problemsOf(withGitops({ revision: "a".repeat(40) })).map((p) => p.key)).toEqual(["gitops.revision"]);
  expect(planFleet(withGitops({ revision: "release-1" })).gitops.revision).toBe("release-1");
  // Another repository may be pinned to a commit.
  expect(planFleet(withGitops({ repoURL: "https://git.example.com/fleet.git", revision: "3f9c2ab" })).gitops.revision).toBe("3f9c2ab");
});

test("the failover drill's namespace is no app's name", () => {
  expect(problemsOf(withApps(app({ name: "drill", placement: { clusters: ["west"] } }))).map((p) => p.message)).toEqual([
    "apps[0].name (drill) is a namespace of Kubernetes, Karmada or the platform: the app's namespace is its name",
  ]);
});

test("an argocd app is placed by clusters or labels; what only Karmada does, or what its overlays say, is refused, keyed", () => {
  const plan = planFleet(withApps({ name: "guestbook", engine: "argocd", placement: { labels: { tier: "gold" } } }));
  expect(plan.apps.map((a) => [a.engine, a.targets, a.engine === "argocd" ? a.source : undefined])).toEqual([["argocd", ["west"], { path: "gitops/apps/guestbook" }]]);
  const messages = (extra: Record<string, unknown>) =>
    problemsOf(withApps({ name: "gb", engine: "argocd", placement: { clusters: ["west", "east"] }, ...extra })).map((p) => p.message);
  const overlays = "the argocd engine takes what runs in each cluster from the app's overlays in git";
  expect(messages({ image: "nginx:1.29.3", replicas: 2, env: { A: "1" }, overrides: { west: { replicas: 1 } } })).toEqual([
    `apps[0].image (gb) is not read: ${overlays}`,
    `apps[0].replicas (gb) is not read: ${overlays}`,
    `apps[0].env (gb) is not read: ${overlays}`,
    `apps[0].overrides (gb) are not read: ${overlays}`,
  ]);
  expect(messages({ resources: { requests: { cpu: "1" } }, probe: { path: "/" } })).toEqual([
    `apps[0].resources (gb) are not read: ${overlays}`,
    `apps[0].probe (gb) is not read: ${overlays}`,
  ]);
  expect(problemsOf(withApps(app({ placement: { clusters: ["west"] }, resources: { limits: { memory: "lots" } } }))).map((p) => p.message)).toEqual([
    'apps[0].resources.limits.memory "lots": is not a Kubernetes quantity such as 250m or 128Mi',
  ]);
  expect(messages({ placement: { clusters: ["west", "east"], mode: "divided" } })).toEqual([
    "apps[0].placement.mode (gb) divided needs the karmada engine: Argo CD syncs each cluster's overlay whole",
  ]);
  expect(messages({ placement: { clusters: ["west"], standby: ["east"] }, failover: {} })).toEqual([
    "apps[0].placement.standby (gb) needs the karmada engine: Argo CD does not move an app between clusters",
    "apps[0].failover (gb) needs the karmada engine: Argo CD does not move an app between clusters",
  ]);
  expect(messages({ source: { path: "../elsewhere" } })).toEqual([`apps[0].source.path "../elsewhere": may not leave the repository`]);
  // And the other way round: a karmada app needs an image and has no source.
  expect(problemsOf(withApps({ name: "web", placement: { clusters: ["west"] }, source: { path: "x" } })).map((p) => p.message)).toEqual([
    "apps[0].image (web) is missing: the karmada engine makes the app's Deployment from it",
    "apps[0].source (web) is for the argocd engine: a karmada app is made from image, port and env",
  ]);
});

test("a divided app may be split by capacity, which Karmada decides when it schedules: no split in the plan, no weights", () => {
  const [byCapacity] = planFleet(withApps(app({ replicas: 5, placement: { clusters: ["west", "east"], mode: "divided", divideBy: "capacity" } }))).apps.map(karmada);
  expect(byCapacity.expectedReplicas).toEqual({});
  // One replica over two targets is fine: capacity, not weights, decides who gets it.
  expect(() => planFleet(withApps(app({ replicas: 1, placement: { clusters: ["west", "east"], mode: "divided", divideBy: "capacity" } })))).not.toThrow();
  expect(problemsOf(withApps(app({ placement: { clusters: ["west"], divideBy: "capacity" } }))).map((p) => p.message)).toEqual([
    "apps[0].placement.divideBy (web) capacity is for a divided placement",
  ]);
  expect(problemsOf(withApps(app({ replicas: 3, placement: { clusters: ["west", "east"], mode: "divided", divideBy: "capacity", weights: { west: 2 } } }))).map((p) => p.message)).toEqual([
    "apps[0].placement.weights (web) are not read when dividing by capacity: leave them out",
  ]);
});

test("Pod Security restricted is for the ambient mode, where no sidecar needs privileges", () => {
  const restricted = { ...app({ podSecurity: "restricted", placement: { clusters: ["west"] } }) };
  expect(problemsOf(withApps(restricted)).map((p) => p.message)).toEqual([
    "apps[0].podSecurity (web) restricted needs the ambient mesh mode: injected sidecars need NET_ADMIN and NET_RAW",
  ]);
  expect(planFleet({ ...withApps(restricted), mesh: { mode: "ambient" } }).apps[0].podSecurity).toBe("restricted");
});

test("a target left out of the weights is refused (Karmada would run it empty), and so are names of the platform's namespaces", () => {
  expect(problemsOf(withApps(app({ replicas: 3, placement: { clusters: ["west", "east"], mode: "divided", weights: { west: 1 } } }))).map((p) => p.message)).toEqual([
    "apps[0].placement.weights (web) give east a weight: it is a target, and Karmada would give it no replicas",
  ]);
  for (const name of ["logging", "tracing", "opencost", "velero", "backup-store", "gitops", "monitoring", "argocd", "istio-system", "kube-public"]) {
    expect(problemsOf(withApps(app({ name, placement: { clusters: ["west"] } }))).map((p) => p.key)).toEqual(["apps[0].name"]);
  }
});
