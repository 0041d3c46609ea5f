import type { AppConfig } from "./apps-schema";
import { RESERVED_NAMESPACE } from "./apps";
import type { Slots } from "./parse";
import type { Problem } from "./problem";
import type { TeamConfig } from "./teams-schema";

/** A team as the platform sets it up on each of its clusters. */
// secretsProvider is left out: the fleet does not use it, `npm run teams:publish` reads it from the config.
export interface TeamPlan extends Omit<TeamConfig, "clusters" | "identity" | "repos" | "secretsProvider"> {
  /** Its workload clusters, in the fleet's order. */
  readonly clusters: readonly string[];
  /** The IAM role EKS admits it as (given whenever one of its clusters runs on EKS). */
  readonly roleArn?: string;
  /** Its ServiceAccount's name, where the platform issues it a token (kind, the Karmada API). */
  readonly serviceAccount: string;
  /** Repositories its AppProject admits; none given: the platform's GitOps repository. */
  readonly repos?: readonly string[];
}

/**
 * Every team checked against the fleet, the apps and the other teams, each problem keyed; the
 * plans when all is well. A namespace has one owner: an app (its name), a team, or the platform.
 */
export function planTeams(
  teams: readonly TeamConfig[],
  clusters: Slots,
  apps: readonly AppConfig[],
  /** The fleet's admin role (`eks.adminRoleArn`), which already has its own access entry. Default: none. */
  adminRoleArn?: string,
): { teams: TeamPlan[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const complete = clusters.every((c) => c !== undefined);
  const workloads = clusters.filter((c): c is NonNullable<typeof c> => c?.role === "workload");
  const firstOf = new Map<string, string>();
  /** The key that first claimed `what`, or undefined (and `key` claims it). */
  const claim = (what: string, key: string) => {
    const first = firstOf.get(what);
    if (first === undefined) firstOf.set(what, key);
    return first;
  };
  const plans = teams.map((team, i): TeamPlan | undefined => {
    const key = `teams[${i}]`;
    const fail = (at: string, why: string) => problems.push({ key: `${key}${at}`, message: `${key}${at} (${team.name}) ${why}` });
    const duplicate = claim(`team ${team.name}`, `${key}.name`);
    if (duplicate) fail(".name", `is also the name of ${duplicate.replace(/\.name$/, "")}`);
    // The team's AppProject is called after it.
    if (team.name === "default") fail(".name", "is Argo CD's own project, open to every repository and cluster");

    team.namespaces.forEach((namespace, j) => {
      const at = `.namespaces[${j}]`;
      const app = apps.findIndex((a) => a.name === namespace);
      if (RESERVED_NAMESPACE.test(namespace)) fail(at, `${namespace} is a namespace of Kubernetes, Karmada or the platform`);
      else if (app >= 0) fail(at, `${namespace} is the namespace of apps[${app}], which the platform makes for that app`);
      else {
        const owner = claim(`namespace ${namespace}`, `${key}${at}`);
        if (owner) fail(at, `${namespace} is also claimed by ${owner}: a namespace has one owning team`);
      }
    });

    const names = team.clusters ?? workloads.map((c) => c.name);
    team.clusters?.forEach((name, j) => {
      const cluster = clusters.find((c) => c?.name === name);
      if (!cluster && complete) fail(`.clusters[${j}]`, `names ${name}, which is no cluster of the fleet`);
      else if (cluster?.role === "management") fail(`.clusters[${j}]`, `names ${name}, the management cluster: teams run on workload clusters`);
    });
    const mine = workloads.filter((c) => names.includes(c.name));
    const eks = mine.filter((c) => c.provider === "eks").map((c) => c.name);
    const { roleArn, name } = team.identity;
    if (eks.length > 0 && roleArn === undefined) fail(".identity.roleArn", `is missing: EKS (${eks.join(", ")}) admits a team by its IAM role`);
    if (eks.length === 0 && roleArn !== undefined && complete) fail(".identity.roleArn", "is not read: none of the team's clusters runs on EKS");
    if (mine.every((c) => c.provider !== "kind") && name !== undefined && complete) fail(".identity.name", "is not read: none of the team's clusters runs on kind");
    // EKS holds one access entry per principal: the admins' entry is there already.
    if (roleArn !== undefined && roleArn === adminRoleArn) fail(".identity.roleArn", `${roleArn} is eks.adminRoleArn: a team needs a role of its own, not the fleet's admins'`);
    if (roleArn !== undefined) {
      // A role shared by two teams would hold both scopes.
      const other = claim(`role ${roleArn}`, `${key}.identity.roleArn`);
      if (other) fail(".identity.roleArn", `${roleArn} is also ${other}: each team needs its own role`);
    }
    const serviceAccount = name ?? `team-${team.name}`;
    const other = claim(`serviceAccount ${serviceAccount}`, `${key}.identity.name`);
    if (other) fail(".identity.name", `${serviceAccount} is also the identity of ${other.replace(/\.identity\.name$/, "")}: each team needs its own`);

    if (problems.some((p) => p.key.startsWith(`${key}.`))) return undefined;
    const { name: teamName, namespaces, quota, defaults, repos } = team;
    return { name: teamName, namespaces, quota, defaults, clusters: mine.map((c) => c.name), serviceAccount, ...(roleArn ? { roleArn } : {}), ...(repos ? { repos } : {}) };
  });
  return { teams: plans.filter((p): p is TeamPlan => p !== undefined), problems };
}
