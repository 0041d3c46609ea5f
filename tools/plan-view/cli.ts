import { copyFileSync, mkdirSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { type FleetPlan, PlanError, planFleet } from "../../plan";
import { readStackConfig } from "../offline/config";
import { evaluateOffline } from "../offline/evaluate";
import { diagramPage, fleetDiagram, networkTable, resourceTree } from "./view";

/** `npm run plan -- --stack dev [--out DIR]`: the plan a reviewer reads when they cannot run a preview. */
export async function main(argv: string[], root = process.cwd()): Promise<{ text: string; files: string[] }> {
  const option = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stack = option("stack") ?? "dev";
  const out = resolve(root, option("out") ?? join(".plan", stack));
  const config = readStackConfig(root, stack);
  const fleetConfig = Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith("platform:") && k !== "platform:composition")
      .map(([k, v]) => [k.slice("platform:".length), v]),
  );
  const standIns = standInsFor(fleetConfig);
  const plan: FleetPlan = planFleet(fleetConfig);
  const declared = await evaluateOffline(stack, { ...config, ...Object.fromEntries(Object.entries(fleetConfig).map(([k, v]) => [`platform:${k}`, v])) });
  const diagram = fleetDiagram(plan);
  mkdirSync(out, { recursive: true });
  const files = [join(out, "fleet.mmd"), join(out, "fleet.html"), join(out, "mermaid.min.js")];
  writeFileSync(files[0], `${diagram}\n`);
  writeFileSync(files[1], diagramPage(stack, diagram));
  copyFileSync(require.resolve("mermaid/dist/mermaid.min.js"), files[2]);
  const text = [
    `# Stack ${stack}: ${plan.clusters.length} clusters, ${declared.length} resources declared`,
    ...standIns.map((s) => `(${s})`),
    "",
    "## Network plan",
    networkTable(plan),
    "",
    "## Resources by cluster",
    resourceTree(plan, declared),
    "",
    "## Fleet (mermaid)",
    diagram,
    "",
    `Diagram: ${files[1]} (opens offline in a browser)`,
  ].join("\n");
  return { text, files };
}

/**
 * Settings only the deployer knows, which a stack file in the repository may leave out: shown with
 * a documentation range, said so, so that a reviewer still sees the whole plan.
 */
function standInsFor(fleetConfig: Record<string, unknown>): string[] {
  const clusters = (fleetConfig.clusters as { provider?: string }[] | undefined) ?? [];
  const eks = (fleetConfig.eks ?? {}) as { publicAccessCidrs?: string[] };
  if (!clusters.some((c) => c.provider === "eks") || eks.publicAccessCidrs?.length) return [];
  fleetConfig.eks = { ...eks, publicAccessCidrs: [REVIEW_RANGE] };
  return [`eks.publicAccessCidrs is not in the stack file: shown with the documentation range ${REVIEW_RANGE} in its place`];
}

const REVIEW_RANGE = "192.0.2.0/24";

if (require.main === module) {
  main(process.argv.slice(2)).then(
    ({ text }) => console.log(text),
    (error) => {
      console.error(error instanceof PlanError ? error.message : String(error));
      process.exit(1);
    },
  );
}
