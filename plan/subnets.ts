import { type Cidr, size, subnets } from "./cidr";

/** Availability zones every EKS VPC spans; each gets one private and one public subnet. */
export const AVAILABILITY_ZONES = 3;
/** AWS keeps five addresses of every subnet (network, router, DNS, reserved, broadcast). */
export const AWS_RESERVED_PER_SUBNET = 5;

/** One availability zone's subnets of a VPC. */
export interface ZoneSubnets {
  /** Position of the zone (0-2) among the VPC's zones. */
  readonly zone: number;
  /** Nodes and, with the VPC CNI, pods; internal load balancers. */
  readonly private: string;
  /** NAT gateways and internet-facing load balancers. */
  readonly public: string;
}

/**
 * The subnets of a VPC of prefix p, owned by the plan and handed to AWS as they are: the VPC is
 * cut in four quarters (/p+2); zones 0-2 take quarters 0-2 as their private subnets; the last
 * quarter is cut in four (/p+4), zones 0-2 take one each as their public subnet, the fourth is
 * kept spare.
 */
export function subnetLayout(vpc: Cidr): ZoneSubnets[] {
  const quarters = [...subnets(vpc, vpc.prefix + 2)];
  const publics = [...subnets(quarters[3], vpc.prefix + 4)];
  return Array.from({ length: AVAILABILITY_ZONES }, (_, zone) => ({
    zone,
    private: quarters[zone].text,
    public: publics[zone].text,
  }));
}

/** Usable addresses of a subnet. */
export function usableAddresses(subnet: Cidr): bigint {
  return size(subnet) - BigInt(AWS_RESERVED_PER_SUBNET);
}
