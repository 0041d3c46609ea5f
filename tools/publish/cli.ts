import { parseConfig } from "../../plan/parse";
import { PlanError } from "../../plan/problem";
import { fleetConfigOf, readStackConfig } from "../offline/config";
import { flag, readOutputs } from "../stack-access";
import { type PublishedFleet, publishTeam, teamStackOutputs } from "./publish";

/**
 * `npm run teams:publish -- --stack <fleet> [--team <name>]`, after `pulumi up`, with the fleet's access:
 * writes each team's stack (docs/teams.md#reading-the-fleet-with-the-teams-own-access).
 */
async function main(): Promise<void> {
  const stack = flag("stack");
  if (!stack) throw new Error("usage: npm run teams:publish -- --stack <fleet stack> [--team <name>]");
  const { settings, problems } = parseConfig(fleetConfigOf(readStackConfig(process.cwd(), stack)));
  if (!settings) throw new PlanError(problems);
  const only = flag("team");
  const teams = settings.teams.filter((t) => only === undefined || t.name === only);
  if (teams.length === 0) throw new Error(`stack ${stack} has no team${only ? ` ${only}` : "s"} in platform:teams`);
  const fleet = await readOutputs<PublishedFleet>(stack);
  for (const team of teams) {
    const name = await publishTeam(stack, team, teamStackOutputs(fleet, team));
    console.log(`published ${name} for team ${team.name} (${team.secretsProvider})`);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
