import type * as pulumi from "@pulumi/pulumi";

/**
 * Typed objects of the Karmada API (served by karmada-apiserver, not the host cluster). `Cluster`
 * is served by Karmada's aggregated API server and has no CRD; its fields follow
 * karmada-io/karmada pkg/apis/cluster/v1alpha1/types.go at the pinned version.
 */

export interface LocalSecretReference {
  namespace: string;
  name: string;
}

export interface KarmadaClusterSpec {
  /** Push: Karmada's controllers call the member's API. Pull: an agent in the member calls Karmada. */
  syncMode: "Push" | "Pull";
  /** The member API URL, as reachable from karmada-controller-manager's pods. */
  apiEndpoint?: string;
  /** Secret with `token` and `caBundle` for the member API. */
  secretRef?: LocalSecretReference;
  /** Secret with the `token` of the member's impersonator ServiceAccount (unified auth). */
  impersonatorSecretRef?: LocalSecretReference;
  insecureSkipTLSVerification?: boolean;
  proxyURL?: string;
  provider?: string;
  region?: string;
  zones?: string[];
}

export interface KarmadaCluster {
  apiVersion: "cluster.karmada.io/v1alpha1";
  kind: "Cluster";
  metadata: { name: string; labels?: Record<string, string> };
  spec: KarmadaClusterSpec;
}

/** Namespace that holds member credentials, on both sides (Karmada's unified auth expects it). */
export const KARMADA_CLUSTER_NAMESPACE = "karmada-cluster";
/** Label karmadactl puts on everything it creates for a member. */
export const KARMADA_SYSTEM_LABEL = { "karmada.io/system": "true" };

/** A Karmada object whose spec fields may still be computing (Pulumi inputs). */
export type Pending<T extends { spec: object }> = Omit<T, "spec"> & {
  spec: { [K in keyof T["spec"]]: pulumi.Input<T["spec"][K]> };
  [field: string]: unknown;
};
