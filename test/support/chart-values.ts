import { readFileSync } from "fs";
import { join } from "path";

/**
 * Value paths a Helm values object sets that the pinned chart's values.yaml does not declare.
 * Helm silently ignores a misspelt value, so every path must be one the chart knows, or lie
 * under a path whose default is an empty map or a list (labels, annotations, extra args).
 * The key lists in test/fixtures/chart-keys come from scripts/chart-keys.mjs. `passThrough` names
 * paths a chart copies verbatim into an upstream API (say istiod's `meshConfig` into MeshConfig)
 * or reads without declaring a default (Istio's `profile`).
 */
export function unknownValuePaths(values: unknown, chart: string, passThrough: string[] = []): string[] {
  const { keys, open } = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "chart-keys", `${chart}.json`), "utf8")) as {
    keys: string[];
    open: string[];
  };
  const known = new Set(keys);
  const underOpen = (path: string) => [...open, ...passThrough].some((o) => path === o || path.startsWith(`${o}.`));
  const unknown: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (path && underOpen(path)) return;
    if (path && !known.has(path)) {
      unknown.push(path);
      return;
    }
    if (node && typeof node === "object" && !Array.isArray(node)) {
      for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key);
    }
  };
  walk(values, "");
  return unknown;
}

/**
 * Maps of the Karmada chart that its templates range over, so that any key is read although the
 * default declares one: `controllerManager.featureGates` (karmada-io/karmada@v1.18.2
 * charts/karmada/templates/_helpers.tpl:565-577, each key=value into one `--feature-gates`).
 */
export const KARMADA_OPEN_VALUES = ["controllerManager.featureGates", "webhook.podAnnotations"];
