import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../../plan";
import type { ServiceReach, ServiceRequest } from "./reach";

/**
 * A running cluster of the fleet, whatever runs it (kind for dev, EKS for prod). Every component
 * that installs into a cluster or registers one takes this, never a provider's internals, and
 * never asks which implementation it has.
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
  /** The infrastructure running it, as Karmada's `Cluster.spec.provider` names it (`kind`, `aws`). */
  readonly infrastructure: string;
  /** How a platform service on this cluster is reached from outside it. */
  reach(request: ServiceRequest): ServiceReach;
  /**
   * Where state that must outlive its pod is kept: network-attached volumes of a StorageClass.
   * Undefined where the nodes' disks are all there is (kind): charts keep their node-local defaults.
   */
  readonly persistentStorage?: PersistentStorage;
  /**
   * Buckets of the cloud's object store, for data that outlives the cluster (logs, traces,
   * backups). Undefined where there is none (kind): components keep data on volumes, or run a
   * store of their own.
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * Admits an identity of the cloud (an IAM role on EKS) with edit rights in some namespaces only.
   * Undefined where the cluster trusts no cloud identity (kind): the platform issues a
   * ServiceAccount token bound to those namespaces instead.
   */
  readonly cloudIdentity?: CloudIdentity;
}

/** How a cluster admits a cloud identity to some of its namespaces. */
export interface CloudIdentity {
  admit(request: CloudAdmissionRequest): CloudAdmission;
}

export interface CloudAdmissionRequest {
  /** Prefix of the resources made, which `parent` owns. */
  name: string;
  parent: pulumi.Resource;
  /** The identity (an IAM role ARN). */
  principal: string;
  /** Where it may edit; it may do nothing elsewhere. */
  namespaces: readonly string[];
}

/** An admitted identity. */
export interface CloudAdmission {
  /** A kubeconfig that authenticates as the identity, with none of the platform's credentials (secret). */
  readonly kubeconfig: pulumi.Output<string>;
}

/** The cloud's object store, as the platform's components ask it for buckets. */
export interface ObjectStorage {
  /**
   * A private, encrypted bucket for `purpose` (a DNS label, e.g. `logs`), readable and writable
   * by the ServiceAccount `namespace/serviceAccount` of this cluster and nobody else. Left in
   * place, with its data, when the stack is destroyed.
   */
  bucket(request: BucketRequest): ObjectBucket;
}

export interface BucketRequest {
  purpose: string;
  namespace: string;
  serviceAccount: string;
  /** The ServiceAccount also snapshots the cluster's volumes (backups). Default false. */
  volumeSnapshots?: boolean;
}

/** A bucket, and how its ServiceAccount gets the credentials to use it. */
export interface ObjectBucket {
  readonly name: pulumi.Output<string>;
  /** The bucket's region, what S3 clients are configured with. */
  readonly region: string;
  /** Annotations that give the ServiceAccount the bucket's credentials (no static keys). */
  readonly serviceAccountAnnotations: pulumi.Output<Record<string, string>>;
  /** What must exist before a pod uses it (the bucket, its role and policy). */
  readonly ready: pulumi.Resource[];
}

/** A StorageClass persistent volumes are claimed from, and what a claim waits for. */
export interface PersistentStorage {
  storageClassName: string;
  ready: pulumi.Resource[];
}

/**
 * Labels the platform puts on every node of a cluster, whatever runs it. Not in `kubernetes.io`
 * namespaces: the EKS API refuses those on node groups.
 */
export function nodeLabels(spec: ClusterPlan): Record<string, string> {
  return { "platform/cluster": spec.name, "platform/env": spec.labels.env };
}

/**
 * A cluster's Kubernetes provider, which updates a Secret's data in place
 * (`enableSecretMutable`). Without it the provider replaces a Secret whose data changes, and as
 * the name stays, deletes it first (pulumi-kubernetes 4.34, provider/pkg/provider/diff.go,
 * `forceNewProperties`): istiod would drop every cluster a mesh's remote Secret lists, and read
 * them all again, whenever one joins or leaves (docs/mesh.md).
 */
export function clusterProvider(name: string, kubeconfig: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): k8s.Provider {
  return new k8s.Provider(name, { kubeconfig, enableSecretMutable: true }, opts);
}
