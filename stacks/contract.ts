import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import type { ManagementPlane } from "../components/management-plane";
import type { Mesh } from "../components/mesh";
import type { ClusterProvider, ClusterRole, MeshSettings } from "../plan";

/**
 * The stack outputs other programs read through a StackReference. Keys are only ever added,
 * never renamed or removed. Import these types: `import type { FleetOutputs } from ".../stacks/contract"`.
 */

/** One cluster of the fleet, as other teams see it. */
export interface ClusterOutput {
  name: string;
  role: ClusterRole;
  provider: ClusterProvider;
  region: string;
  /** Mesh network name. */
  network: string;
  /** Placement labels: the user's plus `cluster`, `region`, `env`. */
  labels: Record<string, string>;
  podCidr: string;
  serviceCidr: string;
  /** EKS only. */
  vpcCidr?: string;
  /** kind only: the load-balancer address pool. */
  lbCidr?: string;
  /** API URL from the host that ran Pulumi. */
  endpoint: string;
  /** API URL from pods of the other clusters. */
  internalEndpoint: string;
}

/** Every stack output, by name. An output holding a secret field is secret as a whole. */
export interface FleetOutputs {
  /** By cluster name. */
  clusters: Record<string, ClusterOutput>;
  /** Admin kubeconfigs by cluster name (secret). */
  kubeconfigs: Record<string, string>;
  /** The Karmada API (secret: holds its admin kubeconfig). */
  karmada: { endpoint: string; kubeconfig: string };
  /** Argo CD (secret: holds the `admin` password). */
  argocd: { url: string; adminPassword: string };
  /** Grafana on the management cluster (secret: holds the `admin` password). */
  grafana: { url: string; adminPassword: string };
  /** Where workload clusters' Prometheus agents remote-write. */
  prometheus: { remoteWriteUrl: string };
  /** The Istio mesh of the workload clusters; the root CA's certificate only (public). */
  mesh: {
    meshID: string;
    mode: "sidecar" | "ambient";
    clusters: Record<string, { network: string; eastWestGatewayAddress: string }>;
    rootCert: string;
  };
}

/** What a composition returns: the contract, with values still being computed. */
export type StackOutputs = { [K in keyof FleetOutputs]: pulumi.Output<FleetOutputs[K]> };

/** The contract's management-plane outputs. */
export function managementOutputs(plane: ManagementPlane): Pick<StackOutputs, "karmada" | "argocd" | "grafana" | "prometheus"> {
  const { karmada, argocd, monitoring } = plane;
  return {
    karmada: pulumi.secret(
      pulumi.all([karmada.endpoint, karmada.kubeconfig]).apply(([endpoint, kubeconfig]) => ({ endpoint, kubeconfig })),
    ),
    argocd: pulumi.secret(pulumi.all([argocd.url, argocd.adminPassword]).apply(([url, adminPassword]) => ({ url, adminPassword }))),
    grafana: pulumi.secret(
      pulumi.all([monitoring.grafanaUrl, monitoring.grafanaAdminPassword]).apply(([url, adminPassword]) => ({ url, adminPassword })),
    ),
    prometheus: monitoring.remoteWriteUrl.apply((remoteWriteUrl) => ({ remoteWriteUrl })),
  };
}

/** The contract's `mesh` output. */
export function meshOutputs(mesh: Mesh, settings: MeshSettings): Pick<StackOutputs, "mesh"> {
  return {
    mesh: pulumi
      .all([mesh.clusters, mesh.rootCertPem])
      .apply(([clusters, rootCert]) => ({ meshID: settings.meshId, mode: settings.mode, clusters, rootCert })),
  };
}

/** The contract's `clusters` and `kubeconfigs` for a set of running clusters. */
export function fleetOutputs(clusters: readonly Cluster[]): Pick<StackOutputs, "clusters" | "kubeconfigs"> {
  const byName = <T>(pick: (c: Cluster) => pulumi.Input<T>): pulumi.Output<Record<string, T>> =>
    pulumi
      .all(clusters.map((c) => pulumi.output(pick(c))))
      .apply((values) => Object.fromEntries(clusters.map((c, i) => [c.name, values[i] as T])));

  return {
    clusters: byName((c) =>
      pulumi.all([c.endpoint, c.internalEndpoint]).apply(([endpoint, internalEndpoint]): ClusterOutput => {
        const s = c.spec;
        return {
          name: s.name,
          role: s.role,
          provider: s.provider,
          region: s.region,
          network: s.network,
          labels: { ...s.labels },
          podCidr: s.podCidr,
          serviceCidr: s.serviceCidr,
          ...(s.provider === "eks" ? { vpcCidr: s.vpcCidr } : { lbCidr: s.lbCidr }),
          endpoint,
          internalEndpoint,
        };
      }),
    ),
    kubeconfigs: pulumi.secret(byName((c) => c.kubeconfig)),
  };
}
