/**
 * Cluster failover: Karmada moves what a lost member runs only once the member carries a
 * NoExecute taint that the placement does not tolerate (its taint manager, with the `Failover`
 * gate and `--enable-no-execute-taint-eviction`). This policy taints a member whose `Ready`
 * condition is anything but True, and lifts the taint when it is True again; each app's
 * PropagationPolicy says how long it tolerates the taint (forever: it never moves).
 */
export const CLUSTER_DOWN_TAINT = "platform/cluster-down";

/**
 * The ClusterTaintPolicy of the Karmada API (policy.karmada.io/v1alpha1). No `targetClusters`:
 * it watches every member, so adding or removing one changes nothing here.
 */
export function clusterDownTaintPolicy() {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "ClusterTaintPolicy",
    metadata: { name: "cluster-down" },
    spec: {
      addOnConditions: [{ conditionType: "Ready", operator: "NotIn", statusValues: ["True"] }],
      removeOnConditions: [{ conditionType: "Ready", operator: "In", statusValues: ["True"] }],
      taints: [{ key: CLUSTER_DOWN_TAINT, effect: "NoExecute" }],
    },
  };
}

/** How long a placement stays on a member tainted down: `seconds`, or forever when undefined. */
export function clusterDownToleration(seconds?: number) {
  return {
    key: CLUSTER_DOWN_TAINT,
    operator: "Exists" as const,
    effect: "NoExecute" as const,
    ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
  };
}
