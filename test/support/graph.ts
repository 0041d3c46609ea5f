import * as pulumi from "@pulumi/pulumi";
import { oneNetwork, plain, runProgram, stackConfig } from "./harness";

/** One resource as the engine keys it: its URN (the whole chain of parent types), and the URNs it answers to. */
export interface GraphNode {
  urn: string;
  /** Its own aliases and those inherited from its parents' aliases, as URNs. */
  aliases: string[];
  /** The aliases the program gave this resource itself. */
  ownAliases: string[];
  /** Inputs as the engine received them, secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** Name of its explicit provider. */
  provider?: string;
  dependsOn: string[];
}

/** The stacks the tests evaluate whole: dev and prod, in both mesh modes. */
export const STACK_CASES = [
  ["dev", "sidecar"],
  ["dev", "ambient"],
  ["prod", "sidecar"],
  ["prod", "ambient"],
] as const;

/** The real stack file with the mesh mode set, and for prod the settings its set-up adds. */
export function caseConfig(stack: "dev" | "prod", mode: "sidecar" | "ambient"): Record<string, unknown> {
  const config = stackConfig(stack);
  config["platform:mesh"] = { mode };
  // Ambient on EKS only with every workload cluster on one network (the plan refuses the rest).
  if (stack === "prod" && mode === "ambient") config["platform:clusters"] = oneNetwork(config);
  if (stack === "prod") {
    config["platform:eks"] = {
      publicAccessCidrs: ["203.0.113.0/24"],
      adminRoleArn: "arn:aws:iam::123456789012:role/platform-admins",
      awsProfile: "platform-prod",
    };
  }
  return config;
}

interface Registration {
  type: string;
  name: string;
  parent?: pulumi.Resource;
  aliases: pulumi.Input<pulumi.URN | pulumi.Alias>[];
}

const valueOf = <T>(input: pulumi.Input<T>): Promise<T> => new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));
const typeChain = (urn: string) => urn.split("::")[2];
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * Evaluates the whole program (`stacks/`) under mocks and returns its resources keyed the way the
 * engine keys them. Alias inheritance follows Pulumi's rule: a child whose name starts with its
 * parent's name answers to every alias of its parent, with that prefix renamed.
 */
export async function recordGraph(
  stack: "dev" | "prod",
  config: Record<string, unknown>,
  /** What providers answered in an earlier run, by `type::name`: the same answers again (keys, certificates). */
  feed?: Map<string, Record<string, unknown>>,
): Promise<GraphNode[] & { states: Map<string, Record<string, unknown>> }> {
  const registrations = new Map<pulumi.Resource, Registration>();
  const run = await runProgram({
    stack,
    config,
    outputs: feed ? (args) => feed.get(`${args.type}::${args.name}`) : undefined,
    program: async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        // Resources rehydrated from a reference (`opts.urn`) are not registrations.
        if (!(args.opts as pulumi.CustomResourceOptions).urn) {
          registrations.set(args.resource, { type: args.type, name: args.name, parent: args.opts.parent, aliases: args.opts.aliases ?? [] });
        }
        return undefined;
      });
      const { composeStack } = await import("../../stacks");
      return composeStack();
    },
  });
  const prefix = `urn:pulumi:${stack}::platform::`;
  const urns = new Map<pulumi.Resource, string>();
  const aliases = new Map<pulumi.Resource, string[]>();
  const ownAliases = new Map<pulumi.Resource, string[]>();
  const urnOf = (r: Registration, parentUrn?: string) => `${prefix}${parentUrn ? `${typeChain(parentUrn)}$` : ""}${r.type}::${r.name}`;
  // Parents register before their children, so one pass in order resolves every chain.
  for (const [resource, reg] of registrations) {
    const parentUrn = reg.parent ? urns.get(reg.parent) : undefined;
    urns.set(resource, urnOf(reg, parentUrn));
    const own = await Promise.all(
      reg.aliases.map(async (input) => {
        const alias = await valueOf(input);
        if (typeof alias === "string") return alias;
        const parent = alias.parent === undefined ? parentUrn : await valueOf(alias.parent as pulumi.Input<string>);
        return urnOf({ ...reg, name: (alias.name as string) ?? reg.name, type: (alias.type as string) ?? reg.type }, parent);
      }),
    );
    const parentName = reg.parent ? registrations.get(reg.parent)?.name : undefined;
    const inherited = (reg.parent ? aliases.get(reg.parent) ?? [] : []).map((parentAlias) =>
      urnOf({ ...reg, name: parentName && reg.name.startsWith(parentName) ? nameOf(parentAlias) + reg.name.slice(parentName.length) : reg.name }, parentAlias),
    );
    aliases.set(resource, [...own, ...inherited]);
    ownAliases.set(resource, own);
  }
  const nodes = new Map([...registrations].map(([resource, reg]) => [`${reg.type}::${reg.name}`, resource]));
  const graph = run.resources
    .filter((r) => nodes.has(`${r.type}::${r.name}`))
    .map((r) => {
      const resource = nodes.get(`${r.type}::${r.name}`)!;
      return {
        urn: urns.get(resource)!,
        aliases: aliases.get(resource)!,
        ownAliases: ownAliases.get(resource)!,
        inputs: plain(r.inputs),
        provider: r.providers[0],
        dependsOn: r.dependsOn,
      };
    })
    .filter((node, i, all) => all.findIndex((n) => n.urn === node.urn) === i);
  return Object.assign(graph, { states: run.states });
}
