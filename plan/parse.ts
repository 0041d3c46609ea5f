import { z } from "zod";
import { clusterSchema, fleetConfigSchema, SECRET_KEYS, type ClusterConfig, type FleetConfig } from "./schema";
import type { Problem } from "./types";

/** Clusters by config index; a cluster whose own shape is wrong is a hole. */
export type Slots = readonly (ClusterConfig | undefined)[];

export interface ParsedConfig {
  /** Everything but the clusters, when its shape is right. */
  settings?: Omit<FleetConfig, "clusters">;
  /** The clusters, when `clusters` is a non-empty list. */
  clusters?: Slots;
  problems: Problem[];
}

const settingsSchema = fleetConfigSchema.omit({ clusters: true });
const clusterListSchema = z.array(z.unknown()).min(1, { message: "must list at least one cluster" });

/**
 * Checks the config's shape section by section and cluster by cluster, so that one malformed
 * cluster does not hide the problems of the others.
 */
export function parseConfig(input: unknown): ParsedConfig {
  const root = (input !== null && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  const { clusters: rawClusters, ...rest } = root;

  const settings = settingsSchema.safeParse(rest);
  if (!settings.success) problems.push(...settings.error.issues.map((issue) => shapeProblem(issue, [], root)));

  const list = clusterListSchema.safeParse(rawClusters);
  if (!list.success) {
    problems.push(...list.error.issues.map((issue) => shapeProblem(issue, ["clusters"], root)));
    return { settings: settings.data, problems };
  }
  const clusters = list.data.map((raw, index) => {
    const cluster = clusterSchema.safeParse(raw);
    if (cluster.success) return cluster.data;
    problems.push(...cluster.error.issues.map((issue) => shapeProblem(issue, ["clusters", index], root)));
    return undefined;
  });
  return { settings: settings.data, clusters, problems };
}

/** A schema issue as a problem naming the config key, e.g. `clusters[1].provider`. */
function shapeProblem(issue: z.core.$ZodIssue, prefix: PropertyKey[], input: unknown): Problem {
  const path = [...prefix, ...issue.path];
  const key = path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    "",
  );
  const value = path.reduce<unknown>(
    (node, part) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined),
    input,
  );
  const secret = (SECRET_KEYS as readonly PropertyKey[]).includes(path[0]);
  const shown = secret || value === undefined || typeof value === "object" ? "" : ` ${JSON.stringify(value)}`;
  const why =
    issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)
      ? `unknown ${String(issue.path.at(-1))}; expected one of ${issue.options.join(", ")}`
      : issue.message;
  return { key: key || "(root)", message: `${key || "(root)"}${shown}: ${why}` };
}
