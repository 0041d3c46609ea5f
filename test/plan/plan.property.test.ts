import fc from "fast-check";
import { ClusterPlan, planFleet, PlanError } from "../../plan";

// Independent oracle: plain integer arithmetic, not the CIDR library the planner uses.
function bounds(cidr: string): [number, number] {
  const [address, bits] = cidr.split("/");
  const base = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [base, base + 2 ** (32 - Number(bits)) - 1];
}
const intersect = (a: string, b: string) => {
  const [a0, a1] = bounds(a);
  const [b0, b1] = bounds(b);
  return a0 <= b1 && b0 <= a1;
};
const within = (outer: string, inner: string) => {
  const [o0, o1] = bounds(outer);
  const [i0, i1] = bounds(inner);
  return o0 <= i0 && i1 <= o1;
};

/** Every range a planned cluster owns, with the field it came from. */
function rangesOf(c: ClusterPlan): { field: string; cidr: string }[] {
  return c.provider === "kind"
    ? [
        { field: "podCidr", cidr: c.podCidr },
        { field: "serviceCidr", cidr: c.serviceCidr },
        { field: "lbCidr", cidr: c.lbCidr },
      ]
    : [
        { field: "vpcCidr", cidr: c.vpcCidr },
        { field: "serviceCidr", cidr: c.serviceCidr },
      ];
}

const REGIONS = ["us-west-2", "us-east-1", "eu-west-1", "ap-southeast-2"];

const clusterArb = fc.oneof(
  fc.record({
    provider: fc.constant("kind" as const),
    nodes: fc.record({ controlPlanes: fc.integer({ min: 1, max: 3 }), workers: fc.integer({ min: 0, max: 6 }) }),
  }),
  fc.record({
    provider: fc.constant("eks" as const),
    region: fc.constantFrom(...REGIONS),
    nodes: fc.record({ maxSize: fc.integer({ min: 1, max: 50 }), maxPodsPerNode: fc.integer({ min: 10, max: 110 }) }).map((n) => ({ ...n, minSize: 1, desiredSize: 1 })),
  }),
);

/** A fleet of 1..12 clusters with auto-allocated ranges, the first one managing. */
const fleetArb = fc.array(clusterArb, { minLength: 1, maxLength: 12 }).map((clusters) => ({
  environment: "prop",
  // Region quotas raised as an account with many clusters would have them.
  eks: { publicAccessCidrs: ["203.0.113.0/24"], quotas: { vpcsPerRegion: 20, elasticIpsPerRegion: 20, resolverEndpointsPerRegion: 21 } },
  clusters: clusters.map((c, i) => ({
    ...c,
    name: `c${i}`,
    role: i === 0 ? "management" : "workload",
    ...(c.provider === "eks" ? { nodes: { ...c.nodes, minSize: 1, desiredSize: 1 } } : {}),
  })),
}));

const RUNS = { numRuns: 500 };

test("auto-allocated fleets always plan, with no two ranges overlapping", () => {
  fc.assert(
    fc.property(fleetArb, (input) => {
      const plan = planFleet(input);
      const all = plan.clusters.flatMap((c) => rangesOf(c).map((r) => ({ ...r, cluster: c.name })));
      const violations: string[] = [];
      all.forEach((a, i) => {
        all.slice(0, i).forEach((b) => intersect(a.cidr, b.cidr) && violations.push(`${a.cidr} ∩ ${b.cidr}`));
        const inKindNet = within(plan.kindNetworkCidr, a.cidr);
        if (!inKindNet && intersect(plan.kindNetworkCidr, a.cidr)) violations.push(`${a.cidr} straddles the kind network`);
        if (inKindNet !== (a.field === "lbCidr")) violations.push(`${a.field} ${a.cidr} on the wrong side of the kind network`);
      });
      expect(violations).toEqual([]);
    }),
    RUNS,
  );
});

test("appending a cluster never moves an existing cluster's ranges", () => {
  fc.assert(
    fc.property(fleetArb, clusterArb, (input, extra) => {
      const before = planFleet(input);
      const appended = {
        ...input,
        clusters: [...input.clusters, { ...extra, name: "appended", role: "workload" }],
      };
      const after = planFleet(appended);
      expect(after.clusters.slice(0, -1).map(rangesOf)).toEqual(before.clusters.map(rangesOf));
    }),
    RUNS,
  );
});

