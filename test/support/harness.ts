import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster, ServiceReach, ServiceRequest } from "../../components/cluster";
import type { ClusterPlan } from "../../plan";
import { tlsOutputs } from "./tls-mock";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

/** One resource the program registered, as the engine would have seen it. */
export interface Recorded {
  type: string;
  name: string;
  /** Inputs with every Output resolved. */
  inputs: Record<string, any>;
  /** Provider reference (`urn::id`) passed explicitly, if any. */
  provider?: string;
  /** Names of the resources in `dependsOn`. */
  dependsOn: string[];
  /** Name of the parent resource. */
  parent?: string;
  /** Outputs marked secret by the resource options. */
  additionalSecretOutputs: string[];
  /** Names of the providers in the `provider` and `providers` options. */
  providers: string[];
  protect: boolean;
}

export type OutputOverride = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> | undefined;

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

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

/** The public address the mocked awsx VPC `vpcName` gives its NAT gateway in `zone`. */
export function fakeNatIp(vpcName: string, zone: number): string {
  return `198.51.100.${([...vpcName].reduce((acc, ch) => (acc * 31 + ch.charCodeAt(0)) % 9973, zone) % 250) + 1}`;
}

/** Outputs that the real providers compute and the program reads back. */
function defaultOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs;
  if (args.type === "command:local:Command") {
    const env = inputs.environment ?? {};
    if (env.KIND_CLUSTER) return { stdout: fakeKindKubeconfig(env.KIND_CLUSTER) };
    if (env.KIND_NETWORK_CIDR) return { stdout: `${env.KIND_NETWORK_CIDR}\n` };
  }
  if (args.type === "awsx:ec2:Vpc") {
    // Three zones: a private and a public route table each, one NAT gateway per zone or one in all.
    const zones = [0, 1, 2];
    const nats = inputs.natGateways?.strategy === "OnePerAz" ? zones : [0];
    return {
      vpcId: `vpc-${args.name}`,
      privateSubnetIds: zones.map((z) => `subnet-${args.name}-private-${z}`),
      publicSubnetIds: zones.map((z) => `subnet-${args.name}-public-${z}`),
      routeTables: zones.flatMap((z) => [
        { id: `rtb-${args.name}-public-${z}`, tags: { SubnetType: "Public" } },
        { id: `rtb-${args.name}-private-${z}`, tags: { SubnetType: "Private" } },
      ]),
      eips: nats.map((z) => ({ publicIp: fakeNatIp(args.name, z) })),
    };
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

/**
 * Runs a program under Pulumi mocks inside a root stack (so options such as `dependsOn` can be
 * recorded) and returns what it registered. `result` is whatever the program returned.
 */
export async function runProgram<T>(options: {
  stack: string;
  config?: Record<string, unknown>;
  program: () => Promise<T> | T;
  outputs?: OutputOverride;
}): Promise<{ result: T; resources: Recorded[] }> {
  const fromEngine = new Map<string, { inputs: Record<string, any>; provider?: string }>();
  pulumi.runtime.setMocks(
    {
      async newResource(args) {
        // The engine applies a resource's transforms before it registers it; so does this mock.
        for (const transform of args.transforms ?? []) {
          const result = await transform({ custom: args.custom ?? true, type: args.type, name: args.name, props: args.inputs, opts: {} });
          if (result) args = { ...args, inputs: result.props };
        }
        fromEngine.set(`${args.type}::${args.name}`, { inputs: args.inputs, provider: args.provider });
        const state = {
          ...args.inputs,
          ...defaultOutputs(args),
          ...tlsOutputs(args.type, plain(args.inputs)),
          ...(options.outputs?.(args) ?? {}),
        };
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        return args.inputs;
      },
    },
    "platform",
    options.stack,
    false,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(options.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );

  const names = new Map<pulumi.Resource, string>();
  const fromProgram: Omit<Recorded, "inputs" | "provider">[] = [];
  let result!: T;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      names.set(args.resource, args.name);
      const deps = args.opts.dependsOn;
      const dependsOn = (Array.isArray(deps) ? deps : deps ? [deps] : []) as pulumi.Resource[];
      fromProgram.push({
        type: args.type,
        name: args.name,
        dependsOn: dependsOn.map((d) => names.get(d) ?? "<unknown>"),
        parent: args.opts.parent ? names.get(args.opts.parent) : undefined,
        additionalSecretOutputs: (args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [],
        providers: providerNames(args.opts as pulumi.ComponentResourceOptions, names),
        protect: args.opts.protect === true,
      });
      return undefined;
    });
    result = await options.program();
    return {};
  });
  // Registration is asynchronous: a resource's URN resolves once the engine (here the mocks) saw it.
  await Promise.all([...names.keys()].map((r) => valueOf(r.urn)));
  const resources = fromProgram.map((r) => ({ ...r, inputs: {}, ...fromEngine.get(`${r.type}::${r.name}`) }));
  return { result, resources };
}

