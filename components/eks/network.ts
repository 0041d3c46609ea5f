import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { EksClusterPlan, EksSettings } from "../../plan";

/** Availability zones per VPC; every zone gets a private and a public subnet. */
export const AVAILABILITY_ZONES = 3;

export interface EksNetworkArgs {
  /** The planned cluster this VPC is for (its `vpcCidr`, name, region). */
  spec: EksClusterPlan;
  /** The AWS provider of the cluster's region. */
  awsProvider: aws.Provider;
  /** `natGateways` and `protect` are read from here. */
  settings: EksSettings;
}

/**
 * A cluster's VPC from the network plan: private and public subnets in three zones, tagged for
 * internal and internet-facing load balancers, with NAT gateways as configured.
 */
export class EksNetwork extends pulumi.ComponentResource {
  readonly name: string;
  readonly region: string;
  readonly cidr: string;
  readonly awsProvider: aws.Provider;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** One per private subnet, so `AVAILABILITY_ZONES` of them. */
  readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** Public addresses of the NAT gateways: how this VPC's pods appear on the internet. */
  readonly natIps: pulumi.Output<string[]>;

  constructor(name: string, args: EksNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:EksNetwork", name, {}, opts);
    const { spec, settings } = args;
    this.name = spec.name;
    this.region = spec.region;
    this.cidr = spec.vpcCidr;
    this.awsProvider = args.awsProvider;
    const masks = subnetMasks(spec.vpcCidr);

    const vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: spec.vpcCidr,
        numberOfAvailabilityZones: AVAILABILITY_ZONES,
        natGateways: { strategy: settings.natGateways },
        subnetStrategy: "Auto",
        subnetSpecs: [
          { type: "Private", cidrMask: masks.private, tags: { "kubernetes.io/role/internal-elb": "1" } },
          { type: "Public", cidrMask: masks.public, tags: { "kubernetes.io/role/elb": "1" } },
        ],
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: `${name}-vpc` },
      },
      { parent: this, providers: { aws: args.awsProvider }, protect: settings.protect },
    );

    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.privateRouteTableIds = vpc.routeTables.apply((tables) =>
      pulumi
        .all(tables.map((t) => pulumi.all([t.id, t.tags])))
        .apply((pairs) => pairs.filter(([, tags]) => tags?.SubnetType === "Private").map(([id]) => id)),
    );
    this.natIps = vpc.eips.apply((eips) => pulumi.all(eips.map((e) => e.publicIp)));
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      privateRouteTableIds: this.privateRouteTableIds,
      natIps: this.natIps,
    });
  }
}

/**
 * Subnet prefix lengths: each zone's private subnet is a quarter of the VPC (nodes and, with
 * the VPC CNI, pods live there), its public subnet a sixteenth (load balancers, NAT gateways).
 */
export function subnetMasks(vpcCidr: string): { private: number; public: number } {
  const prefix = Number(vpcCidr.split("/")[1]);
  return { private: prefix + 2, public: prefix + 4 };
}
