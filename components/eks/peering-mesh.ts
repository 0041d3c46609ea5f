import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AVAILABILITY_ZONES } from "../../plan";
import type { EksNetwork } from "./network";

export interface VpcPeeringMeshArgs {
  /** The VPCs to connect, every one to every other. */
  networks: EksNetwork[];
}

/**
 * A full mesh of VPC peerings: for each pair a requester in the first VPC's region, an accepter
 * in the second's (cross-region capable), and routes both ways in every private route table.
 * The plan refuses fleets whose mesh exceeds AWS's default quotas.
 */
export class VpcPeeringMesh extends pulumi.ComponentResource {
  /** Peering connection ids by `<a>-<b>` pair name. */
  readonly connections: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: VpcPeeringMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:VpcPeeringMesh", name, {}, opts);
    const { networks } = args;
    networks.forEach((a, i) =>
      networks.slice(i + 1).forEach((b) => {
        const pair = `${name}-${a.name}-${b.name}`;
        const tags = { Name: `${a.name}-${b.name}` };
        const request = new aws.ec2.VpcPeeringConnection(
          pair,
          {
            vpcId: a.vpcId,
            peerVpcId: b.vpcId,
            peerRegion: b.region,
            // Accepted by the accepter below, which also works across regions.
            autoAccept: false,
            tags,
          },
          { parent: this, provider: a.awsProvider },
        );
        const accept = new aws.ec2.VpcPeeringConnectionAccepter(
          `${pair}-accept`,
          { vpcPeeringConnectionId: request.id, autoAccept: true, tags },
          { parent: this, provider: b.awsProvider },
        );
        this.routes(pair, a, b.cidr, accept.vpcPeeringConnectionId);
        this.routes(pair, b, a.cidr, accept.vpcPeeringConnectionId);
        this.connections[`${a.name}-${b.name}`] = accept.vpcPeeringConnectionId;
      }),
    );
    this.registerOutputs({ connections: this.connections });
  }

  /** A route to `destination` through the peering in each private route table of `from`. */
  private routes(pair: string, from: EksNetwork, destination: string, peeringId: pulumi.Output<string>): void {
    for (let zone = 0; zone < AVAILABILITY_ZONES; zone++) {
      new aws.ec2.Route(
        `${pair}-${from.name}-rt${zone}`,
        {
          routeTableId: from.privateRouteTableIds.apply((ids) => ids[zone]),
          destinationCidrBlock: destination,
          vpcPeeringConnectionId: peeringId,
        },
        { parent: this, provider: from.awsProvider },
      );
    }
  }
}