function providerNames(opts: pulumi.ComponentResourceOptions, names: Map<pulumi.Resource, string>): string[] {
  const many = opts.providers ? (Array.isArray(opts.providers) ? opts.providers : Object.values(opts.providers)) : [];
  return [...(opts.provider ? [opts.provider] : []), ...many].map((p) => names.get(p as pulumi.Resource) ?? "<unknown>");
}

/** What a fake cluster answers to every `reach`: a node port on a host named after the cluster. */
export function fakeReach(name: string, request: ServiceRequest): ServiceReach {
  const host = `${name}.reach.example`;
  return {
    service: { type: "NodePort", nodePort: 30000 + (request.port % 1000), annotations: { "fake/audience": request.audience } },
    tlsNames: [host],
    dependsOn: [],
    address: () => pulumi.output({ host, port: request.port }),
  };
}

/** A cluster as components see it: a provider and endpoints, nothing real behind them. */
export function fakeCluster(name: string, spec: Partial<ClusterPlan> = {}): Cluster {
  return {
    name,
    spec: { name, role: "workload", provider: "kind", region: "local", labels: { cluster: name }, ...spec } as ClusterPlan,
    provider: new k8s.Provider(`${name}-k8s`, { kubeconfig: "{}" }),
    kubeconfig: pulumi.secret("{}"),
    endpoint: pulumi.output("https://127.0.0.1:1"),
    internalEndpoint: pulumi.output(`https://${name}-control-plane:6443`),
    caData: pulumi.output(b64(`CA of ${name}`)),
    infrastructure: "fake-cloud",
    reach: (request) => fakeReach(name, request),
  };
}

/** The config a stack runs with: the project's defaults from Pulumi.yaml under the stack file. */
export function stackConfig(stack: string): Record<string, unknown> {
  const root = join(__dirname, "..", "..");
  const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
  const config: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
    if (!key.includes(":") && decl && "default" in decl) config[`${project.name}:${key}`] = decl.default;
  }
  const stackFile = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8"));
  return { ...config, ...(stackFile.config ?? {}) };
}

/** The value of an Output, once resolved. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

export function ofType(resources: Recorded[], type: string): Recorded[] {
  return resources.filter((r) => r.type === type);
}

export function named(resources: Recorded[], type: string, name: string): Recorded {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name} among ${resources.length} resources`);
  return found;
}

/** Pulumi's wire marker of a secret value. */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The value inside a secret input as the engine received it; fails if the input was not secret. */
export function secretValue(input: unknown): any {
  const wrapped = input as Record<string, unknown> | undefined;
  if (!wrapped || typeof wrapped !== "object" || !Object.values(wrapped).includes(SECRET_SIG)) {
    throw new Error(`expected a secret input, got ${JSON.stringify(input)?.slice(0, 80)}`);
  }
  return wrapped.value;
}

/** Inputs with every secret wrapper replaced by its value, as the API server would receive them. */
export function plain(value: unknown): any {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Object.values(record).includes(SECRET_SIG)) return plain(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
