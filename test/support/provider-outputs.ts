import type * as pulumi from "@pulumi/pulumi";

export const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** What `kind get kubeconfig` prints, with credentials that name the cluster. */
export function fakeKindKubeconfig(cluster: string): string {
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    certificate-authority-data: ${b64(`CA of ${cluster}`)}`,
    "    server: https://127.0.0.1:40000",
    `  name: kind-${cluster}`,
    "contexts: []",
    "kind: Config",
    "users:",
    `- name: kind-${cluster}`,
    "  user:",
    `    client-certificate-data: ${b64(`CERT of ${cluster}`)}`,
    `    client-key-data: ${b64(`PRIVATE KEY of ${cluster}`)}`,
    "",
  ].join("\n");
}

/** The public address AWS gives the Elastic IP `eipName` (in the mocks). */
export function fakeNatIp(eipName: string): string {
  return `198.51.100.${([...eipName].reduce((acc, ch) => (acc * 31 + ch.charCodeAt(0)) % 9973, 7) % 250) + 1}`;
}

/** The address AWS gives a Resolver endpoint `endpointName` in its `i`th subnet (in the mocks). */
export function fakeResolverIp(endpointName: string, i: number): string {
  return `10.255.${[...endpointName].reduce((acc, ch) => (acc * 31 + ch.charCodeAt(0)) % 9973, 7) % 250}.${i + 10}`;
}

/** Zone IDs the mocked `getAvailabilityZones` answers, unsorted as AWS may list them. */
export const FAKE_ZONE_IDS = ["fake-az4", "fake-az1", "fake-az2", "fake-az3"];

/** What the mocked invokes return. */
export function invokeResult(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  if (args.token === "aws:index/getAvailabilityZones:getAvailabilityZones") {
    return { zoneIds: FAKE_ZONE_IDS, names: FAKE_ZONE_IDS.map((id) => id.replace("fake-az", "fake-zone-")) };
  }
  if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
    return { accountId: "123456789012", arn: CALLER_ARN, userId: "AROAEXAMPLE:pulumi" };
  }
  return args.inputs;
}

/** Who runs Pulumi in the mocks: a role assumed by a CI runner. */
export const CALLER_ARN = "arn:aws:sts::123456789012:assumed-role/pulumi-deployer/ci-session";

/** Outputs that the real providers compute and the program reads back. */
export function defaultOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs;
  if (args.type === "command:local:Command") {
    const env = inputs.environment ?? {};
    if (inputs.create?.startsWith("date -u")) return { stdout: "2026-11-26T00:00:00Z\n" };
    if (inputs.create?.includes("sts get-caller-identity")) return { stdout: `${CALLER_ARN}\n` };
    if (env.KIND_CLUSTER) return { stdout: fakeKindKubeconfig(env.KIND_CLUSTER) };
    if (env.KIND_NETWORK_CIDR) return { stdout: `${env.KIND_NETWORK_CIDR}\n` };
  }
  if (args.type === "aws:ec2/eip:Eip") return { publicIp: fakeNatIp(args.name) };
  if (args.type === "aws:route53/resolverEndpoint:ResolverEndpoint") {
    return { ipAddresses: inputs.ipAddresses.map((a: { subnetId: string }, i: number) => ({ ...a, ip: fakeResolverIp(args.name, i) })) };
  }
  if (args.type === "eks:index:Cluster") {
    return {
      eksCluster: {
        name: inputs.name,
        endpoint: `https://${inputs.name}.gr7.eks.amazonaws.com`,
        certificateAuthority: { data: b64(`CA of ${inputs.name}`) },
        vpcConfig: { clusterSecurityGroupId: `sg-${inputs.name}` },
      },
      instanceRoles: [{ arn: `arn:aws:iam::123456789012:role/${args.name}-instance-role` }],
      oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${inputs.name}`,
      oidcIssuer: `oidc.eks.example.com/id/${inputs.name}`,
    };
  }
  if (args.type === "kubernetes:helm.sh/v3:Release") {
    return { status: { name: inputs.name, namespace: inputs.namespace, status: "deployed", version: inputs.version ?? "" } };
  }
  if (args.type === "random:index/randomPassword:RandomPassword") {
    const result = `pw-${args.name}`.padEnd(inputs.length, "x").slice(0, inputs.length);
    return { result, bcryptHash: `$2a$10$${b64(result).slice(0, 53)}` };
  }
  // Objects read back with `.get` (their id is "namespace/name").
  if (args.id && args.type === "kubernetes:core/v1:Service") {
    return { status: { loadBalancer: { ingress: [{ hostname: `${args.id.replace("/", "-")}.elb.example.com` }] } } };
  }
  if (args.id && args.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition") return {};
  if (args.id === "karmada-system/karmada-kubeconfig") {
    return { data: { kubeconfig: b64(fakeKindKubeconfig("karmada-apiserver")) } };
  }
  if (args.type === "aws:kms/key:Key") return { arn: `arn:aws:kms:region:123456789012:key/${args.name}` };
  if (args.type === "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter") {
    return { vpcPeeringConnectionId: inputs.vpcPeeringConnectionId };
  }
  if (args.type === "kubernetes:core/v1:Secret" && inputs.type === "kubernetes.io/service-account-token") {
    // Names the cluster (from its provider, `<cluster>-k8s`) and the ServiceAccount it belongs to.
    const cluster = args.provider?.split("::").at(-2)?.replace(/-k8s$/, "");
    const owner = `${cluster}:${inputs.metadata?.namespace}/${inputs.metadata?.annotations?.["kubernetes.io/service-account.name"]}`;
    return { data: { token: b64(`TOKEN of ${owner}`), "ca.crt": b64(`CA bundle for ${owner}`) } };
  }
  return {};
}
