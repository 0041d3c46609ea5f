import * as aws from "@pulumi/aws";
import { EksNetwork } from "../../components/eks";
import { regionAsn, TransitGatewayMesh } from "../../components/eks/transit-gateway";
import type { EksClusterPlan } from "../../plan";
import { named, ofType, plain, type Recorded, runProgram } from "../support/harness";
import { twoRegionFleet } from "../support/eks-fleet";

// Four VPCs in two regions through Transit Gateways; the VPCs lie in the pool (one summary route).
const plan = twoRegionFleet();
let resources: Recorded[];

beforeAll(async () => {
  ({ resources } = await runProgram({
    stack: "big",
    program: () => {
      const providers = new Map(["us-west-2", "us-east-1"].map((r) => [r, new aws.Provider(`aws-${r}`, { region: r as aws.Region })]));
      const networks = (plan.clusters as EksClusterPlan[]).map(
        (spec) => new EksNetwork(`${spec.name}-network`, { spec, clusterName: `big-${spec.name}`, awsProvider: providers.get(spec.region)!, settings: plan.eks }),
      );
      return new TransitGatewayMesh("vpc", { networks, fleetRanges: plan.eksFleetRanges });
    },
  }));
});

test("a gateway per region, each with its own private ASN, fixed per region, and default route tables", () => {
  const gateways = ofType(resources, "aws:ec2transitgateway/transitGateway:TransitGateway");
  expect(gateways.map((g) => [g.name, g.providers[0]])).toEqual([
    ["vpc-us-east-1", "aws-us-east-1"],
    ["vpc-us-west-2", "aws-us-west-2"],
  ]);
  const asns = gateways.map((g) => plain(g.inputs).amazonSideAsn as number);
  expect(new Set(asns).size).toBe(2);
  for (const asn of asns) expect(asn >= 64512 && asn <= 65534).toBe(true);
  // A region's ASN does not depend on the other regions of the fleet.
  expect(regionAsn("us-east-1")).toBe(asns[0]);
  for (const g of gateways) expect(plain(g.inputs)).toMatchObject({ defaultRouteTableAssociation: "enable", defaultRouteTablePropagation: "enable" });
});

test("an attachment per VPC, in its three private subnets (a gateway ENI in every zone)", () => {
  for (const spec of plan.clusters) {
    const attachment = plain(named(resources, "aws:ec2transitgateway/vpcAttachment:VpcAttachment", `vpc-${spec.name}`).inputs);
    expect(attachment.subnetIds).toEqual([0, 1, 2].map((z) => `${spec.name}-network-private-${z}-id`));
    expect(attachment.transitGatewayId).toBe(`vpc-${spec.region}-id`);
  }
});

test("the regions peer, and remote VPCs are reached by static routes through the peering", () => {
  // Named and requested from the pair in sorted order: the clusters' order changes nothing.
  const peering = named(resources, "aws:ec2transitgateway/peeringAttachment:PeeringAttachment", "vpc-us-east-1-us-west-2");
  expect(plain(peering.inputs)).toMatchObject({ transitGatewayId: "vpc-us-east-1-id", peerTransitGatewayId: "vpc-us-west-2-id", peerRegion: "us-west-2" });
  expect(named(resources, "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter", "vpc-us-east-1-us-west-2-accept").providers).toEqual(["aws-us-west-2"]);
  const statics = ofType(resources, "aws:ec2transitgateway/route:Route").map((r) => [r.name, plain(r.inputs).destinationCidrBlock, r.dependsOn]);
  const cidr = (name: string) => plan.clusters.find((c) => c.name === name)!.podCidr;
  expect(statics).toEqual([
    ["vpc-us-east-1-to-hub", cidr("hub"), ["vpc-us-east-1-us-west-2-accept"]],
    ["vpc-us-east-1-to-w1", cidr("w1"), ["vpc-us-east-1-us-west-2-accept"]],
    ["vpc-us-west-2-to-e1", cidr("e1"), ["vpc-us-east-1-us-west-2-accept"]],
    ["vpc-us-west-2-to-e2", cidr("e2"), ["vpc-us-east-1-us-west-2-accept"]],
  ]);
});

test("one summary route per private route table, through the VPC's own gateway, after its attachment", () => {
  const routes = ofType(resources, "aws:ec2/route:Route").filter((r) => r.inputs.transitGatewayId);
  expect(routes).toHaveLength(4 * 3);
  for (const r of routes) expect(plain(r.inputs).destinationCidrBlock).toBe("10.0.0.0/10");
  expect(named(resources, "aws:ec2/route:Route", "vpc-e2-rt2").dependsOn).toEqual(["vpc-e2"]);
  expect(plain(named(resources, "aws:ec2/route:Route", "vpc-e2-rt2").inputs)).toMatchObject({ routeTableId: "e2-network-private-2-id", transitGatewayId: "vpc-us-east-1-id" });
});
