import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { stringify } from "yaml";
import * as policies from "../../policy/policies";

// Each policy called as the engine would, without the CLI: good and bad resources, the messages.
type Fake = { type: string; name?: string; props: Record<string, any>; stack?: string; protect?: boolean; provider?: string; secretOutputs?: string[] };

function resource(f: Fake): PolicyResource & ResourceValidationArgs {
  const name = f.name ?? "r";
  return {
    type: f.type,
    name,
    props: f.props,
    urn: `urn:pulumi:${f.stack ?? "dev"}::platform::${f.type}::${name}`,
    opts: { protect: f.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: f.secretOutputs ?? [], customTimeouts: {} },
    provider: f.provider ? { type: "pulumi:providers:kubernetes", name: "p", urn: f.provider, props: {} } : undefined,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => ({}),
    notApplicable: (reason?: string) => {
      throw new Error(reason);
    },
    dependencies: [],
    propertyDependencies: {},
  } as unknown as PolicyResource & ResourceValidationArgs;
}

async function onResource(policy: ResourceValidationPolicy, f: Fake): Promise<string[]> {
  const messages: string[] = [];
  const validate = policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void | Promise<void>;
  await validate(resource(f), (m) => messages.push(m));
  return messages;
}

async function onStack(policy: StackValidationPolicy, fakes: Fake[]): Promise<string[]> {
  const messages: string[] = [];
  await policy.validateStack({ resources: fakes.map(resource), getConfig: () => ({}), stackTags: new Map() } as never, (m) => messages.push(m));
  return messages;
}

const kindCommand = (name: string, pod: string, service: string, image = "kindest/node:v1.36.1@sha256:abc") => ({
  type: "command:local:Command",
  name,
  props: { create: "kind create cluster; kind get kubeconfig --name x", environment: { KIND_CONFIG: stringify({ networking: { podSubnet: pod, serviceSubnet: service }, nodes: [{ image }] }) } },
  secretOutputs: ["stdout"],
});

test("no-overlapping-ranges: VPCs, service ranges, kind subnets and MetalLB pools are all compared", async () => {
  const fleet = [kindCommand("west", "10.65.0.0/16", "10.96.16.0/20"), kindCommand("east", "10.66.0.0/16", "10.96.32.0/20")];
  expect(await onStack(policies.noOverlappingRanges, fleet)).toEqual([]);
  const clash = [...fleet, { type: "kubernetes:metallb.io/v1beta1:IPAddressPool", name: "pool", props: { spec: { addresses: ["10.66.128.0/28"] } } }];
  expect(await onStack(policies.noOverlappingRanges, clash)).toEqual(["pool load-balancer pool 10.66.128.0/28 overlaps east pod subnet 10.66.0.0/16"]);
  // Stack policies see outputs: the service range of the EKS control plane made by pulumi-eks.
  const vpcs = [
    { type: "aws:ec2/vpc:Vpc", name: "a", props: { cidrBlock: "10.0.0.0/16" } },
    { type: "aws:eks/cluster:Cluster", name: "b", props: { kubernetesNetworkConfig: { serviceIpv4Cidr: "10.0.96.0/20" } } },
  ];
  expect(await onStack(policies.noOverlappingRanges, vpcs)).toEqual(["b service range 10.0.96.0/20 overlaps a VPC 10.0.0.0/16"]);
});

