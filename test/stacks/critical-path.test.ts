import { planFleet } from "../../plan";
import { deploymentPath } from "../../tools/bench/report";
import { evaluateOffline, type Declared } from "../../tools/offline/evaluate";
import { caseConfig } from "../support/graph";
import { withoutStackTraces } from "../support/quiet";

// The deployment's critical path, from the dependency graph the program really declares, under
// the duration model of tools/bench/durations.ts. A needless wait that serializes what could run
// side by side lengthens it past 1.15 × the slowest cluster's own chain, and fails here.
const plans = (stack: "dev" | "prod", settings: Record<string, unknown> = {}) => {
  const config = { ...caseConfig(stack, "sidecar"), ...settings };
  const fleet = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("platform:") && k !== "platform:composition").map(([k, v]) => [k.slice(9), v]));
  return { config, plan: planFleet(fleet) };
};

// One evaluation per stack and settings, shared by the tests that read it (none changes it).
const evaluations = new Map<string, Promise<Declared[]>>();
const evaluate = (stack: "dev" | "prod", config: Record<string, unknown>) => {
  const key = JSON.stringify([stack, config]);
  if (!evaluations.has(key)) evaluations.set(key, withoutStackTraces(() => evaluateOffline(stack, config)));
  return evaluations.get(key)!;
};

// Budgets a little above today's paths: a needless wait inside the slowest cluster's own chain
// raises both numbers, the ratio does not see it; the budget does.
const CASES = [
  ["dev", {}, 12],
  ["prod", {}, 25.5],
  ["prod", { "platform:eks": { publicAccessCidrs: ["203.0.113.0/24"], connectivity: "transitGateway" } }, 25.5],
] as const;

describe.each(CASES)("%s %j", (stack, settings, budget) => {
  let declared: Declared[];
  let plan: ReturnType<typeof planFleet>;
  beforeAll(async () => {
    const p = plans(stack, settings);
    plan = p.plan;
    declared = await evaluate(stack, p.config);
  });

  test("the fleet deploys within 1.15 × its slowest cluster's own chain, far below one step at a time", () => {
    const report = deploymentPath(plan, declared);
    expect(report.critical.minutes / report.lowerBound.minutes).toBeLessThanOrEqual(1.15);
    expect(report.critical.minutes).toBeLessThanOrEqual(budget);
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

test("on prod, a needless wait inside the management cluster's own chain breaks the budget", async () => {
  const { config, plan } = plans("prod");
  const declared = await evaluate("prod", config);
  // As if Karmada were installed only after monitoring: the ratio cannot see it (both grow).
  const central = "kubernetes:helm.sh/v3:Release::platform-monitoring-central";
  const serialized = declared.map((d) => (d.name === "platform-karmada-release" ? { ...d, dependsOn: [...d.dependsOn, central] } : d));
  const report = deploymentPath(plan, serialized);
  expect(report.critical.minutes / report.lowerBound.minutes).toBeLessThanOrEqual(1.15);
  expect(report.critical.minutes).toBeGreaterThan(CASES[1][2]);
});
