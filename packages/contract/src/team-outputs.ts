/**
 * A team stack's outputs: types, and which are copied from the fleet and which are secret. Imports
 * nothing that runs, so the platform's tools load it from the sources.
 */
import type { FleetOutputs } from "./outputs";

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

/** Which of a team stack's outputs are secret. */
export const TEAM_SECRET_OUTPUTS = ["kubeconfigs", "karmadaKubeconfig"] as const satisfies readonly (keyof TeamStackOutputs)[];
