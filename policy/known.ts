import type { PolicyResource } from "@pulumi/policy";

/**
 * In a preview the engine sends the values it cannot know yet (a new resource's computed outputs,
 * anything derived from them) as sentinels, and @pulumi/policy 1.21 hands policies a proxy that
 * throws `UnknownValueError` when one is read (policy/proxy.js). A policy that lets it escape is
 * reported as an advisory "can't run during preview", whatever its enforcement level: a
 * mandatory policy turns advisory exactly in a stack's first preview. Policies read the known part
 * instead and judge what a preview can know; the engine runs stack policies again after `up`,
 * with every value known.
 */
const isUnknownRead = (e: unknown) => e instanceof Error && e.constructor.name === "UnknownValueError";

/** `value` as plain data without the parts a preview cannot know (object keys and array elements dropped). */
export function knownPart(value: unknown, keep: (key: string) => boolean = () => true): unknown {
  if (typeof value !== "object" || value === null) return value;
  const kept: [string, unknown][] = [];
  for (const key of Object.keys(value).filter(keep)) {
    try {
      kept.push([key, knownPart((value as Record<string, unknown>)[key])]);
    } catch (e) {
      if (!isUnknownRead(e)) throw e;
    }
  }
  return Array.isArray(value) ? kept.map(([, v]) => v) : Object.fromEntries(kept);
}

/** Outputs that the contract makes secret as a whole; Pulumi hands policies secrets unwrapped. */
const SECRET_OUTPUTS = ["kubeconfigs", "karmada", "argocd", "grafana", "readers", "teams"];

const STACK = "pulumi:pulumi:Stack";

/**
 * The stack's resources with only their known props, and the stack's secret outputs left unread:
 * no policy needs them, and unwrapped they would be one more place a credential is copied.
 */
export function knownResources(resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.map((r) => ({
    ...r,
    props: knownPart(r.props, (key) => r.type !== STACK || !SECRET_OUTPUTS.includes(key)) as PolicyResource["props"],
  }));
}
