import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { remoteClusterSecret } from "../cluster";
import { ISTIO_NAMESPACE } from "./names";

/** The ServiceAccount Istio's base chart creates for remote istiods to read a cluster with. */
export const ISTIO_READER = "istio-reader-service-account";

/** The one Secret in each cluster that lists its remote clusters. */
export const REMOTE_SECRETS = "istio-remote-secrets";

/**
 * The Secret a cluster's istiod discovers every other cluster from, keyed by their cluster IDs:
 * under each, a kubeconfig for that cluster's API with its reader's token. istiod reads every
 * key of a Secret labelled `istio/multiCluster: "true"` in its namespace as a cluster of its own,
 * whatever the Secret's name, and adds or removes one cluster when its key comes or goes (Istio
 * 1.30.3, pkg/kube/multicluster/secretcontroller.go, `addRemoteConfig`). So one Secret per
 * cluster, not `istioctl create-remote-secret`'s one per remote, whose
 * `networking.istio.io/cluster` annotation names that one remote and istiod never reads.
 */
export function remoteSecrets(kubeconfigs: Record<string, pulumi.Output<string>>): k8s.core.v1.SecretArgs {
  return remoteClusterSecret({ name: REMOTE_SECRETS, namespace: ISTIO_NAMESPACE, labels: { "istio/multiCluster": "true" } }, kubeconfigs);
}
