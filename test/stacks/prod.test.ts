import * as pulumi from "@pulumi/pulumi";
import type { FleetOutputs } from "../../packages/contract/src";
import { fakeNatIp, fakeResolverIp, named, ofType, plain, Recorded, runProgram, secretValue, stackConfig, valueOf } from "../support/harness";

// The whole prod stack, evaluated once with the real Pulumi.prod.yaml plus the settings the
// README's prod set-up has a user add (API access ranges, admin role, AWS profile).
const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform-admins";
let resources: Recorded[];
let program: typeof import("../../index");
let outputs: Pick<FleetOutputs, "clusters" | "kubeconfigs">;

beforeAll(async () => {
  const config = stackConfig("prod");
  config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"], adminRoleArn: ADMIN_ROLE, awsProfile: "platform-prod" };
  const run = await runProgram({ stack: "prod", config, program: () => import("../../index") });
  resources = run.resources;
  program = run.result;
  outputs = { clusters: await valueOf(program.clusters), kubeconfigs: await valueOf(program.kubeconfigs) };
});

const CLUSTERS = [
  { name: "mgmt", region: "us-west-2", vpc: "10.0.0.0/16", service: "10.96.0.0/20" },
  { name: "west", region: "us-west-2", vpc: "10.1.0.0/16", service: "10.96.16.0/20" },
  { name: "east", region: "us-east-1", vpc: "10.2.0.0/16", service: "10.96.32.0/20" },
];

test("one AWS provider per region, with the profile the kubeconfigs use", () => {
  const providers = ofType(resources, "pulumi:providers:aws");
  expect(providers.map((p) => [p.name, p.inputs.region, p.inputs.profile])).toEqual([
    ["aws-us-west-2", "us-west-2", "platform-prod"],
    ["aws-us-east-1", "us-east-1", "platform-prod"],
  ]);
});

test("a VPC per cluster from the plan, in the cluster's region, protected; the layout is the plan's", () => {
  for (const c of CLUSTERS) {
    const vpc = named(resources, "aws:ec2/vpc:Vpc", `${c.name}-network-vpc`);
    expect(vpc.providers).toEqual([`aws-${c.region}`]);
    expect(vpc.protect).toBe(true);
    expect(plain(vpc.inputs).cidrBlock).toBe(c.vpc);
    const subnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith(`${c.name}-network-`));
    expect(subnets.map((s) => plain(s.inputs).cidrBlock).sort()).toEqual(outputs.clusters[c.name].subnets!.flatMap((z) => [z.private, z.public]).sort());
  }
});

test("a KMS key per cluster with rotation, protected", () => {
  for (const c of CLUSTERS) {
    const key = named(resources, "aws:kms/key:Key", `${c.name}-secrets-key`);
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(key.protect).toBe(true);
    expect(key.providers).toEqual([`aws-${c.region}`]);
  }
});

test("EKS clusters: service range from the plan, access entries, encryption, logs, restricted endpoint", () => {
  for (const c of CLUSTERS) {
    const cluster = named(resources, "eks:index:Cluster", `${c.name}-eks`);
    expect(cluster.protect).toBe(true);
    expect(cluster.providers).toEqual([`aws-${c.region}`]);
    const inputs = plain(cluster.inputs);
    expect(inputs).toMatchObject({
      name: `prod-${c.name}`,
      version: "1.35",
      vpcId: `${c.name}-network-vpc-id`,
      privateSubnetIds: [0, 1, 2].map((z) => `${c.name}-network-private-${z}-id`),
      publicSubnetIds: [0, 1, 2].map((z) => `${c.name}-network-public-${z}-id`),
      kubernetesServiceIpAddressRange: c.service,
      authenticationMode: "API",
      accessEntries: {
        admin: {
          principalArn: ADMIN_ROLE,
          accessPolicies: {
            admin: {
              policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
              accessScope: { type: "cluster" },
            },
          },
        },
      },
      encryptionConfigKeyArn: `arn:aws:kms:region:123456789012:key/${c.name}-secrets-key`,
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      skipDefaultNodeGroup: true,
      createInstanceRole: true,
      createOidcProvider: true,
      providerCredentialOpts: { profileName: "platform-prod" },
    });
    // The operators' range alone: the other clusters call the private endpoint.
    expect(inputs.publicAccessCidrs).toEqual(["203.0.113.0/24"]);
  }
});

