import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AVAILABILITY_ZONES, EKS_UNSUPPORTED_ZONE_IDS, type EksClusterPlan, type EksSettings, natGatewaysPerVpc } from "../../plan";

export interface EksNetworkArgs {
  /** The planned cluster this VPC is for: its `vpcCidr`, the plan's subnets per zone, name, region. */
  spec: EksClusterPlan;
  /** Name of the EKS cluster, tagged on the subnets for the cloud provider's load balancers. */
  clusterName: string;
  /** The AWS provider of the cluster's region. */
  awsProvider: aws.Provider;
  /** `natGateways`, `zoneIds` and `protect` are read from here. */
  settings: EksSettings;
}

/**
 * A cluster's VPC exactly as the plan lays it out: in three zones chosen by zone ID, a private
 * and a public subnet each with the plan's ranges, a route table per private subnet (out through
 * a NAT gateway) and one for the public subnets (out through the internet gateway). No library
 * computes anything here: what the plan validated is what AWS gets.
 */
export class EksNetwork extends pulumi.ComponentResource {
  readonly name: string;
  readonly region: string;
  readonly cidr: string;
  readonly awsProvider: aws.Provider;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** One per private subnet, in zone order. */
  readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** Public addresses of the NAT gateways: how this VPC's pods appear on the internet. */
  readonly natIps: pulumi.Output<string[]>;
  /**
   * The private subnets' way out to the internet (gateway, NAT gateways, routes and their
   * tables' associations): what nodes need to join their cluster and pull images, and what a
   * teardown still needs (uninstall hooks), so it comes before and outlives them.
   */
  readonly egress: pulumi.Resource[];

  constructor(name: string, args: EksNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:EksNetwork", name, {}, opts);
    const { spec, settings } = args;
    this.name = spec.name;
    this.region = spec.region;
    this.cidr = spec.vpcCidr;
    this.awsProvider = args.awsProvider;
    const child = { parent: this, provider: args.awsProvider };
    const tags = (extra: Record<string, string>) => ({ "platform/cluster": spec.name, ...extra });
    const zoneIds = chooseZones(spec.region, settings, args.awsProvider);
    // Looked-up zones are chosen once: a later lookup that answers otherwise must not replace subnets.
    const keepZones = settings.zoneIds[spec.region] ? {} : { ignoreChanges: ["availabilityZoneId"] };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: spec.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags({ Name: `${name}-vpc` }) },
      { ...child, protect: settings.protect },
    );
    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags({ Name: `${name}-igw` }) }, child);
    const publicTable = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: tags({ Name: `${name}-public`, SubnetType: "Public" }) }, child);
    const publicDefault = new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id },
      child,
    );

    // The cloud provider puts load balancers in subnets tagged for their role and this cluster.
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };
    const subnet = (zone: number, role: "private" | "public") =>
      new aws.ec2.Subnet(
        `${name}-${role}-${zone}`,
        {
          vpcId: vpc.id,
          cidrBlock: spec.subnets[zone][role],
          availabilityZoneId: zoneIds.apply((ids) => ids[zone]),
          mapPublicIpOnLaunch: false,
          tags: tags({
            Name: `${name}-${role}-${zone}`,
            SubnetType: role === "public" ? "Public" : "Private",
            [role === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
            ...clusterTag,
          }),
        },
        { ...child, ...keepZones },
      );
    const zones = Array.from({ length: AVAILABILITY_ZONES }, (_, zone) => zone);
    const publics = zones.map((zone) => subnet(zone, "public"));
    const privates = zones.map((zone) => subnet(zone, "private"));
    publics.forEach((s, zone) =>
      new aws.ec2.RouteTableAssociation(`${name}-public-${zone}`, { subnetId: s.id, routeTableId: publicTable.id }, child),
    );

    const nats = Array.from({ length: natGatewaysPerVpc(settings) }, (_, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tags({ Name: `${name}-nat-${i}` }) }, child);
      const nat = new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publics[i].id, tags: tags({ Name: `${name}-nat-${i}` }) },
        { ...child, dependsOn: [gateway] },
      );
      return { eip, nat };
    });
    const privateDefaults: pulumi.Resource[] = [];
    const privateTables = privates.map((s, zone) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-${zone}`,
        { vpcId: vpc.id, tags: tags({ Name: `${name}-private-${zone}`, SubnetType: "Private" }) },
        child,
      );
      // With one NAT gateway every zone goes out through it; with one per zone, through its own.
      const nat = nats[Math.min(zone, nats.length - 1)].nat;
      privateDefaults.push(
        new aws.ec2.Route(`${name}-private-${zone}-default`, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, child),
        new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: s.id, routeTableId: table.id }, child),
      );
      return table;
    });

    this.vpcId = vpc.id;
    this.privateSubnetIds = pulumi.all(privates.map((s) => s.id));
    this.publicSubnetIds = pulumi.all(publics.map((s) => s.id));
    this.privateRouteTableIds = pulumi.all(privateTables.map((t) => t.id));
    this.natIps = pulumi.all(nats.map(({ eip }) => eip.publicIp));
    this.egress = [gateway, publicDefault, ...nats.map(({ nat }) => nat), ...privateDefaults];
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
 * The region's zones by ID (names differ between accounts): the configured ones, or the first
 * available ones that EKS accepts and need no opt-in.
 */
function chooseZones(region: string, settings: EksSettings, provider: aws.Provider): pulumi.Output<string[]> {
  const chosen = settings.zoneIds[region];
  if (chosen) return pulumi.output(chosen);
  return aws
    .getAvailabilityZonesOutput(
      {
        state: "available",
        excludeZoneIds: EKS_UNSUPPORTED_ZONE_IDS,
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      },
      { provider },
    )
    .zoneIds.apply((ids) => {
      const sorted = [...ids].sort();
      if (sorted.length < AVAILABILITY_ZONES) {
        throw new Error(
          `${region} has ${sorted.length} available zones that EKS accepts, ${AVAILABILITY_ZONES} are needed: set eks.zoneIds.${region}`,
        );
      }
      return sorted.slice(0, AVAILABILITY_ZONES);
    });
}
