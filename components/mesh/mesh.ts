import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshSettings } from "../../plan";
import { type Cluster, ClusterAccess } from "../cluster";
import { MeshCa } from "./ca";
import { ISTIO_NAMESPACE, IstioCluster } from "./istio";
import { ISTIO_READER, remoteSecret } from "./remote-secret";

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
 * an intermediate per cluster, Istio with an east-west gateway in each, and remote secrets for every ordered pair, so every istiod discovers every other cluster.
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
