import { planFleet, PlanError, type Problem } from "../../plan";

/** The problems a plan is refused with (fails the test if it is accepted). */
export function problemsOf(input: unknown): readonly Problem[] {
  try {
    planFleet(input);
  } catch (error) {
    if (error instanceof PlanError) return error.problems;
    throw error;
  }
  throw new Error("the plan was accepted");
}

export const kind = (name: string, role = "workload", extra: Record<string, unknown> = {}) => ({
  name,
  role,
  provider: "kind",
  ...extra,
});
export const eks = (name: string, region: string, role = "workload", extra: Record<string, unknown> = {}) => ({
  name,
  role,
  provider: "eks",
  region,
  ...extra,
});
export const fleet = (...clusters: unknown[]) => ({ environment: "test", clusters, eks: { publicAccessCidrs: ["203.0.113.0/24"] } });
