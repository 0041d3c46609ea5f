import * as aws from "@pulumi/aws";
import { EksNetwork } from "../../components/eks";
import { type EksClusterPlan, planFleet } from "../../plan";
import { named, ofType, plain, type Recorded, runProgram, valueOf } from "../support/harness";

const plan = (eks: Record<string, unknown>) =>
  planFleet({
    environment: "stage",
    eks: { publicAccessCidrs: ["192.0.2.0/28"], ...eks },
    clusters: [{ name: "hub", role: "management", provider: "eks", region: "us-east-1", slot: 3 }],
  });

async function evaluate(eks: Record<string, unknown>) {
  const fleet = plan(eks);
  const spec = fleet.clusters[0] as EksClusterPlan;
  const run = await runProgram({
    stack: "stage",
    program: () =>
      new EksNetwork("hub-net", { spec, clusterName: "stage-hub", awsProvider: new aws.Provider("aws", { region: "us-east-1" }), settings: fleet.eks }),
  });
  return { ...run, spec };
}

describe("a VPC with the plan's subnets, zones chosen by ID, one NAT gateway", () => {
  let resources: Recorded[];
  let spec: EksClusterPlan;
  let network: EksNetwork;
  let invokes: { token: string; inputs: Record<string, unknown> }[];
  beforeAll(async () => {
    ({ resources, spec, result: network, invokes } = await evaluate({}));
  });

  test("the VPC has the plan's range and is protected", () => {
    const vpc = named(resources, "aws:ec2/vpc:Vpc", "hub-net-vpc");
    expect(spec.vpcCidr).toBe("10.3.0.0/16");
    expect(plain(vpc.inputs)).toMatchObject({ cidrBlock: "10.3.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    expect(vpc.protect).toBe(true);
    expect(vpc.providers).toEqual(["aws"]);
  });

  test("zones are the first three available by ID, EKS's refused ones and opt-in zones left out", () => {
    const lookup = invokes.find((i) => i.token === "aws:index/getAvailabilityZones:getAvailabilityZones")!;
    expect(lookup.inputs).toEqual({
      state: "available",
      excludeZoneIds: ["use1-az3", "usw1-az2", "cac1-az3"],
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    // The mock lists fake-az4 first: the choice is by sorted ID, not by listing order.
    const subnets = ofType(resources, "aws:ec2/subnet:Subnet").map((s) => plain(s.inputs));
    expect(subnets.map((s) => [s.cidrBlock, s.availabilityZoneId])).toEqual([
      ["10.3.192.0/20", "fake-az1"],
      ["10.3.208.0/20", "fake-az2"],
      ["10.3.224.0/20", "fake-az3"],
      ["10.3.0.0/18", "fake-az1"],
      ["10.3.64.0/18", "fake-az2"],
      ["10.3.128.0/18", "fake-az3"],
    ]);
    expect(subnets.map((s) => s.cidrBlock).sort()).toEqual(spec.subnets.flatMap((z) => [z.private, z.public]).sort());
  });

  test("subnets are tagged for the cloud provider's load balancers and the cluster", () => {
    const tags = (n: string) => plain(named(resources, "aws:ec2/subnet:Subnet", n).inputs).tags;
    expect(tags("hub-net-public-0")).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/stage-hub": "shared" });
    expect(tags("hub-net-private-2")).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/stage-hub": "shared" });
    expect(tags("hub-net-private-2")).not.toHaveProperty("kubernetes.io/role/elb");
  });

  test("public subnets route out through the internet gateway, private ones through the one NAT gateway", () => {
    const routes = ofType(resources, "aws:ec2/route:Route").map((r) => [r.name, plain(r.inputs)] as const);
    expect(routes).toEqual([
      ["hub-net-public-default", { routeTableId: "hub-net-public-id", destinationCidrBlock: "0.0.0.0/0", gatewayId: "hub-net-igw-id" }],
      ...[0, 1, 2].map((z) => [`hub-net-private-${z}-default`, { routeTableId: `hub-net-private-${z}-id`, destinationCidrBlock: "0.0.0.0/0", natGatewayId: "hub-net-nat-0-id" }] as const),
    ]);
    const nat = named(resources, "aws:ec2/natGateway:NatGateway", "hub-net-nat-0");
    expect(plain(nat.inputs)).toMatchObject({ allocationId: "hub-net-nat-0-id", subnetId: "hub-net-public-0-id" });
    expect(nat.dependsOn).toEqual(["hub-net-igw"]);
    const associations = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => plain(a.inputs));
    expect(associations).toHaveLength(6);
  });

  test("outputs: subnets and private route tables in zone order", async () => {
    expect(await valueOf(network.privateSubnetIds)).toEqual([0, 1, 2].map((z) => `hub-net-private-${z}-id`));
    expect(await valueOf(network.privateRouteTableIds)).toEqual([0, 1, 2].map((z) => `hub-net-private-${z}-id`));
  });
});

test("configured zone IDs are used as given, and a NAT gateway per zone serves its own zone", async () => {
  const { resources, invokes } = await evaluate({ natGateways: "OnePerAz", zoneIds: { "us-east-1": ["use1-az6", "use1-az1", "use1-az2"] } });
  expect(invokes.filter((i) => i.token.includes("getAvailabilityZones"))).toEqual([]);
  expect(ofType(resources, "aws:ec2/subnet:Subnet").slice(0, 3).map((s) => s.inputs.availabilityZoneId)).toEqual(["use1-az6", "use1-az1", "use1-az2"]);
  expect(ofType(resources, "aws:ec2/natGateway:NatGateway").map((n) => plain(n.inputs).subnetId)).toEqual([0, 1, 2].map((z) => `hub-net-public-${z}-id`));
  const defaults = ofType(resources, "aws:ec2/route:Route").filter((r) => r.name.startsWith("hub-net-private"));
  expect(defaults.map((r) => plain(r.inputs).natGatewayId)).toEqual([0, 1, 2].map((z) => `hub-net-nat-${z}-id`));
});
