import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshSettings } from "../plan";
import type { Cluster } from "./cluster";
import { AccessCredentials, ClusterAccess } from "./cluster-access";
import type { Exposure } from "./exposure";
import { ISTIO_NAMESPACE, IstioCluster } from "./istio-cluster";
import { buildKubeconfig } from "./kubeconfig";
import { MeshCa } from "./mesh-ca";
import { MetalLb } from "./metallb";

export interface MeshArgs {
  /** The workload clusters that form the mesh (each a primary). */
  clusters: Cluster[];
  settings: MeshSettings;
  /** How east-west gateways are reached: MetalLB on kind (`nodePort` stacks) or internal NLBs. */
  exposure: Exposure;
}

/** Per cluster, what other teams need to know about its place in the mesh. */
export interface MeshClusterInfo {
  network: string;
  eastWestGatewayAddress: string;
}

/** The ServiceAccount Istio's base chart creates for remote istiods to read a cluster with. */
export const ISTIO_READER = "istio-reader-service-account";

/**
 * An Istio multi-primary, multi-network mesh over the workload clusters: a shared root CA with
 * an intermediate per cluster, Istio with an east-west gateway in each (on kind behind MetalLB),
 * and remote secrets for every ordered pair, so every istiod discovers every other cluster.
 */
export class Mesh extends pulumi.ComponentResource {
  readonly rootCertPem: pulumi.Output<string>;
  readonly clusters: pulumi.Output<Record<string, MeshClusterInfo>>;
  readonly istio: Record<string, IstioCluster> = {};

  constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Mesh", name, {}, opts);
    const { clusters, settings, exposure } = args;
    const ca = new MeshCa(`${name}-ca`, { clusters: clusters.map((c) => c.name) }, { parent: this });
    this.rootCertPem = ca.rootCertPem;

    for (const cluster of clusters) {
      const metalLb =
        cluster.spec.provider === "kind" ? new MetalLb(`${name}-${cluster.name}-metallb`, { cluster }, { parent: this }) : undefined;
      this.istio[cluster.name] = new IstioCluster(
        `${name}-${cluster.name}`,
        {
          cluster,
          mesh: settings,
          ca: ca.intermediates[cluster.name],
          rootCertPem: ca.rootCertPem,
          exposure,
          loadBalancerReady: metalLb?.ready,
        },
        { parent: this },
      );
    }

    for (const remote of clusters) {
      // Read-only: istiod's reader role, bound by the istiod chart, never cluster-admin.
      const reader = new ClusterAccess(
        `${name}-${remote.name}-reader`,
        {
          cluster: remote,
          namespace: ISTIO_NAMESPACE,
          serviceAccountName: ISTIO_READER,
          createServiceAccount: false,
          dependsOn: [this.istio[remote.name].base, this.istio[remote.name].istiod],
        },
        { parent: this },
      );
      for (const local of clusters.filter((c) => c !== remote)) {
        new k8s.core.v1.Secret(`${name}-${local.name}-remote-${remote.name}`, remoteSecret(remote.name, reader.credentials), {
          parent: this,
          provider: local.provider,
          dependsOn: [this.istio[local.name].namespace],
        });
      }
    }

    this.clusters = pulumi
      .all(clusters.map((c) => this.istio[c.name].eastWestGatewayAddress))
      .apply((addresses) =>
        Object.fromEntries(
          clusters.map((c, i) => [c.name, { network: c.spec.network, eastWestGatewayAddress: addresses[i] }]),
        ),
      );
    this.registerOutputs({ rootCertPem: this.rootCertPem, clusters: this.clusters });
  }
}

/**
 * What `istioctl create-remote-secret` produces: a Secret istiod picks up by its label, holding
 * under the remote's cluster ID a kubeconfig for the remote's API with the reader's token.
 */
export function remoteSecret(remote: string, credentials: pulumi.Output<AccessCredentials>): k8s.core.v1.SecretArgs {
  return {
    metadata: {
      name: `istio-remote-secret-${remote}`,
      namespace: ISTIO_NAMESPACE,
      labels: { "istio/multiCluster": "true" },
      annotations: { "networking.istio.io/cluster": remote },
    },
    stringData: {
      [remote]: credentials.apply((c) =>
        buildKubeconfig({ name: remote, server: c.server, caData: c.caData, user: { token: c.token } }),
      ),
    },
  };
}