/** Random explicit ranges: whatever the planner accepts, the oracle finds disjoint. */
test("explicit ranges: a plan is accepted only if no two ranges overlap, and each overlap is reported", () => {
  // Aligned blocks of mixed sizes in a small space, so that overlaps are frequent.
  const block = fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(14, 15, 16, 17), fc.boolean())
    .map(([n, bits, high]) => `10.${64 + n * 4}.${bits === 17 && high ? 128 : 0}.0/${bits}`);
  fc.assert(
    fc.property(
      fc.array(fc.record({ podCidr: fc.option(block, { nil: undefined }) }), { minLength: 2, maxLength: 6 }),
      (explicit) => {
        const input = {
          environment: "prop",
          clusters: explicit.map((e, i) => ({
            name: `c${i}`,
            role: i === 0 ? "management" : "workload",
            provider: "kind",
            ...(e.podCidr ? { podCidr: e.podCidr } : {}),
          })),
        };
        const given = explicit.flatMap((e, i) => (e.podCidr ? [{ i, cidr: e.podCidr }] : []));
        const clashes = given.flatMap((a) => given.filter((b) => b.i < a.i && intersect(a.cidr, b.cidr)).map((b) => [a, b]));
        try {
          const plan = planFleet(input);
          expect(clashes).toEqual([]);
          const pods = plan.clusters.map((c) => c.podCidr);
          expect(pods.filter((p, i) => pods.slice(0, i).some((q) => intersect(p, q)))).toEqual([]);
        } catch (error) {
          if (!(error instanceof PlanError)) throw error;
          for (const [a, b] of clashes) {
            expect(error.message).toContain(`clusters[${a.i}].podCidr ${a.cidr} (c${a.i}) overlaps clusters[${b.i}].podCidr ${b.cidr} (c${b.i})`);
          }
          for (const p of error.problems) expect(p.message.startsWith(p.key)).toBe(true);
        }
      },
    ),
    RUNS,
  );
});

type Mutation = { apply: (input: any, plan: ReturnType<typeof planFleet>) => string };

/** Faults injected into a valid fleet, each returning the config key the error must name. */
const mutations = (size: number) => {
  const index = fc.integer({ min: 1, max: Math.max(1, size - 1) });
  return fc.oneof(
    index.map((j): Mutation => ({
      apply: (input) => {
        input.clusters[j].name = input.clusters[j - 1].name;
        return `clusters[${j}].name`;
      },
    })),
    fc.tuple(index, fc.constantFrom("serviceCidr", "own")).map(([j, which]): Mutation => ({
      apply: (input, plan) => {
        // Claim a range an earlier cluster already holds.
        const field = which === "own" ? (input.clusters[j].provider === "kind" ? "podCidr" : "vpcCidr") : "serviceCidr";
        input.clusters[j][field] = plan.clusters[j - 1].serviceCidr;
        return `clusters[${j}].${field}`;
      },
    })),
    fc.tuple(index, fc.constantFrom("10.0.0.0", "10.0.0.1/16", "a.b.c.d/8", "10.0.0.0/40", "")).map(([j, bad]): Mutation => ({
      apply: (input) => {
        input.clusters[j].serviceCidr = bad;
        return `clusters[${j}].serviceCidr`;
      },
    })),
    index.map((j): Mutation => ({
      apply: (input) => {
        input.clusters[j] = { ...input.clusters[j], provider: "eks", region: "moon-1", nodes: undefined };
        return `clusters[${j}].region`;
      },
    })),
    index.map((j): Mutation => ({
      apply: (input) => {
        input.clusters[j].role = "management";
        return "clusters";
      },
    })),
    index.map((j): Mutation => ({
      apply: (input) => {
        input.clusters[j].provider = "gke";
        return `clusters[${j}].provider`;
      },
    })),
  );
};

test("every invalid plan is refused with a message naming the offending key", () => {
  fc.assert(
    fc.property(
      fleetArb.filter((f) => f.clusters.length >= 2).chain((f) => fc.tuple(fc.constant(f), mutations(f.clusters.length))),
      ([input, mutation]) => {
        const plan = planFleet(input);
        const broken = structuredClone(input) as any;
        const key = mutation.apply(broken, plan);
        let error: unknown;
        try {
          planFleet(broken);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(PlanError);
        const problems = (error as PlanError).problems;
        expect(problems.map((p) => p.key)).toContain(key);
        for (const p of problems) expect(p.message.startsWith(p.key)).toBe(true);
      },
    ),
    RUNS,
  );
});
