/** Teams: their namespaces, rights, quotas and kubeconfigs on their clusters, their Karmada and Argo CD scopes. */
export { appProject, KARMADA_TEAM_ROLE, PLATFORM_OWNED_KINDS } from "./project";
export { type TeamAccess, TEAM_IDENTITY_NAMESPACE, Teams, type TeamsArgs } from "./teams";
export { TEAM_ROLE, teamDefaults, teamLabels, teamQuota, TeamSpace, type TeamSpaceArgs, tokenKubeconfig } from "./team-space";
