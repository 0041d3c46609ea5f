import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TeamPlan } from "../../plan";
import { type Cluster, ClusterAccess } from "../cluster";
import { appProject, KARMADA_TEAM_ROLE } from "./project";
import { teamLabels, TeamSpace, tokenKubeconfig } from "./team-space";

/** Where the teams' ServiceAccounts live, on every cluster that issues them and in the Karmada API (reserved by the plan). */
export const TEAM_IDENTITY_NAMESPACE = "platform-teams";
/** Keeps a namespace of the Karmada API out of Karmada's copying of namespaces to every member. */
const SKIP_PROPAGATION = { "karmada.io/skip-auto-propagation": "true" };

export interface TeamsArgs {
  teams: readonly TeamPlan[];
  /** The workload clusters; each team is set up on those its plan names. */
  clusters: Cluster[];
  /** The Karmada API: its provider and its URL as the operator's host reaches it. */
  karmada: { provider: k8s.Provider; endpoint: pulumi.Output<string> };
  /** Argo CD on the management cluster, and the repository a team's project admits by default. */
  argocd: { provider: k8s.Provider; namespace: string; repoURL: pulumi.Input<string>; ready: pulumi.Input<pulumi.Resource>[] };
}

/** What a team is handed: a kubeconfig per cluster and one for the Karmada API, and its AppProject. */
export interface TeamAccess {
  kubeconfigs: Record<string, pulumi.Output<string>>;
  karmada: pulumi.Output<string>;
  project: string;
}

/**
 * Every team on the fleet: on each of its clusters a `TeamSpace`; in the Karmada API its
 * namespaces (not copied to the members: the team's own placements decide) where it may edit
 * workloads and Karmada's policies, as its own ServiceAccount; in Argo CD its AppProject.
 */
export class Teams extends pulumi.ComponentResource {
  /** By team name. */
  readonly access: Record<string, TeamAccess> = {};

  constructor(name: string, args: TeamsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Teams", name, {}, opts);
    const inKarmada = { parent: this, provider: args.karmada.provider };
    const needed = args.teams.length > 0;
    // Clusters with their own identities need no ServiceAccounts.
    const identityNamespaces = new Map(
      (needed ? args.clusters.filter((c) => !c.cloudIdentity) : []).map((cluster) => [
        cluster.name,
        new k8s.core.v1.Namespace(`${name}-identities-${cluster.name}`, { metadata: { name: TEAM_IDENTITY_NAMESPACE } }, { parent: this, provider: cluster.provider }),
      ]),
    );
    const karmadaIdentities = needed
      ? [
          new k8s.core.v1.Namespace(`${name}-identities-karmada`, { metadata: { name: TEAM_IDENTITY_NAMESPACE, labels: SKIP_PROPAGATION } }, inKarmada),
          new k8s.rbac.v1.ClusterRole(`${name}-karmada-policies`, KARMADA_TEAM_ROLE, inKarmada),
        ]
      : [];

    for (const team of args.teams) {
      const prefix = `${name}-${team.name}`;
      const kubeconfigs = Object.fromEntries(
        args.clusters
          .filter((cluster) => team.clusters.includes(cluster.name))
          .map((cluster) => {
            const ready = identityNamespaces.get(cluster.name);
            const space = new TeamSpace(
              `${prefix}-${cluster.name}`,
              { team, cluster, identityNamespace: TEAM_IDENTITY_NAMESPACE, ready: ready ? [ready] : [] },
              { parent: this },
            );
            return [cluster.name, space.kubeconfig];
          }),
      );
      const namespaces = team.namespaces.map(
        (namespace) =>
          new k8s.core.v1.Namespace(`${prefix}-karmada-${namespace}`, { metadata: { name: namespace, labels: { ...teamLabels(team), ...SKIP_PROPAGATION } } }, inKarmada),
      );
      const karmadaAccess = new ClusterAccess(
        `${prefix}-karmada-access`,
        {
          cluster: { provider: args.karmada.provider, internalEndpoint: args.karmada.endpoint },
          namespace: TEAM_IDENTITY_NAMESPACE,
          serviceAccountName: team.serviceAccount,
          role: { clusterRole: KARMADA_TEAM_ROLE.metadata.name },
          namespaces: team.namespaces,
          labels: teamLabels(team),
          dependsOn: [...karmadaIdentities, ...namespaces],
        },
        { parent: this },
      );
      new k8s.apiextensions.CustomResource(
        `${prefix}-project`,
        appProject(team, { namespace: args.argocd.namespace, repoURL: args.argocd.repoURL }),
        { parent: this, provider: args.argocd.provider, dependsOn: args.argocd.ready },
      );
      this.access[team.name] = { kubeconfigs, karmada: tokenKubeconfig("karmada-apiserver", args.karmada.endpoint, karmadaAccess), project: team.name };
    }
    this.registerOutputs({});
  }
}
