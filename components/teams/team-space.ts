import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TeamPlan } from "../../plan";
import { buildKubeconfig, type Cluster, ClusterAccess } from "../cluster";

/** The built-in role a team has in its namespaces on its clusters. */
export const TEAM_ROLE = "edit";

/**
 * Pod Security of a team's namespaces: `edit` may create any pod, so without it a team could run
 * a privileged or host-mounting pod and own the node. `baseline` forbids those; `restricted` is
 * warned and audited, as in the apps' namespaces.
 */
export const TEAM_POD_SECURITY = {
  "pod-security.kubernetes.io/enforce": "baseline",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
};

/** Labels on everything made for a team. */
export function teamLabels(team: TeamPlan): Record<string, string> {
  return { "platform/team": team.name };
}

export interface TeamSpaceArgs {
  team: TeamPlan;
  /** One of the team's workload clusters. */
  cluster: Cluster;
  /**
   * Where the team's ServiceAccount lives when the cluster trusts no cloud identity: a namespace
   * of the platform, which the team cannot touch. It must exist (see `ready`).
   */
  identityNamespace: string;
  /** What must exist before the ServiceAccount (that namespace). Default: nothing. */
  ready?: pulumi.Resource[];
}

/**
 * A team on one cluster: its namespaces, each with a ResourceQuota and a LimitRange's container
 * defaults; `edit` there and nothing elsewhere, for the cloud identity the cluster admits (an
 * IAM role on EKS) or else a ServiceAccount of the team; and a kubeconfig that is only that.
 */
export class TeamSpace extends pulumi.ComponentResource {
  /** The team's kubeconfig for this cluster, with no credential of the platform's (secret). */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: TeamSpaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:TeamSpace", name, {}, opts);
    const { team, cluster } = args;
    const inCluster = { parent: this, provider: cluster.provider };
    const labels = teamLabels(team);
    const namespaces = team.namespaces.map((namespace) => {
      const created = new k8s.core.v1.Namespace(`${name}-namespace-${namespace}`, { metadata: { name: namespace, labels: { ...labels, ...TEAM_POD_SECURITY } } }, inCluster);
      const within = { ...inCluster, dependsOn: [created] };
      new k8s.core.v1.ResourceQuota(`${name}-quota-${namespace}`, teamQuota(team, namespace), within);
      new k8s.core.v1.LimitRange(`${name}-defaults-${namespace}`, teamDefaults(team, namespace), within);
      return created;
    });

    if (cluster.cloudIdentity) {
      // The plan requires a role of every team on a cluster that admits one.
      if (!team.roleArn) throw new Error(`team ${team.name} has no IAM role for cluster ${cluster.name}`);
      this.kubeconfig = cluster.cloudIdentity.admit({ name, parent: this, principal: team.roleArn, namespaces: team.namespaces }).kubeconfig;
    } else {
      const access = new ClusterAccess(
        `${name}-access`,
        {
          cluster,
          namespace: args.identityNamespace,
          serviceAccountName: team.serviceAccount,
          role: { clusterRole: TEAM_ROLE },
          namespaces: team.namespaces,
          labels,
          dependsOn: [...(args.ready ?? []), ...namespaces],
        },
        { parent: this },
      );
      this.kubeconfig = tokenKubeconfig(cluster.name, cluster.endpoint, access);
    }
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

/** A kubeconfig for a ServiceAccount's token, at the API as users on the operator's host reach it (secret). */
export function tokenKubeconfig(name: string, server: pulumi.Input<string>, access: ClusterAccess): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([server, access.caData, access.token]).apply(([url, caData, token]) => buildKubeconfig({ name, server: url, caData, user: { token } })),
  );
}

/** The team's ceiling in one namespace: requested CPU and memory, and pods. */
export function teamQuota(team: TeamPlan, namespace: string): k8s.core.v1.ResourceQuotaArgs {
  return {
    metadata: { name: "team-quota", namespace, labels: teamLabels(team) },
    spec: { hard: { "requests.cpu": team.quota.cpu, "requests.memory": team.quota.memory, pods: String(team.quota.pods) } },
  };
}

/** What a container that declares nothing gets: requests the quota can count, and a memory limit. */
export function teamDefaults(team: TeamPlan, namespace: string): k8s.core.v1.LimitRangeArgs {
  const { requests, limits } = team.defaults;
  return {
    metadata: { name: "team-defaults", namespace, labels: teamLabels(team) },
    spec: { limits: [{ type: "Container", defaultRequest: { ...requests }, default: { ...limits } }] },
  };
}
