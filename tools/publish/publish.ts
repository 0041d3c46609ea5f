import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type LocalWorkspaceOptions, type PulumiFn } from "@pulumi/pulumi/automation";
import type { FleetOutputs } from "../../packages/contract/src";
// The module itself, not the package: the package reads its version from a package.json tsc does not copy to bin/.
import { TEAM_PUBLIC_OUTPUTS, TEAM_SECRET_OUTPUTS, type TeamStackOutputs } from "../../packages/contract/src/team-outputs";
import type { TeamConfig } from "../../plan/teams-schema";
import type { TeamOutput } from "../../stacks/outputs";

/** The project of the team stacks: `<organization>/platform-teams/<fleet>-<team>` (the contract's `teamStackName`). */
export const TEAM_PROJECT = "platform-teams";

/** A fleet stack's outputs as the platform team reads them: the contract, and every team's access. */
export type PublishedFleet = FleetOutputs & { teams: Record<string, TeamOutput> };

/** The environment variable that holds the passphrase of a team's stack: `PLATFORM_TEAM_PASSPHRASE_<NAME>`. */
export function passphraseVariable(team: string): string {
  return `PLATFORM_TEAM_PASSPHRASE_${team.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * What a team's stack exports: the fleet's outputs that hold no secret, and the team's own access
 * (its kubeconfigs, its Karmada kubeconfig, its project): nothing of another team, no admin credential.
 */
export function teamStackOutputs(fleet: PublishedFleet, team: Pick<TeamConfig, "name" | "namespaces">): TeamStackOutputs {
  const access = fleet.teams?.[team.name];
  if (!access) {
    throw new Error(`the fleet has no team ${team.name} in its teams output (it has ${Object.keys(fleet.teams ?? {}).join(", ") || "none"}): run pulumi up first`);
  }
  const common = Object.fromEntries(TEAM_PUBLIC_OUTPUTS.map((key) => [key, fleet[key]])) as Pick<FleetOutputs, (typeof TEAM_PUBLIC_OUTPUTS)[number]>;
  const { kubeconfigs, karmadaKubeconfig, argocdProject } = access;
  return { ...common, team: team.name, namespaces: [...team.namespaces], kubeconfigs, karmadaKubeconfig, argocdProject };
}

/** The inline program of a team's stack: it exports `outputs`, the team's credentials as secrets. */
export function teamProgram(outputs: TeamStackOutputs): PulumiFn {
  const secret = new Set<string>(TEAM_SECRET_OUTPUTS);
  return async () => Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, secret.has(key) ? pulumi.secret(value) : value]));
}

/**
 * The environment the team's stack is written in. A team on `passphrase` needs its own, from
 * {@link passphraseVariable}, and never the fleet's (which would open the fleet to the team).
 * Without a stack file (an inline program's workspace is new each run), the CLI takes an existing
 * stack's secrets provider from its state rather than making a default one.
 */
export function teamStackEnv(team: Pick<TeamConfig, "name" | "secretsProvider">, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const base = { PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" };
  if (team.secretsProvider !== "passphrase") return base;
  const variable = passphraseVariable(team.name);
  const passphrase = env[variable];
  if (!passphrase) throw new Error(`team ${team.name}'s stack is encrypted with the team's passphrase: set ${variable} (docs/teams.md)`);
  if (passphrase === env.PULUMI_CONFIG_PASSPHRASE) throw new Error(`${variable} is the fleet's passphrase: give team ${team.name} its own`);
  return { ...base, PULUMI_CONFIG_PASSPHRASE: passphrase };
}

/**
 * Writes team `team`'s stack `<fleetStack>-<team>` on the current backend (created with the team's
 * secrets provider), through the Automation API. Returns the stack's name. `env` is where the
 * team's passphrase is read (default: this process's environment); `workspace` adds to the
 * workspace's options (another CLI, a backend or home in its `envVars`). Default: none.
 */
export async function publishTeam(
  fleetStack: string,
  team: TeamConfig,
  outputs: TeamStackOutputs,
  env: NodeJS.ProcessEnv = process.env,
  workspace: Pick<LocalWorkspaceOptions, "pulumiCommand" | "envVars"> = {},
): Promise<string> {
  const stackName = `${fleetStack}-${team.name}`;
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: TEAM_PROJECT, stackName, program: teamProgram(outputs) },
    {
      ...workspace,
      secretsProvider: team.secretsProvider,
      envVars: { ...workspace.envVars, ...teamStackEnv(team, env) },
      projectSettings: { name: TEAM_PROJECT, runtime: "nodejs", description: "What each team reads of a fleet, encrypted with the team's own secrets provider" },
    },
  );
  await stack.up();
  return stackName;
}
