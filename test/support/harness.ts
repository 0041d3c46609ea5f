import * as pulumi from "@pulumi/pulumi";
import { defaultOutputs, invokeResult } from "./provider-outputs";
import { tlsOutputs } from "./tls-mock";
import { join } from "path";
import { readStackConfig } from "../../tools/offline/config";
import { eksComponentReferences, SIG_KEY } from "../../tools/offline/references";

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

export { CALLER_ARN, FAKE_ZONE_IDS, fakeKindKubeconfig, fakeNatIp, fakeResolverIp } from "./provider-outputs";
export { fakeCluster, fakeReach } from "./fake-cluster";

export type OutputOverride = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> | undefined;

/**
 * Runs a program under Pulumi mocks inside a root stack (so options such as `dependsOn` can be
 * recorded) and returns what it registered. `result` is whatever the program returned.
 */
export async function runProgram<T>(options: {
  stack: string;
  config?: Record<string, unknown>;
  program: () => Promise<T> | T;
  outputs?: OutputOverride;
}): Promise<{ result: T; resources: Recorded[]; invokes: pulumi.runtime.MockCallArgs[]; states: Map<string, Record<string, unknown>> }> {
  const invokes: pulumi.runtime.MockCallArgs[] = [];
  /** What each resource's provider answered, by `type::name`: a later run can be fed these. */
  const states = new Map<string, Record<string, unknown>>();
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
          ...tlsOutputs(args.type, args.name, () => plain(args.inputs)),
          ...(options.outputs?.(args) ?? {}),
        };
        states.set(`${args.type}::${args.name}`, state);
        // The engine returns the outputs a resource declares secret (`additionalSecretOutputs`,
        // e.g. RandomPassword's result and bcryptHash) as secrets; the mock monitor does not.
        const secretOutputs = fromProgram.find((r) => r.type === args.type && r.name === args.name)?.additionalSecretOutputs ?? [];
        const answered = { ...state };
        for (const key of secretOutputs) if (key in answered) answered[key] = asSecret(answered[key]);
        // The engine returns a remote component's resource outputs as references, which the SDK
        // rebuilds (`new aws.eks.Cluster(name, undefined, { urn })`) and fills from the engine.
        if (args.type === "eks:index:Cluster" && state.eksCluster) {
          Object.assign(answered, eksComponentReferences(args.name, state as { eksCluster: unknown; instanceRoles: unknown[] }));
        }
        return { id: `${args.name}-id`, state: answered };
      },
      call(args) {
        invokes.push(args);
        return invokeResult(args);
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
  // The SDK records a stack trace for every promise it makes (for its leak report): most of an
  // evaluation's time. The program's own errors keep their messages.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    await evaluate();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  async function evaluate() {
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      names.set(args.resource, args.name);
      // A resource rebuilt from a reference in another's outputs is not a registration.
      if ((args.opts as pulumi.CustomResourceOptions).urn) return undefined;
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
    // A program module's exports are the stack's outputs: the engine waits for them, and they
    // come once the program has declared everything (stacks/turns.ts).
    if (result && typeof result === "object" && !pulumi.Resource.isInstance(result)) {
      await Promise.all(Object.values(result).filter((v) => pulumi.Output.isInstance(v)).map((o) => valueOf(o)));
    }
    return {};
  });
  // Registration is asynchronous: a resource's URN resolves once the engine (here the mocks) saw it.
  await Promise.all([...names.keys()].map((r) => valueOf(r.urn)));
  // Outputs register last (a component's `registerOutputs`): let them drain before the next run.
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  }
  const resources = fromProgram.map((r) => ({ ...r, inputs: {}, ...fromEngine.get(`${r.type}::${r.name}`) }));
  return { result, resources, invokes, states };
}

function providerNames(opts: pulumi.ComponentResourceOptions, names: Map<pulumi.Resource, string>): string[] {
  const many = opts.providers ? (Array.isArray(opts.providers) ? opts.providers : Object.values(opts.providers)) : [];
  return [...(opts.provider ? [opts.provider] : []), ...many].map((p) => names.get(p as pulumi.Resource) ?? "<unknown>");
}

/** The config a stack runs with: the project's defaults from Pulumi.yaml under the stack file. */
export function stackConfig(stack: string): Record<string, unknown> {
  return readStackConfig(join(__dirname, "..", ".."), stack);
}

/**
 * The timeout of a test that evaluates a whole stack twice: a few CPU-seconds, which a machine at
 * load 10 on 2 cores can stretch past jest's default.
 */
export const TWO_EVALUATIONS = 180_000;

/** A stack file's workload clusters, all on the mesh network `fleet`. */
export function oneNetwork(config: Record<string, unknown>): Record<string, unknown>[] {
  return (config["platform:clusters"] as Record<string, unknown>[]).map((c) => (c.role === "workload" ? { ...c, network: "fleet" } : c));
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

function asSecret(value: unknown): unknown {
  const wrapped = value as Record<string, unknown> | undefined;
  return wrapped && typeof wrapped === "object" && wrapped[SIG_KEY] === SECRET_SIG ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** The value inside a secret input as the engine received it; fails if the input was not secret. */
export function secretValue(input: unknown): any {
  const wrapped = input as Record<string, unknown> | undefined;
  if (!wrapped || typeof wrapped !== "object" || !Object.values(wrapped).includes(SECRET_SIG)) {
    throw new Error(`expected a secret input, got ${JSON.stringify(input)?.slice(0, 80)}`);
  }
  return wrapped.value;
}

/** Where in `value` a secret wrapper sits (dotted paths from `path`). */
export function secretPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Object.values(record).includes(SECRET_SIG)) return [path];
    return Object.entries(record).flatMap(([k, v]) => secretPaths(v, `${path}.${k}`));
  }
  return [];
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
