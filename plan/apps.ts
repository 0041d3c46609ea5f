import type { AppConfig, GitOpsSettings } from "./apps-schema";
import { placementLabels } from "./primitives";
import type { Slots } from "./parse";
import type { MeshMode } from "./schema";
import type { Problem } from "./problem";

/** What every placed app has, whatever places it. */
interface AppPlanBase extends Omit<AppConfig, "image" | "replicas" | "source" | "resources"> {
  /** The workload clusters it runs on, in the fleet's order. */
  readonly targets: readonly string[];
  /** Clusters that take it over when its targets cannot run it (active-passive), in the fleet's order. */
  readonly standby: readonly string[];
  /** Every workload cluster, in the fleet's order: where its callers may be, so where its Service is. */
  readonly callers: readonly string[];
}

/** An app the platform makes and Karmada propagates: its pod template is declared in config. */
export interface KarmadaAppPlan extends AppPlanBase {
  readonly engine: "karmada";
  readonly image: string;
  readonly replicas: number;
  /** Its container's requests (defaults filled in) and limits. */
  readonly resources: { requests: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  /**
   * Replicas each target runs, as Karmada computes them: every target the full count when
   * duplicated; when divided, the Webster (Sainte-Laguë) split of the weights (on a tie, fewer
   * replicas first, then the first name in byte order; Karmada picks the name order by a hash
   * of the template's UID). With `spread`, Karmada picks which targets: the first `max` here. A target given none runs nothing.
   * Empty when divided by capacity: Karmada decides when it schedules.
   */
  readonly expectedReplicas: Readonly<Record<string, number>>;
}

/** An app an ApplicationSet syncs from git: each target cluster's overlay says what runs there. */
export interface ArgoCdAppPlan extends AppPlanBase {
  readonly engine: "argocd";
  /** Its folder in the GitOps repository; `overlays/<cluster>` under it per target. */
  readonly source: { readonly path: string };
}

/** An app as placed: its target clusters resolved, and what each runs. */
export type AppPlan = KarmadaAppPlan | ArgoCdAppPlan;

/** What a karmada app's container requests when its config says nothing: what schedulers count. */
const DEFAULT_REQUESTS = { cpu: "50m", memory: "64Mi" };

/** Per-cluster differences of an argocd app live in its overlays; these keys are Karmada's. */
const ARGOCD_LACKS = "the argocd engine takes what runs in each cluster from the app's overlays in git";

/**
 * Names an app may not take: its namespace is its name and goes when the app does, so never one
 * of Kubernetes', Karmada's (which Karmada does not propagate) or the platform's own.
 */
/** Namespaces of Kubernetes, Karmada and the platform: no app or team may take one. */
export const RESERVED_NAMESPACE = /^(default|argocd|monitoring|logging|tracing|opencost|velero|backup-store|gitops|drill|platform-teams|(kube|karmada|istio|metallb)-.*)$/;

/**
 * What failover's toleration must leave, per rollout wave, above the probe's initial delay: a
 * chosen margin for a new copy's image pull, start, probe period and the status round trip to the
 * Karmada API. Karmada counts a Deployment that is still rolling out as unhealthy, and
 * application failover's timer starts at the first unhealthy status.
 */
export const FAILOVER_ROLLOUT_MARGIN_SECONDS = 60;

/**
 * How many waves a Deployment of `replicas` rolls out in with Kubernetes' default strategy: at
 * most 25 % (rounded up) more and 25 % (rounded down) fewer than wanted at a time.
 */
export function rolloutWaves(replicas: number): number {
  return Math.ceil(replicas / (Math.ceil(replicas / 4) + Math.floor(replicas / 4)));
}


/**
 * Splits `total` replicas by `weights` as Karmada's static weighting does (Webster's method:
 * each next replica to the highest weight / (2 × seats + 1)).
 */
export function websterSplit(total: number, weights: Readonly<Record<string, number>>): Record<string, number> {
  const seats: Record<string, number> = Object.fromEntries(Object.keys(weights).map((k) => [k, 0]));
  for (let n = 0; n < total; n++) {
    const [next] = Object.keys(weights).sort((a, b) => {
      const diff = weights[b] / (2 * seats[b] + 1) - weights[a] / (2 * seats[a] + 1);
      // Karmada's order on a tie: fewer replicas first, then the name (Go's string order).
      return diff !== 0 ? diff : seats[a] - seats[b] || (a < b ? -1 : 1);
    });
    seats[next]++;
  }
  return seats;
}

/** A revision that Argo CD would read as a commit (an abbreviated or full SHA-1 or SHA-256). */
const COMMIT_LIKE = /^[0-9a-f]{7,64}$/;

/**
 * The GitOps settings: without `repoURL` the platform's own git server is seeded by pushing a
 * branch named `revision`, so a commit there is one no push can make.
 */
export function gitopsRevisionProblems(gitops: GitOpsSettings): Problem[] {
  if (gitops.repoURL !== undefined || !COMMIT_LIKE.test(gitops.revision)) return [];
  return [
    {
      key: "gitops.revision",
      message: `gitops.revision ${gitops.revision} looks like a commit, but the platform's own git server (no gitops.repoURL) is seeded by pushing a branch of that name: name a branch, or set gitops.repoURL`,
    },
  ];
}

/** Every app's placement checked against the fleet, each problem keyed; and the plans when all is well. */
export function planApps(
  apps: readonly AppConfig[],
  clusters: Slots,
  environment: string,
  meshMode: MeshMode,
): { apps: AppPlan[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const workloads = clusters.filter((c): c is NonNullable<typeof c> => c?.role === "workload");
  const names = new Map<string, number>();
  const plans = apps.map((app, i): AppPlan | undefined => {
    const key = `apps[${i}]`;
    const fail = (at: string, why: string) => problems.push({ key: `${key}${at}`, message: `${key}${at} (${app.name}) ${why}` });
    if (names.has(app.name)) fail(".name", `is also the name of apps[${names.get(app.name)}]`);
    names.set(app.name, i);
    if (RESERVED_NAMESPACE.test(app.name)) fail(".name", "is a namespace of Kubernetes, Karmada or the platform: the app's namespace is its name");

    const { placement } = app;
    let targets: string[] = [];
    if (placement.clusters && placement.labels) fail(".placement", "gives both clusters and labels: choose one");
    else if (placement.clusters) {
      placement.clusters.forEach((name, j) => {
        const cluster = clusters.find((c) => c?.name === name);
        if (!cluster) fail(`.placement.clusters[${j}]`, `names ${name}, which is no cluster of the fleet`);
        else if (cluster.role !== "workload") fail(`.placement.clusters[${j}]`, `names ${name}, the management cluster: apps run on workload clusters`);
      });
      targets = workloads.filter((c) => placement.clusters!.includes(c.name)).map((c) => c.name);
    } else if (placement.labels) {
      targets = workloads.filter((c) => Object.entries(placement.labels!).every(([k, v]) => placementLabels(c, environment)[k] === v)).map((c) => c.name);
      if (targets.length === 0) fail(".placement.labels", `${JSON.stringify(placement.labels)} match no workload cluster`);
    } else fail(".placement", "names no target: give clusters or labels");

    const divided = placement.mode === "divided";
    if (placement.weights && !divided) fail(".placement.weights", "are for a divided placement");
    const byCapacity = placement.divideBy === "capacity";
    if (byCapacity && !divided) fail(".placement.divideBy", "capacity is for a divided placement");
    if (byCapacity && placement.weights) fail(".placement.weights", "are not read when dividing by capacity: leave them out");
    for (const name of Object.keys(placement.weights ?? {}).filter((n) => !targets.includes(n))) {
      fail(`.placement.weights.${name}`, `weighs ${name}, which is not a target`);
    }
    // Karmada gives a target with no weight none of the replicas: say so rather than run it empty.
    const given = divided && !byCapacity ? placement.weights : undefined;
    for (const name of given ? targets.filter((t) => given[t] === undefined) : []) {
      fail(".placement.weights", `give ${name} a weight: it is a target, and Karmada would give it no replicas`);
    }
    const weights = Object.fromEntries(targets.map((t) => [t, given?.[t] ?? 1]));
    if (divided && !byCapacity && app.engine === "karmada" && targets.length > 0) {
      const split = websterSplit(app.replicas ?? 1, weights);
      const left = targets.filter((t) => weights[t] > 0 && split[t] === 0);
      if (left.length > 0) fail(".replicas", `${app.replicas ?? 1} divided by the weights leaves ${left.join(", ")} with none: give more replicas or closer weights`);
    }
    const standby = workloads.filter((c) => placement.standby?.includes(c.name)).map((c) => c.name);
    placement.standby?.forEach((name, j) => {
      const at = `.placement.standby[${j}]`;
      if (!clusters.some((c) => c?.name === name)) fail(at, `names ${name}, which is no cluster of the fleet`);
      else if (!workloads.some((c) => c.name === name)) fail(at, `names ${name}, the management cluster: apps run on workload clusters`);
      else if (targets.includes(name)) fail(at, `names ${name}, which is already a target`);
    });
    if (placement.standby) {
      if (divided) fail(".placement.standby", "is for a duplicated placement: the standby runs the whole app");
      if (placement.spread) fail(".placement.standby", "and spread cannot be combined: the standby is the spare");
      if (!app.failover) fail(".placement.standby", "needs failover: it is what moves the app to the standby");
    }
    if (app.failover && app.engine === "karmada") {
      const replicas = app.replicas ?? 1;
      // The most copies one cluster runs: what its slowest rollout waits for.
      const most = divided
        ? byCapacity
          ? replicas
          : Math.max(...Object.values(websterSplit(replicas, weights)), 1)
        : Math.max(replicas, ...Object.values(app.overrides).map((o) => o.replicas ?? 0));
      const waves = rolloutWaves(most);
      const floor = waves * ((app.probe?.initialDelaySeconds ?? 0) + FAILOVER_ROLLOUT_MARGIN_SECONDS);
      if (app.failover.tolerationSeconds < floor) {
        fail(
          ".failover.tolerationSeconds",
          `${app.failover.tolerationSeconds} is shorter than a rollout: Karmada counts a Deployment still rolling out as unhealthy, so give at least ${floor} (${waves} rollout wave${waves === 1 ? "" : "s"} of ${most} cop${most === 1 ? "y" : "ies"}, each the probe's initialDelaySeconds plus ${FAILOVER_ROLLOUT_MARGIN_SECONDS})`,
        );
      }
      // Application failover evicts the copy and reschedules it; with no target left free the
      // scheduler picks the same cluster again (a cluster being evicted from is filtered out, so
      // a divided app on one target has none), and the eviction repeats every toleration period.
      const spare =
        placement.standby !== undefined || (divided && targets.length > 1) || (placement.spread !== undefined && placement.spread.max < targets.length);
      if (!spare && targets.length > 0) {
        fail(".failover", "has no cluster to move the app to: every target already runs it, so Karmada would evict and reschedule the same copy every toleration period; give a standby, or a spread.max below its targets (or, divided, a second target)");
      }
    }
    if (placement.spread) {
      if (divided && !byCapacity) fail(".placement.spread", "is ignored by Karmada for a divided placement with static weights: use a duplicated one, or divide by capacity");
      if (placement.spread.min > placement.spread.max) fail(".placement.spread", `min ${placement.spread.min} is above max ${placement.spread.max}`);
      if (placement.spread.min > targets.length) fail(".placement.spread.min", `${placement.spread.min} is more than its ${targets.length} target clusters`);
    }
    if (app.podSecurity === "restricted" && meshMode === "sidecar") {
      fail(".podSecurity", "restricted needs the ambient mesh mode: injected sidecars need NET_ADMIN and NET_RAW");
    }
    if (app.engine === "argocd") {
      if (app.image !== undefined) fail(".image", `is not read: ${ARGOCD_LACKS}`);
      if (app.replicas !== undefined) fail(".replicas", `is not read: ${ARGOCD_LACKS}`);
      if (Object.keys(app.env).length > 0) fail(".env", `is not read: ${ARGOCD_LACKS}`);
      if (Object.keys(app.overrides).length > 0) fail(".overrides", `are not read: ${ARGOCD_LACKS}`);
      if (app.resources) fail(".resources", `are not read: ${ARGOCD_LACKS}`);
      if (app.probe) fail(".probe", `is not read: ${ARGOCD_LACKS}`);
      if (divided) fail(".placement.mode", "divided needs the karmada engine: Argo CD syncs each cluster's overlay whole");
      if (placement.spread) fail(".placement.spread", "needs the karmada engine: Argo CD syncs every selected cluster");
      if (placement.standby) fail(".placement.standby", "needs the karmada engine: Argo CD does not move an app between clusters");
      if (app.failover) fail(".failover", "needs the karmada engine: Argo CD does not move an app between clusters");
    } else {
      if (app.image === undefined) fail(".image", "is missing: the karmada engine makes the app's Deployment from it");
      if (app.source) fail(".source", "is for the argocd engine: a karmada app is made from image, port and env");
    }
    for (const [name, override] of Object.entries(app.engine === "argocd" ? {} : app.overrides)) {
      if (!targets.includes(name) && !standby.includes(name)) fail(`.overrides.${name}`, `overrides ${name}, which is neither a target nor a standby`);
      if (override.replicas !== undefined && divided) fail(`.overrides.${name}.replicas`, "cannot change a divided placement's split: use weights");
    }
    if (problems.some((p) => p.key.startsWith(key))) return undefined;
    const { image, replicas: declaredReplicas, source, resources, ...declared } = app;
    const placed = { ...declared, targets, standby, callers: workloads.map((c) => c.name) };
    if (app.engine === "argocd") return { ...placed, engine: "argocd", source: source ?? { path: `gitops/apps/${app.name}` } };
    // A karmada app without an image was refused above.
    if (image === undefined) return undefined;
    const replicas = declaredReplicas ?? 1;
    const chosen = placement.spread ? targets.slice(0, placement.spread.max) : targets;
    // Divided by capacity: Karmada decides at scheduling time, from what each target has free.
    const expectedReplicas = byCapacity
      ? {}
      : divided
      ? Object.fromEntries(Object.entries(websterSplit(replicas, weights)).filter(([, n]) => n > 0))
      : Object.fromEntries(chosen.map((t) => [t, app.overrides[t]?.replicas ?? replicas]));
    const requests = { ...DEFAULT_REQUESTS, ...resources?.requests };
    return { ...placed, engine: "karmada", image, replicas, expectedReplicas, resources: { requests, ...(resources?.limits ? { limits: resources.limits } : {}) } };
  });
  return { apps: plans.filter((p): p is AppPlan => p !== undefined), problems };
}
