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
}

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
  const names = new Map<pulumi.Resource, string>();
  const declared: Declared[] = [];
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      names.set(args.resource, args.name);
      const opts = args.opts as pulumi.CustomResourceOptions;
      // Read back (an object a chart made, a remote component's outputs): not a declaration.
      if (!opts.urn && !opts.id) {
        declared.push({
          type: args.type,
          name: args.name,
          parent: args.opts.parent ? names.get(args.opts.parent) : undefined,
          providerName: opts.provider ? names.get(opts.provider) : undefined,
        });
      }
      return undefined;
    });
    const { composeStack } = await import("../../stacks");
    composeStack();
    return {};
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return declared.filter((d) => d.type !== "pulumi:pulumi:Stack");
}
