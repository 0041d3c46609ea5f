import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Another VPC of the fleet whose pods call this cluster's API. */
export interface EksPeer {
  name: string;
  /** Its VPC range, admitted on 443 by the cluster security group. */
  cidr: string;
  /**
   * On the same mesh network as this cluster: Istio then sends its pods' traffic straight to this
   * cluster's pods, so the whole VPC range is admitted, not only the API port. Default false.
   */
  sharesNetwork?: boolean;
}

/**
 * Karmada, Argo CD and istiod in the peers call this cluster's API over the peered network; on a
 * shared mesh network the peers' pods call this cluster's pods directly (managed nodes carry the
 * cluster security group).
 */
export function admitPeers(
  name: string,
  securityGroupId: pulumi.Input<string>,
  peers: readonly EksPeer[],
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
  /** Ranges admitted on 443 in place of each peer's VPC (the fleet's summary range), if given. */
  apiRanges?: readonly string[],
): void {
  apiRanges?.forEach((cidr, i) =>
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-fleet-${i}`,
      { securityGroupId, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "Kubernetes API from the fleet's VPCs", tags },
      opts,
    ),
  );
  for (const peer of apiRanges ? peers.filter((p) => p.sharesNetwork) : peers) {
    const rule = peer.sharesNetwork
      ? { ipProtocol: "-1", description: `Everything from the ${peer.name} VPC, on this cluster's mesh network` }
      : { ipProtocol: "tcp", fromPort: 443, toPort: 443, description: `Kubernetes API from the ${peer.name} VPC` };
    new aws.vpc.SecurityGroupIngressRule(`${name}-${peer.name}`, { securityGroupId, cidrIpv4: peer.cidr, tags, ...rule }, opts);
  }
}
