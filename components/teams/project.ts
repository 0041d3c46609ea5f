import type * as pulumi from "@pulumi/pulumi";
import type { TeamPlan } from "../../plan";
import { teamLabels } from "./team-space";

/**
 * What no team's Application may sync, though Argo CD's manager could: the objects that set its
 * limits and rights (quota, defaults, RBAC). Cluster-scoped objects are refused by the project
 * whitelisting none.
 */
export const PLATFORM_OWNED_KINDS = [
  { group: "", kind: "ResourceQuota" },
  { group: "", kind: "LimitRange" },
  { group: "rbac.authorization.k8s.io", kind: "*" },
];

/**
 * A team's Argo CD AppProject: Applications in it sync only from the team's repositories, only
 * into its namespaces on its clusters (by their Argo CD cluster names), no cluster-scoped object.
 */
export function appProject(team: TeamPlan, argo: { namespace: string; repoURL: pulumi.Input<string> }) {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: team.name, namespace: argo.namespace, labels: teamLabels(team) },
    spec: {
      description: `Team ${team.name}: its namespaces on its clusters`,
      sourceRepos: team.repos ? [...team.repos] : [argo.repoURL],
      destinations: team.clusters.flatMap((name) => team.namespaces.map((namespace) => ({ name, namespace }))),
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: PLATFORM_OWNED_KINDS,
    },
  };
}

/**
 * Karmada's policies, aggregated into the Karmada API's `edit`: a team that may edit its
 * namespaces there may place its workloads with them, and nothing cluster-wide.
 */
export const KARMADA_POLICY_EDIT = {
  metadata: { name: "platform:karmada-policies-edit", labels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" } },
  rules: [
    {
      apiGroups: ["policy.karmada.io"],
      resources: ["propagationpolicies", "overridepolicies"],
      verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
    },
  ],
};
