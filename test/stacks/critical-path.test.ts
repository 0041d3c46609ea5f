import { planFleet } from "../../plan";
import { deploymentPath } from "../../tools/bench/report";
import { evaluateOffline, type Declared } from "../../tools/offline/evaluate";
import { caseConfig } from "../support/graph";

// The deployment's critical path, from the dependency graph the program really declares, under
// the duration model of tools/bench/durations.ts. A needless wait that serializes what could run
// side by side lengthens it past 1.15 × the slowest cluster's own chain, and fails here.
const plans = (stack: "dev" | "prod") => {
  const config = caseConfig(stack, "sidecar");
  const fleet = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("platform:") && k !== "platform:composition").map(([k, v]) => [k.slice(9), v]));
  return { config, plan: planFleet(fleet) };
};

describe.each(["dev", "prod"] as const)("%s", (stack) => {
  let declared: Declared[];
  let plan: ReturnType<typeof planFleet>;
  beforeAll(async () => {
    const p = plans(stack);
    plan = p.plan;
    declared = await evaluateOffline(stack, p.config);
  });

  test("the fleet deploys within 1.15 × its slowest cluster's own chain, far below one step at a time", () => {
    const report = deploymentPath(plan, declared);
    expect(report.critical.minutes / report.lowerBound.minutes).toBeLessThanOrEqual(1.15);
    expect(report.sequential).toBeGreaterThan(3 * report.critical.minutes);
  });

  test("a needless wait of the workload clusters for the management plane is caught", () => {
    // As if each workload cluster were made only once Karmada is installed.
    const karmada = "kubernetes:helm.sh/v3:Release::platform-karmada-release";
    const creates = new Set(plan.workloads.flatMap((w) => [`${w.name}-cluster`, `${w.name}-eks`]));
    const serialized = declared.map((d) => (creates.has(d.name) ? { ...d, dependsOn: [...d.dependsOn, karmada] } : d));
    const report = deploymentPath(plan, serialized);
    expect(report.critical.minutes / report.lowerBound.minutes).toBeGreaterThan(1.15);
    expect(report.critical.path).toContain("platform-karmada-release");
  });
});
