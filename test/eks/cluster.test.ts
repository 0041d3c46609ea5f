import * as aws from "@pulumi/aws";
import { EksCluster } from "../../components/eks";
import { EksNetwork } from "../../components/eks";
import { planFleet, type EksClusterPlan } from "../../plan";
import { EKS_ADDON_VERSIONS } from "../../components/versions";
import { named, ofType, plain, Recorded, runProgram, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

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
        (spec) => new EksNetwork(`${spec.name}-net`, { spec: spec as EksClusterPlan, clusterName: `stage-${spec.name}`, awsProvider: provider, settings: plan.eks }),
      );
      return new EksCluster("hub", {
        spec: plan.clusters[0] as EksClusterPlan,
        network: hubNet,
        settings: plan.eks,
        environment: plan.environment,
        peers: [{ name: "spoke", cidr: spokeNet.cidr, natIps: ["198.51.100.1"] }],
        serviceAccess: { fleetRanges: ["10.0.0.0/16", "10.1.0.0/16"], operator: { scheme: "internal" }, public: ["0.0.0.0/0"] },
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

test("the public endpoint admits the operators' ranges alone: the peer's NAT addresses never reach it", () => {
  expect(plain(named(resources, "eks:index:Cluster", "hub-eks").inputs)).toMatchObject({
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    publicAccessCidrs: ["192.0.2.0/28"],
  });
});

test("the kubeconfig uses the default credential chain when no profile is set", async () => {
  const user = JSON.parse(await valueOf(hub.kubeconfig)).users[0].user;
  expect(user.exec.args).toEqual(["eks", "get-token", "--cluster-name", "stage-hub", "--region", "eu-west-1", "--output", "json"]);
  expect(user.exec.env).toBeNull();
});

test("the fleet's ranges are admitted on 443, a rule each, none per peer", () => {
  expect(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([
    ["hub-api-from-fleet-0", "10.0.0.0/16", 443],
    ["hub-api-from-fleet-1", "10.1.0.0/16", 443],
  ]);
});

test("the node group has a name prefix, so a change that replaces it create-first never clashes", () => {
  // Nodes join through the NAT gateways: the private tables' routes and associations come first.
  expect(named(resources, "eks:index:ManagedNodeGroup", "hub-nodes").dependsOn).toEqual(expect.arrayContaining(["hub-net-nat-0", "hub-net-private-2-default", "hub-net-private-2"]));
  const nodes = plain(named(resources, "eks:index:ManagedNodeGroup", "hub-nodes").inputs);
  expect(nodes.nodeGroupNamePrefix).toBe("hub-");
  expect(nodes).not.toHaveProperty("nodeGroupName");
});

test("the control-plane log group exists first, with the configured retention, where EKS writes", () => {
  const logs = named(resources, "command:local:Command", "hub-logs");
  expect(plain(logs.inputs).environment).toEqual({ LOG_GROUP: "/aws/eks/stage-hub/cluster", REGION: "eu-west-1", RETENTION_DAYS: "90" });
  // Never deleted: EKS makes the group again while the cluster is deleted, a next create would collide.
  expect(plain(logs.inputs).delete).toBeUndefined();
  expect(named(resources, "eks:index:Cluster", "hub-eks").dependsOn).toEqual(["hub-logs"]);
});

test("add-ons are pinned; CoreDNS and the EBS CSI driver come after the node group", () => {
  const cluster = plain(named(resources, "eks:index:Cluster", "hub-eks").inputs);
  expect(cluster.vpcCniOptions).toMatchObject({ addonVersion: EKS_ADDON_VERSIONS.vpcCni });
  expect(cluster.kubeProxyAddonOptions).toMatchObject({ version: EKS_ADDON_VERSIONS.kubeProxy });
  expect(cluster.corednsAddonOptions).toMatchObject({ enabled: false });
  expect(plain(named(resources, "aws:eks/addon:Addon", "hub-addons-coredns").inputs).preserve).toBe(true);
  const addons = ofType(resources, "aws:eks/addon:Addon").map((a) => [plain(a.inputs).addonName, plain(a.inputs).addonVersion, a.dependsOn]);
  expect(addons).toEqual([
    ["coredns", EKS_ADDON_VERSIONS.coredns, ["hub-nodes"]],
    ["aws-ebs-csi-driver", EKS_ADDON_VERSIONS.ebsCsiDriver, ["hub-nodes", "hub-addons-ebs-csi"]],
  ]);
  for (const version of Object.values(EKS_ADDON_VERSIONS)) expect(version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
});

test("the EBS CSI driver's role trusts only its ServiceAccount through the cluster's OIDC provider", () => {
  const policy = JSON.parse(plain(named(resources, "aws:iam/role:Role", "hub-addons-ebs-csi").inputs).assumeRolePolicy);
  const issuer = "oidc.eks.example.com/id/stage-hub";
  expect(policy.Statement).toEqual([
    {
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/stage-hub" },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa", [`${issuer}:aud`]: "sts.amazonaws.com" } },
    },
  ]);
});

test("state that must survive a pod is claimed from encrypted gp3 volumes", () => {
  const storageClass = named(resources, "kubernetes:storage.k8s.io/v1:StorageClass", "hub-addons-gp3");
  validateK8s(storageClass);
  expect(plain(storageClass.inputs)).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" }, volumeBindingMode: "WaitForFirstConsumer" });
  expect(storageClass.dependsOn).toEqual(["hub-addons-aws-ebs-csi-driver"]);
  expect(hub.persistentStorage.storageClassName).toBe("gp3");
});

test("a gate between the cluster and its load balancers' Services lets destroy wait for the NLBs", () => {
  const drain = named(resources, "command:local:Command", "hub-lb-drain");
  // Deleted first among them: the nodes, CoreDNS and the way out serve the uninstall hooks until then.
  expect(drain.dependsOn).toEqual([
    "hub-eks",
    "hub-nodes",
    "hub-addons-coredns",
    "hub-net-igw",
    "hub-net-public-default",
    ...[0, 1, 2].map((z) => `hub-net-nat-${z}`),
    ...[0, 1, 2].flatMap((z) => [`hub-net-private-${z}-default`, `hub-net-private-${z}`]),
  ]);
  expect(plain(drain.inputs).environment).toMatchObject({ CLUSTER: "stage-hub", VPC_ID: "hub-net-vpc-id", REGION: "eu-west-1" });
  expect(plain(drain.inputs).addPreviousOutputInEnv).toBe(false);
  expect(hub.reach({ service: "prometheus", port: 9090, audience: "fleet" }).dependsOn.map((r) => r)).toHaveLength(1);
});
