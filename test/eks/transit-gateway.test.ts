import * as aws from "@pulumi/aws";
import { EksNetwork } from "../../components/eks";
import { TransitGatewayMesh } from "../../components/eks/transit-gateway";
import { type EksClusterPlan, planFleet } from "../../plan";
import { named, ofType, plain, type Recorded, runProgram } from "../support/harness";

// Four VPCs in two regions through Transit Gateways; the VPCs lie in the pool (one summary route).
const plan = planFleet({
  environment: "big",
  eks: { publicAccessCidrs: ["203.0.113.0/24"], connectivity: "transitGateway" },
  clusters: [
    { name: "hub", role: "management", provider: "eks", region: "us-west-2" },
    { name: "w1", role: "workload", provider: "eks", region: "us-west-2" },
    { name: "e1", role: "workload", provider: "eks", region: "us-east-1" },
    { name: "e2", role: "workload", provider: "eks", region: "us-east-1" },
  ],
});
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

test("a gateway per region, each with its own ASN and default route tables", () => {
  const gateways = ofType(resources, "aws:ec2transitgateway/transitGateway:TransitGateway");
  expect(gateways.map((g) => [g.name, plain(g.inputs).amazonSideAsn, g.providers[0]])).toEqual([
    ["vpc-us-west-2", 64512, "aws-us-west-2"],
    ["vpc-us-east-1", 64513, "aws-us-east-1"],
  ]);
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
  const peering = named(resources, "aws:ec2transitgateway/peeringAttachment:PeeringAttachment", "vpc-us-west-2-us-east-1");
  expect(plain(peering.inputs)).toMatchObject({ transitGatewayId: "vpc-us-west-2-id", peerTransitGatewayId: "vpc-us-east-1-id", peerRegion: "us-east-1" });
  expect(named(resources, "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter", "vpc-us-west-2-us-east-1-accept").providers).toEqual(["aws-us-east-1"]);
  const statics = ofType(resources, "aws:ec2transitgateway/route:Route").map((r) => [r.name, plain(r.inputs).destinationCidrBlock, r.dependsOn]);
  const cidr = (name: string) => plan.clusters.find((c) => c.name === name)!.podCidr;
  expect(statics).toEqual([
    ["vpc-us-west-2-to-e1", cidr("e1"), ["vpc-us-west-2-us-east-1-accept"]],
    ["vpc-us-west-2-to-e2", cidr("e2"), ["vpc-us-west-2-us-east-1-accept"]],
    ["vpc-us-east-1-to-hub", cidr("hub"), ["vpc-us-west-2-us-east-1-accept"]],
    ["vpc-us-east-1-to-w1", cidr("w1"), ["vpc-us-west-2-us-east-1-accept"]],
  ]);
});

test("one summary route per private route table, through the VPC's own gateway, after its attachment", () => {
  const routes = ofType(resources, "aws:ec2/route:Route").filter((r) => r.inputs.transitGatewayId);
  expect(routes).toHaveLength(4 * 3);
  for (const r of routes) expect(plain(r.inputs).destinationCidrBlock).toBe("10.0.0.0/10");
  expect(named(resources, "aws:ec2/route:Route", "vpc-e2-rt2").dependsOn).toEqual(["vpc-e2"]);
  expect(plain(named(resources, "aws:ec2/route:Route", "vpc-e2-rt2").inputs)).toMatchObject({ routeTableId: "e2-network-private-2-id", transitGatewayId: "vpc-us-east-1-id" });
});
