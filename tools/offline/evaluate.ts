import * as pulumi from "@pulumi/pulumi";
import { placeholderInvoke, placeholderOutputs } from "./placeholders";

/** A resource the program declares, as the plan view shows it. */
export interface Declared {
  type: string;
  name: string;
  /** Name of its parent component, if any. */
  parent?: string;
  /** Name of the provider it names explicitly, if any. */
  providerName?: string;
  /**
   * What it waits for, as `type::name` (names repeat across types): `dependsOn`, its provider,
   * and the resources whose outputs its inputs carry.
   */
  dependsOn: string[];
  /** Read back (an object a chart made, a remote component's outputs), not created. */
  read: boolean;
  /** A Helm release's chart. */
  chart?: string;
}

/** The register request as the mock monitor receives it (what the engine would get). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getProvider(): string;
}

/** `type::name` of a URN (its type is the last of the type chain). */
const keyOfUrn = (urn: string) => {
  const [, , chain, name] = urn.split("::");
  return `${chain.split("$").pop()}::${name}`;
};

/**
 * Evaluates the program for a stack under Pulumi's mocks, with `config` as the stack's config:
 * what `pulumi preview` would register, without the CLI, credentials or clusters.
 */
export async function evaluateOffline(stack: string, config: Record<string, unknown>): Promise<Declared[]> {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...placeholderOutputs(args) } }),
      call: (args) => placeholderInvoke(args),
    },
    "platform",
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
  // The engine learns a resource's dependencies (explicit and carried by inputs) from its register
  // request: listen there, as the engine would.
  const monitor = (pulumi.runtime as unknown as { getMonitor(): { registerResource(req: RegisterRequest, cb: unknown): unknown } }).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  const dependencies = new Map<string, string[]>();
  monitor.registerResource = (req, callback) => {
    // A provider reference is `<urn>::<id>`: the resource waits for its provider too.
    const provider = req.getProvider() ? [keyOfUrn(req.getProvider().split("::").slice(0, -1).join("::"))] : [];
    dependencies.set(`${req.getType()}::${req.getName()}`, [...req.getDependenciesList().map(keyOfUrn), ...provider]);
    return register(req, callback);
  };
  const names = new Map<pulumi.Resource, string>();
  const declared: Omit<Declared, "dependsOn">[] = [];
  const seen = new Set<string>();
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      names.set(args.resource, args.name);
      const opts = args.opts as pulumi.CustomResourceOptions;
      // A remote component's outputs rehydrated by reference are not registrations.
      if (!opts.urn && !seen.has(`${args.type}::${args.name}`)) {
        seen.add(`${args.type}::${args.name}`);
        declared.push({
          type: args.type,
          name: args.name,
          parent: args.opts.parent ? names.get(args.opts.parent) : undefined,
          providerName: opts.provider ? names.get(opts.provider) : undefined,
          read: opts.id !== undefined,
          ...(typeof args.props.chart === "string" ? { chart: args.props.chart } : {}),
        });
      }
      return undefined;
    });
    const { composeStack } = await import("../../stacks");
    await composeStack();
    return {};
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return declared
    .filter((d) => d.type !== "pulumi:pulumi:Stack")
    .map((d) => ({ ...d, dependsOn: dependencies.get(`${d.type}::${d.name}`) ?? [] }));
}
