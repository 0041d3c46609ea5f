import { planFleet } from "../../plan";
import { eksFleet } from "../../tools/bench/fleets";
import { problemsOf } from "./fleets";

// The largest fleets the benchmark evaluates (docs/performance.md): the API endpoints admit the
// operators' range alone, so the fleet's size no longer counts against EKS's 40 public ranges.
const fleet = (n: number, quotas: Record<string, number> = {}) => {
  const config = Object.fromEntries(Object.entries(eksFleet(n)).map(([k, v]) => [k.slice("platform:".length), v])) as Record<string, { quotas?: object }>;
  return { ...config, eks: { ...config.eks, quotas: { ...config.eks.quotas, ...quotas } } };
};

test("1+99 EKS clusters in five regions plan with one operator range, through Transit Gateways", () => {
  const plan = planFleet(fleet(99));
  expect(plan.clusters).toHaveLength(100);
  expect(plan.eksConnectivity).toBe("transitGateway");
  expect(plan.eks.publicAccessCidrs).toEqual(["203.0.113.0/24"]);
});

test("with AWS's default of 4 Resolver endpoints per region, 1+99 is refused region by region, keyed", () => {
  const problems = problemsOf(fleet(99, { resolverEndpointsPerRegion: 4 }));
  expect(problems.map((p) => p.key)).toEqual(Array(5).fill("eks.quotas.resolverEndpointsPerRegion"));
  // The management cluster's region holds it and 19 others: 20 inbound endpoints, one outbound.
  expect(problems[0].message).toBe(
    "eks.quotas.resolverEndpointsPerRegion 4 is below the 21 Route 53 Resolver endpoints that private API endpoints need (one inbound per VPC, one outbound) in us-west-2 (AWS's default quota is 4: have it raised, then set this key)",
  );
});
