/**
 * Typed Karmada policies, field for field as the policy.karmada.io/v1alpha1 CRDs of the pinned
 * Karmada declare them (only the fields the platform sets). Tests validate every object built
 * here against those CRDs' schemas.
 */

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
}

export interface ClusterAffinity {
  clusterNames: string[];
}

/** One of the ordered groups Karmada tries in turn. */
export interface ClusterAffinityTerm extends ClusterAffinity {
  affinityName: string;
}

export interface StaticClusterWeight {
  targetCluster: ClusterAffinity;
  weight: number;
}

export interface ReplicaSchedulingStrategy {
  replicaSchedulingType: "Duplicated" | "Divided";
  replicaDivisionPreference?: "Aggregated" | "Weighted";
  /** A static weight per cluster, or a weight Karmada computes (`AvailableReplicas`: what each cluster fits). */
  weightPreference?: { staticWeightList: StaticClusterWeight[] } | { dynamicWeight: "AvailableReplicas" };
}

export interface SpreadConstraint {
  spreadByField: "cluster" | "region" | "zone" | "provider";
  minGroups: number;
  maxGroups: number;
}

export interface PropagationPolicy {
  apiVersion: "policy.karmada.io/v1alpha1";
  kind: "PropagationPolicy";
  metadata: { name: string; namespace: string };
  spec: {
    resourceSelectors: ResourceSelector[];
    conflictResolution?: "Abort" | "Overwrite";
    propagateDeps?: boolean;
    placement: {
      /** Or, exclusive with it, ordered groups: the first that can run the app does. */
      clusterAffinity?: ClusterAffinity;
      clusterAffinities?: ClusterAffinityTerm[];
      replicaScheduling: ReplicaSchedulingStrategy;
      spreadConstraints?: SpreadConstraint[];
      /** Taints of member clusters tolerated; a NoExecute one for `tolerationSeconds` (forever without). */
      clusterTolerations?: { key: string; operator: "Exists" | "Equal"; effect: "NoExecute"; tolerationSeconds?: number }[];
    };
    failover?: {
      application: {
        decisionConditions: { tolerationSeconds: number };
        /** `Gracefully`: the old copy goes once the new one is healthy (or after the grace period). */
        purgeMode: "Directly" | "Gracefully" | "Never";
      };
    };
  };
}

export interface PlaintextOverrider {
  path: string;
  operator: "add" | "replace" | "remove";
  value?: unknown;
}

export interface OverridePolicy {
  apiVersion: "policy.karmada.io/v1alpha1";
  kind: "OverridePolicy";
  metadata: { name: string; namespace: string };
  spec: {
    resourceSelectors: ResourceSelector[];
    overrideRules: { targetCluster: ClusterAffinity; overriders: { plaintext: PlaintextOverrider[] } }[];
  };
}
