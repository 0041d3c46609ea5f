import { Address4 } from "ip-address";
import { parse } from "yaml";
import type { PolicyResource } from "@pulumi/policy";

/** A range of the fleet, with what claims it. */
export interface ClaimedRange {
  cidr: string;
  owner: string;
  urn: string;
}

/**
 * Every address range the stack's resources claim (as outputs, which stack policies see): VPCs,
 * EKS service ranges, kind pod and service subnets (from the kind config each create command
 * carries), MetalLB pools.
 */
export function claimedRanges(resources: readonly PolicyResource[]): ClaimedRange[] {
  return resources.flatMap((r): ClaimedRange[] => {
    const claim = (cidr: unknown, what: string) => (typeof cidr === "string" ? [{ cidr, owner: `${r.name} ${what}`, urn: r.urn }] : []);
    switch (r.type) {
      case "aws:ec2/vpc:Vpc":
        return claim(r.props.cidrBlock, "VPC");
      case "aws:eks/cluster:Cluster":
        return claim(r.props.kubernetesNetworkConfig?.serviceIpv4Cidr, "service range");
      case "kubernetes:metallb.io/v1beta1:IPAddressPool":
        return ((r.props.spec?.addresses ?? []) as unknown[]).flatMap((a) => claim(a, "load-balancer pool"));
      case "command:local:Command": {
        const text = r.props.environment?.KIND_CONFIG;
        if (typeof text !== "string") return [];
        const networking = (parse(text) as { networking?: Record<string, unknown> }).networking ?? {};
        return [...claim(networking.podSubnet, "pod subnet"), ...claim(networking.serviceSubnet, "service subnet")];
      }
      default:
        return [];
    }
  });
}

/** Whether two IPv4 ranges share an address. */
export function overlap(a: string, b: string): boolean {
  const [x, y] = [new Address4(a), new Address4(b)];
  return x.isInSubnet(y) || y.isInSubnet(x);
}
