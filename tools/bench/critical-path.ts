import type { Declared } from "../offline/evaluate";

export interface PathReport {
  /** The longest chain of waits the program declares, in minutes, and its resources. */
  critical: { minutes: number; path: string[] };
  /** Everything one after another: the module's step-by-step procedure. */
  sequential: number;
  /** The slowest single cluster's own chain: no plan for the whole fleet can be faster. */
  lowerBound: { minutes: number; cluster: string };
}

/**
 * The critical path of a deployment from the dependency graph the program declares: a resource
 * starts once everything it waits for is done (its `dependsOn`, its provider, the resources its
 * inputs carry outputs of; waiting for a component is waiting for all it contains).
 */
export function criticalPath(
  declared: readonly Declared[],
  duration: (d: Declared) => number,
  clusterOf: (d: Declared) => string | undefined,
  /** A wait that belongs to a cluster's own chain though it crosses to another: the host's limits. */
  unavoidable: (d: Declared) => boolean = () => false,
): PathReport {
  const keyOf = (d: Declared) => `${d.type}::${d.name}`;
  const byKey = new Map(declared.map((d) => [keyOf(d), d]));
  const componentKey = new Map(declared.filter((d) => d.type.startsWith("platform:index:")).map((d) => [d.name, keyOf(d)]));
  const children = new Map<string, string[]>();
  for (const d of declared) {
    const parent = d.parent && componentKey.get(d.parent);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), keyOf(d)]);
  }
  // Computed once each: a fleet of a hundred clusters has ten thousand resources to walk a hundred times.
  const below = new Map<string, string[]>();
  const descendants = (key: string): string[] => {
    if (!below.has(key)) below.set(key, (children.get(key) ?? []).flatMap((c) => [c, ...descendants(c)]));
    return below.get(key)!;
  };
  const waits = new Map<Declared, string[]>();
  const waitsFor = (d: Declared): string[] => {
    if (!waits.has(d)) {
      const all = d.dependsOn.flatMap((k) => (byKey.get(k)?.type.startsWith("platform:index:") ? descendants(k) : [k]));
      waits.set(d, all.filter((k) => byKey.has(k) && k !== keyOf(d)));
    }
    return waits.get(d)!;
  };

  const longest = (nodes: readonly Declared[]) => {
    const within = new Set(nodes.map(keyOf));
    const finish = new Map<string, { at: number; via?: string }>();
    const visit = (name: string, stack: Set<string>): number => {
      const known = finish.get(name);
      if (known) return known.at;
      if (stack.has(name)) throw new Error(`a dependency cycle through ${name}`);
      stack.add(name);
      const d = byKey.get(name)!;
      let start = 0;
      let via: string | undefined;
      for (const dep of waitsFor(d).filter((k) => within.has(k) || unavoidable(byKey.get(k)!))) {
        const at = visit(dep, stack);
        if (at > start) [start, via] = [at, dep];
      }
      stack.delete(name);
      const at = start + duration(d);
      finish.set(name, { at, via });
      return at;
    };
    let end = { at: 0, name: "" };
    for (const d of nodes) {
      const at = visit(keyOf(d), new Set());
      if (at > end.at) end = { at, name: keyOf(d) };
    }
    const path: string[] = [];
    for (let at: string | undefined = end.name; at; at = finish.get(at)?.via) path.unshift(byKey.get(at)!.name);
    return { minutes: end.at, path };
  };

  const critical = longest(declared);
  const owner = new Map(declared.map((d) => [d, clusterOf(d)]));
  const clusters = [...new Set(owner.values())].filter((c): c is string => c !== undefined);
  const perCluster = clusters.map((cluster) => ({ cluster, minutes: longest(declared.filter((d) => owner.get(d) === cluster)).minutes }));
  const lowerBound = perCluster.reduce((a, b) => (b.minutes > a.minutes ? b : a), { cluster: "", minutes: 0 });
  const sequential = declared.reduce((sum, d) => sum + duration(d), 0);
  return { critical, sequential, lowerBound };
}
