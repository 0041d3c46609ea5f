import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Another VPC of the fleet whose pods call this cluster's API. */
export interface EksPeer {
  name: string;
  /** Its VPC range, admitted whole by the cluster security group when it shares the mesh network. */
  cidr: string;
  /** Its NAT gateways' public addresses, admitted to the public endpoint with `eks.admitPeersPublicly`. */
  natIps?: pulumi.Input<string[]>;
  /**
   * On the same mesh network as this cluster: Istio then sends its pods' traffic straight to this
   * cluster's pods, so the whole VPC range is admitted, not only the API port. Default false.
   */
  sharesNetwork?: boolean;
}

/**
 * Karmada, Argo CD and istiod in the peers call this cluster's API over the private network: a
 * rule per range of the fleet, however many peers; on a shared mesh network the peers' pods call
 * this cluster's pods directly (managed nodes carry the cluster security group).
 */
export function admitPeers(
  name: string,
  securityGroupId: pulumi.Input<string>,
  peers: readonly EksPeer[],
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
  /** The fleet's VPC ranges: its pool, and each VPC outside it. */
  fleetRanges: readonly string[],
): void {
  fleetRanges.forEach((cidr, i) =>
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-fleet-${i}`,
      { securityGroupId, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "Kubernetes API from the fleet's VPCs", tags },
      opts,
    ),
  );
  for (const peer of peers.filter((p) => p.sharesNetwork)) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-${peer.name}`,
      { securityGroupId, cidrIpv4: peer.cidr, tags, ipProtocol: "-1", description: `Everything from the ${peer.name} VPC, on this cluster's mesh network` },
      opts,
    );
  }
}
