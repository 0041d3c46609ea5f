import type { FleetPlan } from "../../plan";
import type { Declared } from "../offline/evaluate";
import { clusterOf } from "../plan-view/view";
import { criticalPath, type PathReport } from "./critical-path";
import { minutes } from "./durations";

/** The critical path of a stack's deployment, with resources attributed to their clusters. */
export function deploymentPath(plan: FleetPlan, declared: readonly Declared[]): PathReport {
  const parents = new Map(declared.map((d) => [d.name, d]));
  const byKey = new Map(declared.map((d) => [`${d.type}::${d.name}`, d]));
  // Objects in the Karmada API belong to the management cluster that serves it; a wait made for
  // one cluster (a readiness check) belongs to the cluster of what it waits for.
  const cluster = (d: Declared): string | undefined => {
    const at = clusterOf(d, plan, parents);
    if (at === "Karmada API") return plan.management.name;
    if (at !== "fleet") return at;
    const owners = new Set(d.dependsOn.flatMap((k) => (byKey.has(k) ? [clusterOf(byKey.get(k)!, plan, parents)] : [])));
    return owners.size === 1 && ![...owners][0].match(/^(fleet|Karmada API)$/) ? [...owners][0] : undefined;
  };
  // Booting no more kind clusters at once than the host can (kind.maxParallelCreates) is the
  // host's limit: a cluster's own chain includes waiting for an earlier boot.
  const boot = (d: Declared) => d.type === "command:local:Command" && /-cluster$/.test(d.name) || d.name === "kind-network-ensure";
  return criticalPath(declared, minutes, cluster, boot);
}

export function formatPath(report: PathReport): string {
  const ratio = report.critical.minutes / report.lowerBound.minutes;
  return [
    `critical path    ${report.critical.minutes.toFixed(1)} min (${ratio.toFixed(2)} × the lower bound)`,
    `lower bound      ${report.lowerBound.minutes.toFixed(1)} min (the ${report.lowerBound.cluster} cluster's own chain)`,
    `one after another ${report.sequential.toFixed(1)} min`,
    `path: ${report.critical.path.join(" → ")}`,
  ].join("\n");
}
