import * as aws from "@pulumi/aws";
import { EksCluster } from "../../components/eks";
import { EksNetwork } from "../../components/eks";
import { planFleet, type EksClusterPlan } from "../../plan";
import { fakeNatIp, named, ofType, plain, Recorded, runProgram, valueOf } from "../support/harness";

// Defaults: no admin role, no profile, a NAT gateway per zone.
const plan = planFleet({
  environment: "stage",
  eks: { publicAccessCidrs: ["192.0.2.0/28"], natGateways: "OnePerAz", protect: false, quotas: { elasticIpsPerRegion: 6 } },
  clusters: [
    { name: "hub", role: "management", provider: "eks", region: "eu-west-1" },
    { name: "spoke", role: "workload", provider: "eks", region: "eu-west-1" },
  ],
});

let resources: Recorded[];
let hub: EksCluster;

beforeAll(async () => {
  const run = await runProgram({
    stack: "stage",
    program: () => {
      const provider = new aws.Provider("aws", { region: "eu-west-1" });
      const [hubNet, spokeNet] = plan.clusters.map(
        (spec) => new EksNetwork(`${spec.name}-net`, { spec: spec as EksClusterPlan, awsProvider: provider, settings: plan.eks }),
      );
      return new EksCluster("hub", {
        spec: plan.clusters[0] as EksClusterPlan,
        network: hubNet,
        settings: plan.eks,
        environment: plan.environment,
        peers: [{ name: "spoke", cidr: spokeNet.cidr, natIps: spokeNet.natIps }],
        serviceAccess: { fleetRanges: ["10.0.0.0/16", "10.1.0.0/16"], operator: { scheme: "internal" } },
      });
    },
  });
  resources = run.resources;
  hub = run.result;
});

test("without an admin role the cluster has no extra access entry, and nothing is protected", () => {
  const cluster = named(resources, "eks:index:Cluster", "hub-eks");
  expect(plain(cluster.inputs).accessEntries).toBeUndefined();
  expect(plain(cluster.inputs).providerCredentialOpts).toBeUndefined();
  expect(resources.filter((r) => r.protect)).toEqual([]);
});

test("a NAT gateway per zone: all three peer addresses reach the public endpoint", () => {
  expect(plain(named(resources, "awsx:ec2:Vpc", "hub-net-vpc").inputs).natGateways).toEqual({ strategy: "OnePerAz" });
  expect(plain(named(resources, "eks:index:Cluster", "hub-eks").inputs).publicAccessCidrs).toEqual(
    ["192.0.2.0/28", ...[0, 1, 2].map((z) => `${fakeNatIp("spoke-net-vpc", z)}/32`)].sort(),
  );
});

test("the kubeconfig uses the default credential chain when no profile is set", async () => {
  const user = JSON.parse(await valueOf(hub.kubeconfig)).users[0].user;
  expect(user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "stage-hub", "--region", "eu-west-1", "--output", "json"]);
  expect(user.exec.env).toBeNull();
});

test("only the peer's VPC is admitted on 443", () => {
  expect(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs.cidrIpv4)).toEqual([
    "10.1.0.0/16",
  ]);
});
