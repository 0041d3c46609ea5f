import * as aws from "@pulumi/aws";
import { EksCluster, EksNetwork, isSameRole, roleOf } from "../../components/eks";
import { requireDistinct } from "../../components/eks/identity";
import { type EksClusterPlan, planFleet } from "../../plan";
import { CALLER_ARN, named, ofType, plain, runProgram } from "../support/harness";

test("a role and the sessions of that role are one identity; other roles, accounts and users are not", () => {
  expect(roleOf("arn:aws:iam::123456789012:role/teams/platform-admins")).toEqual({ account: "123456789012", role: "platform-admins" });
  expect(isSameRole("arn:aws:iam::123456789012:role/pulumi-deployer", CALLER_ARN)).toBe(true);
  expect(isSameRole("arn:aws:iam::123456789012:role/ci/pulumi-deployer", CALLER_ARN)).toBe(true);
  expect(isSameRole("arn:aws:iam::210987654321:role/pulumi-deployer", CALLER_ARN)).toBe(false);
  expect(isSameRole("arn:aws:iam::123456789012:role/platform-admins", CALLER_ARN)).toBe(false);
  expect(isSameRole("arn:aws:iam::123456789012:role/pulumi-deployer", "arn:aws:iam::123456789012:user/pulumi-deployer")).toBe(false);
});

/** An EKS cluster of a fleet whose settings are `eks`, with one peer on the given mesh network. */
async function evaluate(eks: Record<string, unknown>, peerNetwork = "spoke") {
  const fleet = planFleet({
    environment: "stage",
    eks: { publicAccessCidrs: ["192.0.2.0/28"], ...eks },
    clusters: [
      { name: "hub", role: "workload", provider: "eks", region: "eu-west-1", network: "shared" },
      { name: "spoke", role: "management", provider: "eks", region: "eu-west-1", network: peerNetwork },
    ],
  });
  const [hub, spoke] = fleet.clusters as EksClusterPlan[];
  const provider = () => new aws.Provider("aws", { region: "eu-west-1" });
  return runProgram({
    stack: "stage",
    program: () => {
      const awsProvider = provider();
      const network = new EksNetwork("hub-net", { spec: hub, clusterName: "stage-hub", awsProvider, settings: fleet.eks });
      return new EksCluster("hub", {
        spec: hub,
        network,
        settings: fleet.eks,
        environment: "stage",
        peers: [{ name: "spoke", cidr: spoke.vpcCidr, natIps: ["198.51.100.9", "198.51.100.3"], sharesNetwork: spoke.network === hub.network }],
        serviceAccess: { fleetRanges: [hub.vpcCidr, spoke.vpcCidr], operator: { scheme: "internal" }, public: ["0.0.0.0/0"] },
      });
    },
  });
}

test("an admin role other than the caller gets its access entry", async () => {
  const { resources } = await evaluate({ adminRoleArn: "arn:aws:iam::123456789012:role/platform-admins" });
  const entries = plain(named(resources, "eks:index:Cluster", "hub-eks").inputs).accessEntries;
  expect(entries.admin.principalArn).toBe("arn:aws:iam::123456789012:role/platform-admins");
});

test("an admin role that is the caller, already admin as the creator, is refused with what to do", async () => {
  // The access entry's principal waits for who creates the cluster, asked once, and is checked by this.
  const { resources } = await evaluate({ adminRoleArn: "arn:aws:iam::123456789012:role/platform-admins", awsProfile: "ops" });
  const creator = plain(named(resources, "command:local:Command", "hub-creator").inputs);
  expect(creator.create).toContain("aws sts get-caller-identity");
  expect(creator.environment).toEqual({ REGION: "eu-west-1", AWS_CLI_PROFILE: "ops" });
  expect(creator.triggers).toBeUndefined();
  expect(() => requireDistinct("arn:aws:iam::123456789012:role/pulumi-deployer", CALLER_ARN)).toThrow(
    "eks.adminRoleArn arn:aws:iam::123456789012:role/pulumi-deployer is the identity running Pulumi " +
      `(${CALLER_ARN}), which EKS already makes cluster admin as the cluster's creator: unset eks.adminRoleArn`,
  );
  expect(requireDistinct("arn:aws:iam::123456789012:role/platform-admins", CALLER_ARN)).toBe("arn:aws:iam::123456789012:role/platform-admins");
});

test("a peer on the same mesh network is admitted whole, as Istio then calls its pods directly", async () => {
  const shared = named((await evaluate({}, "shared")).resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "hub-api-from-spoke");
  expect(plain(shared.inputs)).toMatchObject({ ipProtocol: "-1", cidrIpv4: "10.1.0.0/16" });
  expect(plain(shared.inputs)).not.toHaveProperty("fromPort");
  // Apart, the peer reaches the API through the fleet's rules alone.
  const apart = ofType((await evaluate({})).resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
  expect(apart.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.ipProtocol, r.inputs.fromPort])).toEqual([
    ["hub-api-from-fleet-0", "10.0.0.0/16", "tcp", 443],
    ["hub-api-from-fleet-1", "10.1.0.0/16", "tcp", 443],
  ]);
});

test("without a public endpoint the API admits no public range: the fleet and Pulumi reach it privately", async () => {
  const inputs = plain(named((await evaluate({ publicEndpoint: false, karmadaApiAccess: "internal", publicAccessCidrs: [] })).resources, "eks:index:Cluster", "hub-eks").inputs);
  expect(inputs).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
  expect(inputs).not.toHaveProperty("publicAccessCidrs");
});

test("while a running fleet moves (eks.admitPeersPublicly), the public endpoint also admits the peers' NAT addresses, sorted", async () => {
  const moving = plain(named((await evaluate({ admitPeersPublicly: true })).resources, "eks:index:Cluster", "hub-eks").inputs);
  expect(moving.publicAccessCidrs).toEqual(["192.0.2.0/28", "198.51.100.3/32", "198.51.100.9/32"]);
  const moved = plain(named((await evaluate({})).resources, "eks:index:Cluster", "hub-eks").inputs);
  expect(moved.publicAccessCidrs).toEqual(["192.0.2.0/28"]);
});
