import { copyFileSync, mkdirSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { type FleetPlan, PlanError, planFleet } from "../../plan";
import { fleetConfigOf, readStackConfig } from "../offline/config";
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
  const fleetConfig = fleetConfigOf(config);
  const { plan, standIns } = planForReview(fleetConfig);
  const evaluated = await evaluateOffline(stack, { ...config, ...Object.fromEntries(Object.entries(fleetConfig).map(([k, v]) => [`platform:${k}`, v])) });
  const declared = evaluated.filter((d) => !d.read);
  const diagram = fleetDiagram(plan);
  mkdirSync(out, { recursive: true });
  const files = [join(out, "fleet.mmd"), join(out, "fleet.html"), join(out, "mermaid.min.js")];
  writeFileSync(files[0], `${diagram}\n`);
  writeFileSync(files[1], diagramPage(stack, diagram));
  copyFileSync(require.resolve("mermaid/dist/mermaid.min.js"), files[2]);
  const text = [
    `# Stack ${stack}: ${plan.clusters.length} clusters, ${declared.length} resources declared (not counting what plugins such as pulumi-eks add inside their components)`,
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
 * The plan, where a setting only the deployer knows is missing from the repository's stack file
 * (the EKS API's ranges) with a documentation range in its place, said so, so that a reviewer
 * still sees the whole plan. Every other problem stops the view, as it stops a preview.
 */
function planForReview(fleetConfig: Record<string, unknown>): { plan: FleetPlan; standIns: string[] } {
  try {
    return { plan: planFleet(fleetConfig), standIns: [] };
  } catch (error) {
    if (!(error instanceof PlanError) || error.problems.some((p) => p.key !== "eks.publicAccessCidrs")) throw error;
    fleetConfig.eks = { ...(fleetConfig.eks as object), publicAccessCidrs: [REVIEW_RANGE] };
    return {
      plan: planFleet(fleetConfig),
      standIns: [`eks.publicAccessCidrs is not in the stack file: shown with the documentation range ${REVIEW_RANGE} in its place`],
    };
  }
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
