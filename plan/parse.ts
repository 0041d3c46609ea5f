import { z } from "zod";
import { closest, keysAt } from "./keys";
import { clusterSchema, fleetConfigSchema, SECRET_KEYS, type ClusterConfig, type FleetConfig } from "./schema";
import type { Problem } from "./problem";

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
  if (!settings.success) problems.push(...settings.error.issues.flatMap((issue) => shapeProblems(issue, [], root)));

  const list = clusterListSchema.safeParse(rawClusters);
  if (!list.success) {
    problems.push(...list.error.issues.flatMap((issue) => shapeProblems(issue, ["clusters"], root)));
    return { settings: settings.data, problems };
  }
  const clusters = list.data.map((raw, index) => {
    const cluster = clusterSchema.safeParse(raw);
    if (cluster.success) return cluster.data;
    problems.push(...cluster.error.issues.flatMap((issue) => shapeProblems(issue, ["clusters", index], root)));
    return undefined;
  });
  return { settings: settings.data, clusters, problems };
}

/** `clusters[1].nodes` style key of a path; a key that is no plain name is quoted (`[""]`). */
function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    const name = String(part);
    if (!/^[A-Za-z_][\w-]*$/.test(name)) return `${acc}[${JSON.stringify(name)}]`;
    return acc ? `${acc}.${name}` : name;
  }, "");
}

/**
 * A schema issue as problems naming the config key, e.g. `clusters[1].provider`: an unknown key
 * gets the key meant, a missing one says so, and a key under a cluster names the cluster.
 */
function shapeProblems(issue: z.core.$ZodIssue, prefix: PropertyKey[], input: unknown): Problem[] {
  const path = [...prefix, ...issue.path];
  const at = (p: readonly PropertyKey[]) =>
    p.reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined), input);
  const cluster = path[0] === "clusters" && typeof path[1] === "number" ? (at(path.slice(0, 2)) as { name?: unknown } | undefined) : undefined;
  const of = typeof cluster?.name === "string" && path[2] !== "name" ? ` (${cluster.name})` : "";

  if (issue.code === "unrecognized_keys") {
    const known = keysAt(fleetConfigSchema, path, input);
    return issue.keys.map((unknownKey) => {
      const key = keyOf([...path, unknownKey]);
      const meant = closest(unknownKey, known);
      return { key, message: `${key}${of}: unknown key${meant ? `; did you mean ${meant}?` : ""}` };
    });
  }
  const key = keyOf(path) || "(root)";
  const value = at(path);
  const secret = (SECRET_KEYS as readonly PropertyKey[]).includes(path[0]);
  const shown = secret || value === undefined || typeof value === "object" ? "" : ` ${JSON.stringify(value)}`;
  const why =
    value === undefined && issue.code === "invalid_type"
      ? "missing"
      : issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)
        ? `unknown ${String(issue.path.at(-1))}; expected one of ${issue.options.join(", ")}`
        : issue.message;
  return [{ key, message: `${key}${shown}${of}: ${why}` }];
}