test("eks-api-not-open-to-the-internet and eks-secrets-encrypted, on the control plane pulumi-eks makes", async () => {
  // eks:index:Cluster is a remote component: its own props reach policies empty, so the policies
  // look at its aws:eks/cluster:Cluster child, whose inputs these are.
  const vpcConfig = { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"] };
  const encryptionConfig = { provider: { keyArn: "arn:aws:kms:us-west-2:1:key/k" }, resources: ["secrets"] };
  const good = { type: "aws:eks/cluster:Cluster", name: "west-eksCluster", props: { vpcConfig, encryptionConfig } };
  expect(await onResource(policies.eksApiNotOpen, good)).toEqual([]);
  expect(await onResource(policies.eksSecretsEncrypted, good)).toEqual([]);
  expect(await onResource(policies.eksApiNotOpen, { ...good, props: { vpcConfig: { ...vpcConfig, publicAccessCidrs: ["0.0.0.0/0"] } } })).toEqual([
    "publicAccessCidrs holds 0.0.0.0/0, the whole internet",
  ]);
  expect(await onResource(policies.eksApiNotOpen, { ...good, props: { vpcConfig: { endpointPublicAccess: true } } })).toEqual([
    "the public endpoint admits everybody: set publicAccessCidrs",
  ]);
  expect(await onResource(policies.eksApiNotOpen, { ...good, props: { vpcConfig: { endpointPublicAccess: false } } })).toEqual([]);
  expect(await onResource(policies.eksSecretsEncrypted, { ...good, props: {} })).toEqual(["west-eksCluster does not encrypt Secrets with a KMS key"]);
  // The component's own (empty) props are none of these policies' business.
  expect(await onResource(policies.eksApiNotOpen, { type: "eks:index:Cluster", props: {} })).toEqual([]);
  expect(await onResource(policies.eksSecretsEncrypted, { type: "eks:index:Cluster", props: {} })).toEqual([]);
});

test("prod-protected: clusters, VPCs and keys of prod are protected; dev may be torn down", async () => {
  const vpc = { type: "aws:ec2/vpc:Vpc", name: "west-network-vpc", props: {} };
  expect(await onResource(policies.prodProtected, { type: "aws:eks/cluster:Cluster", name: "west-eksCluster", props: {}, stack: "prod" })).toEqual([
    "aws:eks/cluster:Cluster west-eksCluster in stack prod is not protected",
  ]);
  expect(await onResource(policies.prodProtected, { ...vpc, stack: "prod" })).toEqual(["aws:ec2/vpc:Vpc west-network-vpc in stack prod is not protected"]);
  expect(await onResource(policies.prodProtected, { ...vpc, stack: "prod", protect: true })).toEqual([]);
  expect(await onResource(policies.prodProtected, { ...vpc, stack: "dev" })).toEqual([]);
});

test("mesh-strict-mtls: every istiod's cluster has a mesh-wide STRICT PeerAuthentication", async () => {
  const istiod = (p: string) => ({ type: "kubernetes:helm.sh/v3:Release", name: `istiod-${p}`, props: { chart: "istiod" }, provider: p });
  const strict = (p: string, mode = "STRICT") => ({
    type: "kubernetes:security.istio.io/v1:PeerAuthentication",
    props: { metadata: { namespace: "istio-system" }, spec: { mtls: { mode } } },
    provider: p,
  });
  expect(await onStack(policies.strictMtls, [istiod("west"), strict("west"), istiod("east"), strict("east")])).toEqual([]);
  expect(await onStack(policies.strictMtls, [istiod("west"), strict("west"), istiod("east"), strict("east", "PERMISSIVE")])).toEqual([
    "istiod-east: its cluster has no mesh-wide STRICT PeerAuthentication",
  ]);
});

test("pinned-versions: charts, container images and kind node images", async () => {
  const release = (props: Record<string, unknown>) => ({ type: "kubernetes:helm.sh/v3:Release", props });
  expect(await onResource(policies.pinnedVersions, release({ chart: "argo-cd", version: "10.1.1", values: {} }))).toEqual([]);
  expect(await onResource(policies.pinnedVersions, release({ chart: "https://x/releases/download/v1.18.2/karmada-chart-v1.18.2.tgz" }))).toEqual([]);
  expect(await onResource(policies.pinnedVersions, release({ chart: "argo-cd", values: { image: { tag: "latest" } } }))).toEqual([
    "chart argo-cd has no version",
    "chart argo-cd sets an image to latest",
  ]);
  const deployment = (image: string) => ({ type: "kubernetes:apps/v1:Deployment", props: { spec: { template: { spec: { containers: [{ name: "app", image }] } } } } });
  expect(await onResource(policies.pinnedVersions, deployment("nginx:1.29"))).toEqual([]);
  expect(await onResource(policies.pinnedVersions, deployment("nginx@sha256:0123"))).toEqual([]);
  expect(await onResource(policies.pinnedVersions, deployment("nginx"))).toEqual(["container app runs nginx, not pinned by tag or digest"]);
  expect(await onResource(policies.pinnedVersions, deployment("registry:5000/nginx:latest"))).toEqual([
    "container app runs registry:5000/nginx:latest, not pinned by tag or digest",
  ]);
  expect(await onResource(policies.pinnedVersions, kindCommand("w", "10.65.0.0/16", "10.96.0.0/20", "kindest/node:v1.36.1"))).toEqual([
    "kind node image kindest/node:v1.36.1 is not pinned by digest",
  ]);
});

test("same-kubernetes-minor (advisory): EKS versions and kind node images agree", async () => {
  expect(policies.sameKubernetesMinor.enforcementLevel).toBe("advisory");
  const eksCluster = (name: string, version: string) => ({ type: "aws:eks/cluster:Cluster", name, props: { version } });
  expect(await onStack(policies.sameKubernetesMinor, [eksCluster("a", "1.35"), eksCluster("b", "1.35")])).toEqual([]);
  expect(await onStack(policies.sameKubernetesMinor, [eksCluster("a", "1.35"), eksCluster("b", "1.34")])).toEqual(["b runs Kubernetes 1.34, a runs 1.35"]);
  const kinds = [kindCommand("w", "10.65.0.0/16", "10.96.0.0/20", "kindest/node:v1.36.1@sha256:a"), kindCommand("e", "10.66.0.0/16", "10.96.16.0/20", "kindest/node:v1.35.4@sha256:b")];
  expect(await onStack(policies.sameKubernetesMinor, kinds)).toEqual(["e runs Kubernetes 1.35, w runs 1.36"]);
});

test("no-plain-credentials: credentials only in the outputs the contract makes secret", async () => {
  const stack = (props: Record<string, unknown>) => ({ type: "pulumi:pulumi:Stack", name: "platform-dev", props });
  const ok = stack({ kubeconfigs: { west: '{"users":[{"user":{"client-key-data":"x"}}]}' }, argocd: { adminPassword: "p" }, clusters: { west: { name: "west" } } });
  expect(await onStack(policies.noPlainCredentials, [ok])).toEqual([]);
  expect(await onStack(policies.noPlainCredentials, [stack({ clusters: { west: { token: "abc", bearerToken: "t" } } })])).toEqual([
    "stack output clusters holds a credential",
  ]);
  const leaky = { ...kindCommand("west", "10.65.0.0/16", "10.96.0.0/20"), secretOutputs: [] };
  expect(await onStack(policies.noPlainCredentials, [leaky])).toEqual(["west prints a kubeconfig without marking stdout secret"]);
});

test("explicit-kubernetes-provider: every Kubernetes object names its cluster's provider", async () => {
  const secret = { type: "kubernetes:core/v1:Secret", name: "s", props: {} };
  expect(await onResource(policies.explicitKubernetesProvider, { ...secret, provider: "urn:pulumi:dev::platform::pulumi:providers:kubernetes::west-k8s::id" })).toEqual([]);
  expect(await onResource(policies.explicitKubernetesProvider, secret)).toEqual(["kubernetes:core/v1:Secret s uses the default Kubernetes provider"]);
  expect(await onResource(policies.explicitKubernetesProvider, { ...secret, provider: "urn:pulumi:dev::platform::pulumi:providers:kubernetes::default_4_34_2::id" })).toEqual([
    "kubernetes:core/v1:Secret s uses the default Kubernetes provider",
  ]);
  // A component of the Kubernetes SDK carries no provider; its objects do.
  expect(await onResource(policies.explicitKubernetesProvider, { type: "kubernetes:yaml/v2:ConfigFile", props: {} })).toEqual([]);
});
