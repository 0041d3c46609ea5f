import type * as pulumi from "@pulumi/pulumi";
import type { FleetOutputs } from "./outputs";
import { type FleetReference, readVersioned } from "./reference";

/**
 * The fleet's outputs that hold no secret and that a team may read: copied as they are into every
 * team stack. The fleet's admin credentials (`kubeconfigs`, `karmada`, `argocd`, `grafana`,
 * `readers`) are never among them.
 */
export const TEAM_PUBLIC_OUTPUTS = ["contractVersion", "clusters", "prometheus", "mesh", "observability", "apps"] as const;

/**
 * A team stack's outputs (since 1.1.0): what the platform team publishes for one team after each
 * update of the fleet, in a stack encrypted with the team's own secrets provider, so that the team
 * reads the fleet without the fleet's passphrase or key.
 */
export interface TeamStackOutputs extends Pick<FleetOutputs, (typeof TEAM_PUBLIC_OUTPUTS)[number]> {
  /** The team's name, as in `platform:teams`. */
  team: string;
  /** The namespaces it owns on each of its clusters: the only ones where it may edit. */
  namespaces: string[];
  /**
   * Its kubeconfigs by cluster, for its clusters only (secret): `edit` in its namespaces and
   * nothing else. On EKS they run `aws eks get-token` with the team's role and hold no secret.
   */
  kubeconfigs: Record<string, string>;
  /** Its kubeconfig for the Karmada API, `edit` in its namespaces there (secret). */
  karmadaKubeconfig: string;
  /** Its Argo CD `AppProject`. */
  argocdProject: string;
}

/** Every output of a team stack, typed. */
export type TeamStack = { readonly [K in keyof TeamStackOutputs]: pulumi.Output<TeamStackOutputs[K]> };

/** Which of a team stack's outputs are secret. */
export const TEAM_SECRET_OUTPUTS = ["kubeconfigs", "karmadaKubeconfig"] as const satisfies readonly (keyof TeamStackOutputs)[];

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
