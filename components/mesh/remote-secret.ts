import * as command from "@pulumi/command";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type Cluster, KUBECTL_FROM_ENV, remoteClusterSecret } from "../cluster";
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

// Releases before this one gave istiod a Secret per remote, `istio-remote-secret-<remote>`.
// istiod keeps a cluster ID with the first Secret that named it, skips it in any later one, and
// never looks again when that first Secret goes (Istio 1.30.3 secretcontroller.go,
// `addRemoteConfig` and `deleteRemoteConfig`); Pulumi would create the new Secret first and delete the old ones last, leaving
// istiod without its remotes. So they go first, here, and the new Secret is read afresh: istiod
// drops the remote clusters for the moment between the two. Nothing to delete on a new fleet.
const RETIRE_PAIR_SECRETS = `${KUBECTL_FROM_ENV}
for secret in $(k get secrets -n "$NAMESPACE" -l istio/multiCluster=true -o name); do
  case "$secret" in
    secret/istio-remote-secret-*) k delete "$secret" -n "$NAMESPACE" --ignore-not-found >/dev/null ;;
  esac
done`;

/**
 * Runs once, when created: deletes a cluster's one-per-remote Secrets of earlier releases
 * (never {@link REMOTE_SECRETS}). Nothing forces a replacement, and it does nothing on destroy.
 */
export function retirePairSecrets(name: string, cluster: Cluster, opts: pulumi.CustomResourceOptions): command.local.Command {
  return new command.local.Command(
    name,
    {
      create: RETIRE_PAIR_SECRETS,
      interpreter: ["/bin/bash", "-c"],
      environment: { KUBECONFIG_DATA: pulumi.secret(cluster.kubeconfig), NAMESPACE: ISTIO_NAMESPACE },
      addPreviousOutputInEnv: false,
    },
    opts,
  );
}
