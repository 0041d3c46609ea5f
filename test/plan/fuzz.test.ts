import fc from "fast-check";
import { planFleet, PlanError } from "../../plan";

// 2,000+ generated configs, valid and malformed: the plan either comes out whole or is refused
// with problems that each name their key; never a crash, never a raw stack trace.
const kindCluster = fc.record({
  name: fc.constantFrom("mgmt", "west", "east", "north", "south"),
  provider: fc.constant("kind"),
  slot: fc.option(fc.nat(20), { nil: undefined }),
  nodes: fc.record({ workers: fc.nat(4) }),
});
const eksCluster = fc.record({
  name: fc.constantFrom("hub", "us", "eu", "ap", "sa"),
  provider: fc.constant("eks"),
  region: fc.constantFrom("us-west-2", "us-east-1", "eu-west-1"),
  slot: fc.option(fc.nat(20), { nil: undefined }),
});
const fleet = fc.oneof(fc.array(kindCluster, { minLength: 1, maxLength: 5 }), fc.array(eksCluster, { minLength: 1, maxLength: 5 })).map((clusters) => ({
  environment: "fuzz",
  eks: { publicAccessCidrs: ["203.0.113.0/24"] },
  clusters: clusters.map((c, i) => ({ ...c, role: i === 0 ? "management" : "workload" })),
}));

type Path = (string | number)[];
/** Every path into a config, so that a mutation can land anywhere. */
function paths(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [at];
  return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, Array.isArray(value) ? Number(k) : k]))];
}
function setAt(root: any, path: Path, value: unknown): void {
  if (path.length === 0) return;
  const parent = path.slice(0, -1).reduce((node, key) => node?.[key], root);
  if (parent !== null && typeof parent === "object") {
    if (value === undefined) delete parent[path.at(-1)!];
    else parent[path.at(-1)!] = value;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("value"), value: fc.anything({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant("delete") }),
  fc.record({ kind: fc.constant("cidr"), value: fc.constantFrom("10.0.0.0", "10.0.0.1/16", "300.1.1.0/24", "10.0.0.0/40", "", "10.96.0.0/12") }),
  fc.record({ kind: fc.constant("unknown-key"), value: fc.constantFrom("podCIDR", "meshh", "regoin", "nodess", "x") }),
);

function check(input: unknown): void {
  let error: unknown;
  try {
    const plan = planFleet(input);
    expect(plan.clusters.length).toBeGreaterThan(0);
    expect(plan.clusters.filter((c) => c.role === "management")).toHaveLength(1);
    return;
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PlanError);
  const problems = (error as PlanError).problems;
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(p.key.length).toBeGreaterThan(0);
    expect(p.message.startsWith(p.key)).toBe(true);
  }
}

test("valid fleets, mutated anywhere (values, deletions, CIDRs, unknown keys): a plan or keyed problems", () => {
  fc.assert(
    fc.property(fleet, fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }), (input, mutations) => {
      const config = structuredClone(input) as any;
      for (const [pick, m] of mutations) {
        const all = paths(config).filter((p) => p.length > 0);
        const path = all[pick % all.length];
        if (m.kind === "value") setAt(config, path, m.value);
        else if (m.kind === "delete") setAt(config, path, undefined);
        else if (m.kind === "cidr") setAt(config, [...path.slice(0, -1), "serviceCidr"], m.value);
        else setAt(config, [...path.slice(0, -1), m.value], "surprise");
      }
      check(config);
    }),
    { numRuns: 1500 },
  );
});

test("anything at all as a config, or as a cluster: keyed problems", () => {
  fc.assert(
    fc.property(fc.anything({ maxDepth: 3 }), (anything) => {
      check(anything);
      check({ environment: "fuzz", clusters: [anything] });
    }),
    { numRuns: 500 },
  );
});

test("a key that is no plain name is quoted in the problem (found by this fuzzing)", () => {
  let problems: readonly { key: string; message: string }[] = [];
  try {
    planFleet({ environment: "fuzz", clusters: [{ name: "a", role: "management", provider: "kind" }], "": 1, "a b": 2 });
  } catch (e) {
    problems = (e as PlanError).problems;
  }
  expect(problems.map((p) => p.message)).toEqual(['[""]: unknown key', '["a b"]: unknown key']);
});
