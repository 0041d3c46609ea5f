import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import type { ClusterProvider, ClusterRole } from "../plan";

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

/** Every stack output, by name. */
export interface FleetOutputs {
  /** By cluster name. */
  clusters: Record<string, ClusterOutput>;
  /** Admin kubeconfigs by cluster name (secret). */
  kubeconfigs: Record<string, string>;
}

/** What a composition returns: the contract, with values still being computed. */
export type StackOutputs = { [K in keyof FleetOutputs]: pulumi.Output<FleetOutputs[K]> };

/** The contract's `clusters` and `kubeconfigs` for a set of running clusters. */
export function fleetOutputs(clusters: readonly Cluster[]): StackOutputs {
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
