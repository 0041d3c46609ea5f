#!/usr/bin/env node
// Lists every value path a chart's values.yaml declares, for test/chart-values.ts to check the
// platform's Helm values against. Usage, when a chart version is bumped:
//   helm show values <chart> --repo <repo> --version <v> | node scripts/chart-keys.mjs > test/fixtures/chart-keys/<chart>@<v>.json
// Paths whose default is an empty map, a map of label-like keys, or any list are "open":
// anything below them is accepted.
// Istio charts nest their defaults under `_internal_defaults_do_not_set`: those count as top-level.
import { readFileSync } from "fs";
import { parse } from "yaml";

const values = parse(readFileSync(process.argv[2] ?? 0, "utf8")) ?? {};
const keys = new Set();
const open = new Set();

function walk(node, path) {
  if (Array.isArray(node)) {
    open.add(path);
  } else if (node && typeof node === "object") {
    const entries = Object.entries(node);
    // An empty map, or one keyed by label-like names (`istio.io/dataplane-mode`), holds free-form entries.
    if (entries.length === 0 || entries.some(([key]) => key.includes("/"))) open.add(path);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      keys.add(childPath);
      walk(child, childPath);
    }
  }
}
// Istio's charts keep their defaults under this key and merge the user's top-level values in.
const { _internal_defaults_do_not_set: istioDefaults, ...rest } = values;
walk(istioDefaults ? { ...istioDefaults, ...rest } : values, "");
process.stdout.write(JSON.stringify({ keys: [...keys].sort(), open: [...open].filter(Boolean).sort() }, null, 1) + "\n");