test("a managed node group per cluster, sized from config, in the private subnets", () => {
  for (const c of CLUSTERS) {
    const nodes = plain(named(resources, "eks:index:ManagedNodeGroup", `${c.name}-nodes`).inputs);
    expect(nodes).toMatchObject({
      nodeGroupNamePrefix: `${c.name}-`,
      nodeRoleArn: `arn:aws:iam::123456789012:role/${c.name}-eks-instance-role`,
      subnetIds: [0, 1, 2].map((z) => `${c.name}-network-private-${z}-id`),
      instanceTypes: ["m6i.large"],
      capacityType: "ON_DEMAND",
      scalingConfig: { minSize: 2, desiredSize: 3, maxSize: c.name === "mgmt" ? 6 : 10 },
      diskSize: 50,
      // Nothing in kubernetes.io: the EKS API refuses such node group labels.
      labels: { "platform/cluster": c.name, "platform/env": "prod" },
    });
  }
});

test("while a running fleet moves (eks.admitPeersPublicly), each public endpoint also admits the other VPCs' NAT addresses", async () => {
  const config = stackConfig("prod");
  config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"], admitPeersPublicly: true };
  const moving = (await runProgram({ stack: "prod", config, program: async () => (await import("../../stacks")).composeStack() })).resources;
  for (const c of CLUSTERS) {
    const nat = CLUSTERS.filter((p) => p.name !== c.name).map((p) => `${fakeNatIp(`${p.name}-network-nat-0`)}/32`);
    expect([c.name, plain(named(moving, "eks:index:Cluster", `${c.name}-eks`).inputs).publicAccessCidrs]).toEqual([c.name, ["203.0.113.0/24", ...nat].sort()]);
  }
});

