import { execFileSync } from "child_process";
import { cpus, totalmem } from "os";
import { join } from "path";

/**
 * `npm run bench`: evaluates generated prod-like fleets of 3, 10, 25, 39 and 50 workload clusters,
 * and a large kind fleet, each in its own process; prints evaluation time, peak memory, resources
 * per cluster by type, and the deployment's critical path against its bounds.
 */
interface Run {
  stack: "dev" | "prod";
  size: number;
  clusters?: number;
  connectivity?: string;
  seconds?: number;
  peakMiB?: number;
  resources?: number;
  byType?: Record<string, number>;
  critical?: number;
  lowerBound?: number;
  sequential?: number;
  refused?: string[];
}

// 1 + 39 is the largest EKS fleet the plan admits (the API endpoints admit the others' NAT addresses: 40 at most).
const FLEETS: ["dev" | "prod", number][] = [["prod", 3], ["prod", 10], ["prod", 25], ["prod", 39], ["prod", 50], ["dev", 12]];
const LABEL = { prod: "EKS", dev: "kind" };

function run(stack: "dev" | "prod", size: number): Run {
  // The SDK records a stack trace for every promise it makes (for leak reports): half the time of
  // an evaluation. Without traces, errors still carry their messages.
  const flags = ["--max-old-space-size=4096", "--stack-trace-limit=0"];
  const out = execFileSync(process.execPath, [...flags, join(__dirname, "one.js"), stack, String(size)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as Run;
}

const runs = FLEETS.map(([stack, size]) => run(stack, size));
const pad = (rows: string[][]) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((v, i) => v.padEnd(widths[i])).join("  ")).join("\n");
};
console.log(`# bench on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
console.log(
  pad([
    ["fleet", "clusters", "connectivity", "evaluate s", "peak MiB", "resources", "per cluster", "critical min", "lower bound", "× bound", "sequential"],
    ...runs.map((r) =>
      r.refused
        ? [`${LABEL[r.stack]} 1+${r.size}`, "-", "-", "refused by the plan:", r.refused.join("; "), "", "", "", "", "", ""]
        : [
            `${LABEL[r.stack]} 1+${r.size}`,
            String(r.clusters),
            r.connectivity!,
            r.seconds!.toFixed(1),
            r.peakMiB!.toFixed(0),
            String(r.resources),
            (r.resources! / r.clusters!).toFixed(1),
            r.critical!.toFixed(1),
            r.lowerBound!.toFixed(1),
            (r.critical! / r.lowerBound!).toFixed(2),
            r.sequential!.toFixed(0),
          ],
    ),
  ]),
);
for (const r of runs.filter((x) => x.byType)) {
  const top = Object.entries(r.byType!).sort(([, a], [, b]) => b - a).slice(0, 6);
  console.log(`\n${LABEL[r.stack]} 1+${r.size}, per cluster: ${top.map(([t, n]) => `${(n / r.clusters!).toFixed(1)} ${t}`).join(", ")}`);
}
