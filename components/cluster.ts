import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../plan";

/**
 * A running cluster of the fleet, whatever runs it (kind now, EKS in prod). Every component
 * that installs into a cluster or registers one takes this, never a provider's internals.
 */
export interface Cluster {
  readonly name: string;
  /** The validated plan entry: role, provider, region, network, labels and CIDRs. */
  readonly spec: ClusterPlan;
  /** The one explicit Kubernetes provider for this cluster. */
  readonly provider: k8s.Provider;
  /** Admin kubeconfig for the host running Pulumi (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** API server URL as Pulumi reaches it. */
  readonly endpoint: pulumi.Output<string>;
  /** API server URL as pods of *other* clusters reach it (Karmada, Argo CD, istiod use this). */
  readonly internalEndpoint: pulumi.Output<string>;
  /** Base64 PEM of the cluster CA that signs the API server's certificate. */
  readonly caData: pulumi.Output<string>;
}

/**
 * Labels the platform puts on every node of a cluster, whatever runs it. Not in `kubernetes.io`
 * namespaces: the EKS API refuses those on node groups.
 */
export function nodeLabels(spec: ClusterPlan): Record<string, string> {
  return { "platform/cluster": spec.name, "platform/env": spec.labels.env };
}
