import { performance } from "perf_hooks";
import { planFleet, PlanError } from "../../plan";
import { evaluateOffline } from "../offline/evaluate";
import { eksFleet, kindFleet } from "./fleets";
import { deploymentPath } from "./report";

/**
 * One benchmark run, in a process of its own so that its peak memory is its own: evaluates a
 * generated fleet offline and prints a JSON report on stdout.
 */
async function main(stack: "dev" | "prod", size: number): Promise<void> {
  const config = stack === "dev" ? kindFleet(size) : eksFleet(size);
  const fleet = Object.fromEntries(
    Object.entries(config).filter(([k]) => k !== "platform:composition").map(([k, v]) => [k.slice("platform:".length), v]),
  );
  let plan;
  try {
    plan = planFleet(fleet);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    console.log(JSON.stringify({ stack, size, refused: [...new Set(error.problems.map((p) => p.message.split(":")[0]))].slice(0, 3) }));
    return;
  }
  const started = performance.now();
  const declared = await evaluateOffline(stack, config);
  const seconds = (performance.now() - started) / 1000;
  const created = declared.filter((d) => !d.read && !d.type.startsWith("platform:index:"));
  const byType: Record<string, number> = {};
  for (const d of created) byType[d.type] = (byType[d.type] ?? 0) + 1;
  const path = deploymentPath(plan, declared);
  console.log(
    JSON.stringify({
      stack,
      size,
      clusters: plan.clusters.length,
      connectivity: stack === "dev" ? "-" : plan.eksConnectivity,
      seconds,
      peakMiB: process.resourceUsage().maxRSS / 1024,
      resources: created.length,
      byType,
      critical: path.critical.minutes,
      lowerBound: path.lowerBound.minutes,
      sequential: path.sequential,
    }),
  );
}

main(process.argv[2] as "dev" | "prod", Number(process.argv[3])).catch((error) => {
  console.error(error);
  process.exit(1);
});
