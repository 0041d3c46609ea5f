import { execFileSync } from "child_process";
import { readFileSync, writeFileSync } from "fs";
import { cpus, totalmem } from "os";
import { dirname, join } from "path";
import { projectNodeArgs } from "../offline/config";
import { FLEETS } from "./fleets";
import { docsBlock, LABEL, type Run, withBlock } from "./table";

/**
 * `npm run bench`: evaluates generated prod-like fleets of 3 to 99 workload clusters, and a large
 * kind fleet, each in its own process; prints evaluation time, peak memory, resources per cluster
 * by type, and the deployment's critical path against its bounds. The fleets of 50 and more are
 * evaluated again with the SDK's stack traces, and once more as the language host runs the
 * program. `-- --write-docs` rewrites the table of docs/performance.md with these figures.
 */
/** Fleets this large are also measured with stack traces, this many times. */
const TRACED_FROM = 50;
const TRACED_RUNS = 3;

/**
 * What the language host loads before the program (`@pulumi/pulumi/cmd/run` imports it): every
 * stack trace is then formatted through source maps.
 */
const HOST_PRELOAD = require.resolve("source-map-support/register", { paths: [dirname(require.resolve("@pulumi/pulumi/package.json"))] });

/** The flags `pulumi up` and `pulumi preview` start the program's node with. */
const NODE_ARGS = projectNodeArgs(join(__dirname, "..", "..", ".."));

/** How a fleet is evaluated: without stack traces, with them, or with them as the language host formats them. */
type Mode = "untraced" | "traced" | "host";

function run(stack: "dev" | "prod", size: number, mode: Mode): Run {
  // The SDK records a stack trace for every promise it makes (for leak reports): half the time of
  // an evaluation. Without traces, errors still carry their messages.
  const flags = ["--max-old-space-size=4096", ...NODE_ARGS, ...(mode === "untraced" ? ["--stack-trace-limit=0"] : []), ...(mode === "host" ? ["-r", HOST_PRELOAD] : [])];
  const out = execFileSync(process.execPath, [...flags, join(__dirname, "one.js"), stack, String(size)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as Run;
}

const runs = FLEETS.map(([stack, size]) => {
  const measured = run(stack, size, "untraced");
  if (stack !== "prod" || size < TRACED_FROM || measured.refused) return measured;
  // This machine's speed drifts from minute to minute: the traced figure, nearest its
  // budget, is the median of a few runs, printed with their range.
  const traced = Array.from({ length: TRACED_RUNS }, () => run(stack, size, "traced")).sort((a, b) => a.seconds! - b.seconds!);
  const median = traced[Math.floor(TRACED_RUNS / 2)];
  const host = run(stack, size, "host");
  return {
    ...measured,
    withTraces: { seconds: median.seconds!, peakMiB: median.peakMiB!, range: [traced[0].seconds!, traced[TRACED_RUNS - 1].seconds!] as [number, number] },
    underHost: { seconds: host.seconds!, peakMiB: host.peakMiB! },
  };
});
const pad = (rows: string[][]) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((v, i) => v.padEnd(widths[i])).join("  ")).join("\n");
};
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} with Pulumi.yaml's \`${NODE_ARGS.join(" ") || "no node flags"}\``;
console.log(`# bench on ${machine}\n`);
console.log(
  pad([
    ["fleet", "clusters", "connectivity", "evaluate s", "peak MiB", "resources", "per cluster", "critical min", "lower bound", "× bound", "sequential", "traced s", "traced MiB", "host s", "host MiB"],
    ...runs.map((r) =>
      r.refused
        ? [`${LABEL[r.stack]} 1+${r.size}`, "-", "-", "refused by the plan:", r.refused.join("; "), "", "", "", "", "", "", "", "", "", ""]
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
            r.withTraces ? `${r.withTraces.seconds.toFixed(1)} (${r.withTraces.range!.map((v) => v.toFixed(1)).join("–")})` : "-",
            r.withTraces?.peakMiB.toFixed(0) ?? "-",
            r.underHost?.seconds.toFixed(1) ?? "-",
            r.underHost?.peakMiB.toFixed(0) ?? "-",
          ],
    ),
  ]),
);
for (const r of runs.filter((x) => x.byType)) {
  const top = Object.entries(r.byType!).sort(([, a], [, b]) => b - a).slice(0, 6);
  console.log(`\n${LABEL[r.stack]} 1+${r.size}, per cluster: ${top.map(([t, n]) => `${(n / r.clusters!).toFixed(1)} ${t}`).join(", ")}`);
}
if (process.argv.includes("--write-docs")) {
  const path = join(__dirname, "..", "..", "..", "docs", "performance.md");
  writeFileSync(path, withBlock(readFileSync(path, "utf8"), docsBlock(runs, machine)));
  console.log(`\nwrote the table of ${path}`);
}