test("the cluster security group admits 443 from the fleet's range, one rule however many peers, with peering too", () => {
  for (const c of CLUSTERS) {
    const rule = named(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `${c.name}-api-from-fleet-0`);
    expect(rule.inputs).toMatchObject({ securityGroupId: `sg-prod-${c.name}`, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/10" });
    expect(rule.providers).toEqual([`aws-${c.region}`]);
  }
  // The others are the Resolver endpoints' (test/eks/private-dns.test.ts).
  expect(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId.startsWith("sg-"))).toHaveLength(3);
});

test("the management cluster's VPC is the hub of the private API names", () => {
  const rule = (name: string) => ofType(resources, "aws:route53/resolverRule:ResolverRule").find((r) => r.name === name);
  for (const region of ["us-west-2", "us-east-1"]) {
    expect(plain(rule(`fleet-dns-${region}-to-hub`)!.inputs).targetIps).toEqual([0, 1].map((i) => ({ ip: fakeResolverIp("fleet-dns-mgmt-inbound", i), port: 53 })));
  }
  expect(["mgmt", "west", "east"].map((c) => [c, rule(`fleet-dns-${c}-at-hub`)?.providers])).toEqual([
    ["mgmt", undefined],
    ["west", ["aws-us-west-2"]],
    ["east", ["aws-us-west-2"]],
  ]);
});

test("a full mesh of peerings, requested in one region and accepted in the other", () => {
  const pairs = [
    ["mgmt", "west"],
    ["mgmt", "east"],
    ["west", "east"],
  ];
  expect(ofType(resources, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection").map((r) => r.name)).toEqual(
    pairs.map(([a, b]) => `vpc-${a}-${b}`),
  );
  for (const [a, b] of pairs) {
    const [ca, cb] = [a, b].map((n) => CLUSTERS.find((c) => c.name === n)!);
    const request = named(resources, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", `vpc-${a}-${b}`);
    expect(request.inputs).toMatchObject({ vpcId: `${a}-network-vpc-id`, peerVpcId: `${b}-network-vpc-id`, peerRegion: cb.region, autoAccept: false });
    expect(request.providers).toEqual([`aws-${ca.region}`]);
    const accept = named(resources, "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter", `vpc-${a}-${b}-accept`);
    expect(accept.inputs).toMatchObject({ vpcPeeringConnectionId: `vpc-${a}-${b}-id`, autoAccept: true });
    expect(accept.providers).toEqual([`aws-${cb.region}`]);
  }
});

test("peering routes both ways in every private route table, and none in public ones", () => {
  const routes = ofType(resources, "aws:ec2/route:Route")
    .filter((r) => r.inputs.vpcPeeringConnectionId)
    .map((r) => ({ ...plain(r.inputs), provider: r.providers[0] }));
  expect(routes).toHaveLength(3 * 2 * 3);
  for (const from of CLUSTERS) {
    for (const to of CLUSTERS.filter((c) => c.name !== from.name)) {
      const pair = CLUSTERS.indexOf(from) < CLUSTERS.indexOf(to) ? `${from.name}-${to.name}` : `${to.name}-${from.name}`;
      const toPeer = routes.filter((r) => r.destinationCidrBlock === to.vpc && r.routeTableId.startsWith(`${from.name}-`));
      expect(toPeer.map((r) => r.routeTableId).sort()).toEqual([0, 1, 2].map((z) => `${from.name}-network-private-${z}-id`));
      for (const r of toPeer) {
        expect(r.vpcPeeringConnectionId).toBe(`vpc-${pair}-id`);
        expect(r.provider).toBe(`aws-${from.region}`);
      }
    }
  }
});

test("outputs follow the contract; kubeconfigs exec aws eks get-token with the same profile, and are secret", async () => {
  expect(Object.keys(outputs.clusters)).toEqual(["mgmt", "west", "east"]);
  expect(outputs.clusters.east).toEqual({
    name: "east",
    role: "workload",
    provider: "eks",
    region: "us-east-1",
    network: "east",
    labels: { cluster: "east", region: "us-east-1", env: "prod" },
    podCidr: "10.2.0.0/16",
    serviceCidr: "10.96.32.0/20",
    vpcCidr: "10.2.0.0/16",
    // The plan's layout: private quarters, public sixteenths from the last quarter.
    subnets: [
      { zone: 0, private: "10.2.0.0/18", public: "10.2.192.0/20" },
      { zone: 1, private: "10.2.64.0/18", public: "10.2.208.0/20" },
      { zone: 2, private: "10.2.128.0/18", public: "10.2.224.0/20" },
    ],
    endpoint: "https://prod-east.gr7.eks.amazonaws.com",
    internalEndpoint: "https://prod-east.gr7.eks.amazonaws.com",
  });
  expect(await pulumi.isSecret(program.kubeconfigs)).toBe(true);
  const user = JSON.parse(outputs.kubeconfigs.east).users[0].user;
  expect(user.exec).toEqual({
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    // --profile, not AWS_PROFILE: keys in the environment would win over AWS_PROFILE.
    args: ["eks", "get-token", "--cluster-name", "prod-east", "--region", "us-east-1", "--output", "json", "--profile", "platform-prod"],
    env: null,
    interactiveMode: "Never",
  });
  for (const c of CLUSTERS) {
    const provider = named(resources, "pulumi:providers:kubernetes", `${c.name}-k8s`);
    expect(provider.inputs.enableSecretMutable).toBe("true");
    expect(JSON.parse(secretValue(provider.inputs.kubeconfig))).toEqual(JSON.parse(outputs.kubeconfigs[c.name]));
  }
});

test("no two ranges overlap across VPCs and service ranges", () => {
  const ranges = Object.values(outputs.clusters).flatMap((c) => [c.vpcCidr!, c.serviceCidr]);
  expect(new Set(ranges).size).toBe(6);
});
