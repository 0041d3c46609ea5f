import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AVAILABILITY_ZONES } from "../../plan";
import { AWS_REGIONS } from "../../plan/regions";
import type { EksNetwork } from "./network";

export interface TransitGatewayMeshArgs {
  /** The VPCs to connect, in any number of regions. */
  networks: EksNetwork[];
  /**
   * The ranges every private route table sends to its transit gateway: the VPC pool when it holds
   * every VPC (one route per table, however many clusters), else each VPC's range.
   */
  fleetRanges: readonly string[];
}

/**
 * A region's gateway ASN: distinct for peered gateways, and fixed per region (its place in the
 * list of regions), so that adding or removing a region never renumbers the others.
 */
export function regionAsn(region: string): number {
  return 64512 + AWS_REGIONS.indexOf(region);
}

/**
 * Transit Gateway connectivity for large fleets: a gateway per region (VPC ranges propagate in its
 * default route table), an attachment per VPC in its private subnets (one per zone), a peering
 * between every two regions' gateways, a static route per remote VPC through the peering (peerings
 * propagate nothing), and in every private route table a route to the fleet's ranges through the
 * gateway. Resources grow linearly with the clusters for a fixed number of regions.
 */
export class TransitGatewayMesh extends pulumi.ComponentResource {
  /** Gateway ids by region. */
  readonly gateways: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: TransitGatewayMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:TransitGatewayMesh", name, {}, opts);
    // Sorted: a pair's name and its requester side never depend on which cluster came first.
    const regions = [...new Set(args.networks.map((n) => n.region))].sort();
    const providerOf = (region: string) => args.networks.find((n) => n.region === region)!.awsProvider;

    const gateways = new Map(
      regions.map((region) => [
        region,
        new aws.ec2transitgateway.TransitGateway(
          `${name}-${region}`,
          {
            description: `platform fleet, ${region}`,
            amazonSideAsn: regionAsn(region),
            defaultRouteTableAssociation: "enable",
            defaultRouteTablePropagation: "enable",
            dnsSupport: "enable",
            tags: { Name: `${name}-${region}` },
          },
          { parent: this, provider: providerOf(region) },
        ),
      ]),
    );
    for (const [region, gateway] of gateways) this.gateways[region] = gateway.id;

    const attachments = new Map(
      args.networks.map((network) => [
        network.name,
        new aws.ec2transitgateway.VpcAttachment(
          `${name}-${network.name}`,
          {
            transitGatewayId: gateways.get(network.region)!.id,
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            dnsSupport: "enable",
            tags: { Name: `${name}-${network.name}` },
          },
          { parent: this, provider: network.awsProvider },
        ),
      ]),
    );

    // Every two regions peer; remote VPCs are reached through the peering by static routes.
    regions.forEach((a, i) =>
      regions.slice(i + 1).forEach((b) => {
        const peering = new aws.ec2transitgateway.PeeringAttachment(
          `${name}-${a}-${b}`,
          {
            transitGatewayId: gateways.get(a)!.id,
            peerTransitGatewayId: gateways.get(b)!.id,
            peerRegion: b,
            tags: { Name: `${name}-${a}-${b}` },
          },
          { parent: this, provider: providerOf(a) },
        );
        const accepted = new aws.ec2transitgateway.PeeringAttachmentAccepter(
          `${name}-${a}-${b}-accept`,
          { transitGatewayAttachmentId: peering.id, tags: { Name: `${name}-${a}-${b}` } },
          { parent: this, provider: providerOf(b) },
        );
        for (const [here, there] of [[a, b], [b, a]]) {
          for (const remote of args.networks.filter((n) => n.region === there)) {
            new aws.ec2transitgateway.Route(
              `${name}-${here}-to-${remote.name}`,
              {
                transitGatewayRouteTableId: gateways.get(here)!.associationDefaultRouteTableId,
                destinationCidrBlock: remote.cidr,
                transitGatewayAttachmentId: peering.id,
              },
              // One route per prefix and table: a replacement must go before its successor comes.
              { parent: this, provider: providerOf(here), dependsOn: [accepted], deleteBeforeReplace: true },
            );
          }
        }
      }),
    );

    for (const network of args.networks) {
      const destinations = args.fleetRanges.length === 1 ? args.fleetRanges : args.networks.filter((n) => n !== network).map((n) => n.cidr);
      for (let zone = 0; zone < AVAILABILITY_ZONES; zone++) {
        for (const destination of destinations) {
          // Named after the destination, never its position: removing a VPC moves no other route.
          new aws.ec2.Route(
            `${name}-${network.name}-rt${zone}${destinations.length === 1 ? "" : `-${destination.replace(/[./]/g, "-")}`}`,
            {
              routeTableId: network.privateRouteTableIds.apply((ids) => ids[zone]),
              destinationCidrBlock: destination,
              transitGatewayId: gateways.get(network.region)!.id,
            },
            { parent: this, provider: network.awsProvider, dependsOn: [attachments.get(network.name)!] },
          );
        }
      }
    }
    this.registerOutputs({ gateways: this.gateways });
  }
}
