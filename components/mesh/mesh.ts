import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshSettings } from "../../plan";
import { type Cluster, ClusterAccess, remoteKubeconfig } from "../cluster";
import { MeshCa } from "./ca";
import { ISTIO_NAMESPACE, IstioCluster } from "./istio";
import { ISTIO_READER, remoteSecrets, retirePairSecrets } from "./remote-secret";

export interface MeshArgs {
  /** The workload clusters that form the mesh (each a primary); each says how its gateway is reached. */
  clusters: Cluster[];
  settings: MeshSettings;
  /** What every istiod's `meshConfig` adds (the fleet's tracing provider). Default nothing. */
  meshConfig?: Record<string, unknown>;
}

/** Per cluster, what other teams need to know about its place in the mesh. */
export interface MeshClusterInfo {
  network: string;
  eastWestGatewayAddress: string;
  ingressGatewayAddress: string;
}

/**
 * An Istio multi-primary, multi-network mesh over the workload clusters: a shared root CA with
 * an intermediate per cluster, Istio with an east-west gateway in each, and in each a Secret
 * listing every other cluster, so every istiod discovers them all.
 */
export class Mesh extends pulumi.ComponentResource {
  readonly rootCertPem: pulumi.Output<string>;
  readonly clusters: pulumi.Output<Record<string, MeshClusterInfo>>;
  readonly istio: Record<string, IstioCluster> = {};

  constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Mesh", name, {}, opts);
    const { clusters, settings } = args;
    const ca = new MeshCa(`${name}-ca`, { clusters: clusters.map((c) => c.name) }, { parent: this });
    this.rootCertPem = ca.rootCertPem;

    for (const cluster of clusters) {
      this.istio[cluster.name] = new IstioCluster(
        `${name}-${cluster.name}`,
        { cluster, mesh: settings, ca: ca.intermediates[cluster.name], rootCertPem: ca.rootCertPem, meshConfig: args.meshConfig },
        { parent: this },
      );
    }

    // One kubeconfig per cluster, shared by the Secrets of all the others.
    const kubeconfigs = Object.fromEntries(
      clusters.map((remote) => {
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
        return [remote.name, remoteKubeconfig(remote.name, reader.credentials)];
      }),
    );
    for (const local of clusters) {
      const namespace = this.istio[local.name].namespace;
      const retired = retirePairSecrets(`${name}-${local.name}-retire-pair-secrets`, local, { parent: this, dependsOn: [namespace] });
      // A cluster joining or leaving changes a key of each other cluster's Secret, in place (empty
      // while the mesh has one cluster).
      new k8s.core.v1.Secret(
        `${name}-${local.name}-remotes`,
        remoteSecrets(Object.fromEntries(Object.entries(kubeconfigs).filter(([remote]) => remote !== local.name))),
        { parent: this, provider: local.provider, dependsOn: [namespace, retired] },
      );
    }

    this.clusters = pulumi
      .all(clusters.map((c) => pulumi.all([this.istio[c.name].eastWestGatewayAddress, this.istio[c.name].ingressGatewayAddress])))
      .apply((addresses) =>
        Object.fromEntries(
          clusters.map((c, i) => [
            c.name,
            { network: c.spec.network, eastWestGatewayAddress: addresses[i][0], ingressGatewayAddress: addresses[i][1] },
          ]),
        ),
      );
    this.registerOutputs({ rootCertPem: this.rootCertPem, clusters: this.clusters });
  }
}
