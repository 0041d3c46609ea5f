import type * as pulumi from "@pulumi/pulumi";
import { type FleetReference, readVersioned } from "./reference";
import { TEAM_PUBLIC_OUTPUTS, TEAM_SECRET_OUTPUTS, type TeamStackOutputs } from "./team-outputs";

/** Every output of a team stack, typed. */
export type TeamStack = { readonly [K in keyof TeamStackOutputs]: pulumi.Output<TeamStackOutputs[K]> };

const KEYS: readonly (keyof TeamStackOutputs)[] = [...TEAM_PUBLIC_OUTPUTS, "team", "namespaces", "argocdProject", ...TEAM_SECRET_OUTPUTS];

/**
 * The name of a team's stack for a StackReference: `<organization>/platform-teams/<fleet>-<team>`.
 * On a self-managed backend (file://, s3://) the organization is the literal `organization`; on
 * Pulumi Cloud, give your organization.
 */
export function teamStackName(fleetStack: string, team: string, options: { organization?: string; project?: string } = {}): string {
  return `${options.organization ?? "organization"}/${options.project ?? "platform-teams"}/${fleetStack}-${team}`;
}

/**
 * The outputs of a team stack through `ref`, typed, read as {@link readFleet} reads a fleet: each
 * when first used, after the stack's `contractVersion` (the fleet's) is checked; secrets stay
 * secret. A program reading it needs only the team's passphrase or key, never the fleet's.
 */
export function readTeamStack(ref: FleetReference): TeamStack {
  return readVersioned<TeamStackOutputs>(ref, KEYS);
}
