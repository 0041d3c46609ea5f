import type { AppPlan, KarmadaAppPlan } from "../../plan";
import { clusterDownToleration } from "../management/karmada";
import type { OverridePolicy, PlaintextOverrider, PropagationPolicy, ResourceSelector } from "./api";

/** An app's Deployment: named as the app, in the namespace named as the app. */
const deploymentSelector = (app: string): ResourceSelector => ({ apiVersion: "apps/v1", kind: "Deployment", namespace: app, name: app });
const service = (app: AppPlan): ResourceSelector => ({ apiVersion: "v1", kind: "Service", namespace: app.name, name: app.name });

const policy = (app: AppPlan, name: string, spec: PropagationPolicy["spec"]): PropagationPolicy => ({
  apiVersion: "policy.karmada.io/v1alpha1",
  kind: "PropagationPolicy",
  metadata: { name, namespace: app.name },
  spec,
});

/**
 * Where Karmada runs the Deployment: its targets by name; every target the full Deployment
 * (duplicated) or the replicas split by static weights (divided); at most `spread.max` clusters
 * when spread; the standby only when no target can (active-passive); and, with failover, the copy
 * on a cluster where it stays unhealthy moved elsewhere.
 */
export function propagationPolicy(app: KarmadaAppPlan): PropagationPolicy {
  const { placement } = app;
  const divided = placement.mode === "divided";
  const weights = placement.weights;
  return policy(app, app.name, {
    resourceSelectors: [deploymentSelector(app.name)],
    // The app's namespace is the platform's: a copy already in a member (left running while a
    // lost management cluster was rebuilt) is taken over, not a reason to stop.
    conflictResolution: "Overwrite",
    // Karmada's webhook refuses application failover without it.
    ...(app.failover ? { propagateDeps: true } : {}),
    placement: {
      ...(app.standby.length > 0
        ? {
            clusterAffinities: [
              { affinityName: "primary", clusterNames: [...app.targets] },
              { affinityName: "standby", clusterNames: [...app.standby] },
            ],
          }
        : { clusterAffinity: { clusterNames: [...app.targets] } }),
      replicaScheduling: divided
        ? {
            replicaSchedulingType: "Divided",
            replicaDivisionPreference: "Weighted",
            weightPreference:
              placement.divideBy === "capacity"
                ? { dynamicWeight: "AvailableReplicas" }
                : { staticWeightList: app.targets.map((t) => ({ targetCluster: { clusterNames: [t] }, weight: weights?.[t] ?? 1 })) },
          }
        : { replicaSchedulingType: "Duplicated" },
      ...(placement.spread
        ? { spreadConstraints: [{ spreadByField: "cluster", minGroups: placement.spread.min, maxGroups: placement.spread.max }] }
        : {}),
      // A member down (not Ready) for as long as the app tolerates an unhealthy copy loses its
      // copy to the other candidates (the standby, for active-passive); without failover, never.
      clusterTolerations: [clusterDownToleration(app.failover?.tolerationSeconds)],
    },
    ...(app.failover
      ? { failover: { application: { decisionConditions: { tolerationSeconds: app.failover.tolerationSeconds }, purgeMode: "Gracefully" } } }
      : {}),
  });
}

/**
 * The Service and the namespace's NetworkPolicies in every workload cluster, whatever the
 * Deployment's spread or failover: a caller's cluster needs the Service to resolve its name and
 * the mesh merges the endpoints of all clusters; and Karmada schedules each template on its own
 * (a Service always reports healthy), so pods moved by failover always find their Service and
 * their policies.
 */
export function servicePolicy(app: AppPlan): PropagationPolicy {
  return policy(app, `${app.name}-service`, {
    resourceSelectors: [service(app), { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespace: app.name }],
    conflictResolution: "Overwrite",
    placement: {
      clusterAffinity: { clusterNames: [...app.callers] },
      replicaScheduling: { replicaSchedulingType: "Duplicated" },
      // Callers are everywhere: a member that comes back finds the Service where it was.
      clusterTolerations: [clusterDownToleration()],
    },
  });
}

/** The app's container in the Deployment template (the only one: overriders address index 0). */
const CONTAINER = "/spec/template/spec/containers/0";

/**
 * What differs per cluster, as JSON-patch overriders of the Deployment: the whole env list set to
 * the merged one (`add`, which also replaces: the API server drops an empty env, so a `replace`
 * would find nothing), the image, and the replicas. Undefined when no cluster differs.
 */
export function overridePolicy(app: KarmadaAppPlan): OverridePolicy | undefined {
  const rules = Object.entries(app.overrides)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cluster, override]) => {
      const plaintext: PlaintextOverrider[] = [];
      if (override.env && Object.keys(override.env).length > 0) {
        plaintext.push({ path: `${CONTAINER}/env`, operator: "add", value: envList({ ...app.env, ...override.env }) });
      }
      if (override.image) plaintext.push({ path: `${CONTAINER}/image`, operator: "replace", value: override.image });
      if (override.replicas !== undefined) plaintext.push({ path: "/spec/replicas", operator: "replace", value: override.replicas });
      return { targetCluster: { clusterNames: [cluster] }, overriders: { plaintext } };
    })
    .filter((rule) => rule.overriders.plaintext.length > 0);
  return rules.length === 0 ? undefined : deploymentOverride(app.name, app.name, rules);
}

/** An OverridePolicy `name` for the Deployment of app `app` (named and namespaced as the app). */
export function deploymentOverride(app: string, name: string, overrideRules: OverridePolicy["spec"]["overrideRules"]): OverridePolicy {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "OverridePolicy",
    metadata: { name, namespace: app },
    spec: { resourceSelectors: [deploymentSelector(app)], overrideRules },
  };
}

/** Env as a container list, sorted by name so a render never reorders it. */
export function envList(env: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name] }));
}
