import type { AppPlan } from "../../plan";
import type { OverridePolicy, PlaintextOverrider, PropagationPolicy, ResourceSelector } from "./api";

/** The templates an app's policies select: its Deployment and Service, by name. */
export function selectorsOf(app: AppPlan): ResourceSelector[] {
  return [
    { apiVersion: "apps/v1", kind: "Deployment", namespace: app.name, name: app.name },
    { apiVersion: "v1", kind: "Service", namespace: app.name, name: app.name },
  ];
}

/**
 * Where Karmada puts the app: its targets by name; every target the full Deployment (duplicated)
 * or the replicas split by static weights (divided); at most `spread.max` clusters when spread;
 * and, with failover, the copy on a cluster where it stays unhealthy moved elsewhere.
 */
export function propagationPolicy(app: AppPlan): PropagationPolicy {
  const { placement } = app;
  const divided = placement.mode === "divided";
  const weights = placement.weights;
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "PropagationPolicy",
    metadata: { name: app.name, namespace: app.name },
    spec: {
      resourceSelectors: selectorsOf(app),
      // The app's namespace is the platform's: a copy already in a member (left running while a
      // lost management cluster was rebuilt) is taken over, not a reason to stop.
      conflictResolution: "Overwrite",
      placement: {
        clusterAffinity: { clusterNames: [...app.targets] },
        replicaScheduling: divided
          ? {
              replicaSchedulingType: "Divided",
              replicaDivisionPreference: "Weighted",
              // Unweighted targets are left out: Karmada's minimum weight is 1.
              weightPreference: {
                staticWeightList: app.targets
                  .filter((t) => !weights || weights[t] !== undefined)
                  .map((t) => ({ targetCluster: { clusterNames: [t] }, weight: weights?.[t] ?? 1 })),
              },
            }
          : { replicaSchedulingType: "Duplicated" },
        ...(placement.spread
          ? { spreadConstraints: [{ spreadByField: "cluster", minGroups: placement.spread.min, maxGroups: placement.spread.max }] }
          : {}),
      },
      ...(app.failover
        ? { failover: { application: { decisionConditions: { tolerationSeconds: app.failover.tolerationSeconds }, purgeMode: "Gracefully" } } }
        : {}),
    },
  };
}

/** The app's container in the Deployment template (the only one: overriders address index 0). */
const CONTAINER = "/spec/template/spec/containers/0";

/**
 * What differs per cluster, as JSON-patch overriders of the templates: the whole env list
 * replaced by the merged one (so a variable set only there is added, and order stays fixed),
 * the image, and the replicas. Undefined when no cluster differs.
 */
export function overridePolicy(app: AppPlan): OverridePolicy | undefined {
  const rules = Object.entries(app.overrides)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, override]) => {
      const plaintext: PlaintextOverrider[] = [];
      if (override.env) plaintext.push({ path: `${CONTAINER}/env`, operator: "replace", value: envList({ ...app.env, ...override.env }) });
      if (override.image) plaintext.push({ path: `${CONTAINER}/image`, operator: "replace", value: override.image });
      if (override.replicas !== undefined) plaintext.push({ path: "/spec/replicas", operator: "replace", value: override.replicas });
      return { targetCluster: { clusterNames: [cluster] }, overriders: { plaintext } };
    })
    .filter((rule) => rule.overriders.plaintext.length > 0);
  if (rules.length === 0) return undefined;
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "OverridePolicy",
    metadata: { name: app.name, namespace: app.name },
    spec: { resourceSelectors: selectorsOf(app).slice(0, 1), overrideRules: rules },
  };
}

/** Env as a container list, sorted by name so a render never reorders it. */
export function envList(env: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name] }));
}
