import { planFleet } from "../../plan";
import { eksFleet } from "../../tools/bench/fleets";

// The largest EKS fleet the plan admits, and why a larger one is refused (docs/performance.md).
const fleet = (n: number) => {
  const config = eksFleet(n);
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.slice("platform:".length), v]));
};

test("1+39 EKS clusters plan, through Transit Gateways", () => {
  const plan = planFleet(fleet(39));
  expect(plan.clusters).toHaveLength(40);
  expect(plan.eksConnectivity).toBe("transitGateway");
});

test("1+40 are refused: every API endpoint would admit 41 ranges, EKS takes 40", () => {
  expect(() => planFleet(fleet(40))).toThrow(
    "eks.publicAccessCidrs has 1 ranges, and each cluster also admits the 40 NAT addresses of the other VPCs: 41, over EKS's limit of 40 per cluster",
  );
});
