import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type AccessCredentials, remoteClusterSecret } from "../cluster";
import { ISTIO_NAMESPACE } from "./names";

/** The ServiceAccount Istio's base chart creates for remote istiods to read a cluster with. */
export const ISTIO_READER = "istio-reader-service-account";

/**
 * What `istioctl create-remote-secret` produces: a Secret istiod picks up by its label, holding
 * under the remote's cluster ID a kubeconfig for the remote's API with the reader's token.
 */
export function remoteSecret(remote: string, credentials: pulumi.Output<AccessCredentials>): k8s.core.v1.SecretArgs {
  return remoteClusterSecret(
    {
      name: `istio-remote-secret-${remote}`,
      namespace: ISTIO_NAMESPACE,
      remote,
      labels: { "istio/multiCluster": "true" },
      annotations: { "networking.istio.io/cluster": remote },
    },
    credentials,
  );
}
