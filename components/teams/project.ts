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

const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/**
 * A team's role in the Karmada API, bound in its namespaces there: the workload templates Karmada
 * propagates and Karmada's policies, explicitly, and not the API's `edit`. The Karmada chart
 * aggregates write access to `work.karmada.io` ResourceBindings and Works into `edit`
 * (`_karmada-clusterrole.tpl`, v1.18.2), and the binding webhook does not hold a binding's
 * resource to its own namespace (`pkg/webhook/resourcebinding/validating.go`): a team could point
 * one at another team's object, or a cluster-scoped one, and have Karmada apply it with its own
 * admin identity. Bindings are read-only here, for the team to see where its templates went.
 */
export const KARMADA_TEAM_ROLE = {
  metadata: { name: "platform:team" },
  rules: [
    { apiGroups: [""], resources: ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims"], verbs: WRITE },
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets"], verbs: WRITE },
    { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: WRITE },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: WRITE },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
    { apiGroups: ["policy.karmada.io"], resources: ["propagationpolicies", "overridepolicies"], verbs: WRITE },
    { apiGroups: ["work.karmada.io"], resources: ["resourcebindings"], verbs: ["get", "list", "watch"] },
  ],
};
