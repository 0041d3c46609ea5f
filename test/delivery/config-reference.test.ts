import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import type { z } from "zod";
import { appSchema, gitopsSchema } from "../../plan/apps-schema";
import { ingressSchema } from "../../plan/ingress-schema";
import { observabilitySchema } from "../../plan/observability-schema";
import { teamSchema } from "../../plan/teams-schema";
import { eksClusterSchema, eksSettingsSchema, fleetConfigSchema, kindClusterSchema, kindSettingsSchema, meshSettingsSchema, networkSchema } from "../../plan/schema";

// The configuration reference in step with what the program reads: every key of Pulumi.yaml and
// of the plan's schema has its row or section, and no documented key is one the plan refuses.
const root = join(__dirname, "..", "..");
const configuration = readFileSync(join(root, "docs", "configuration.md"), "utf8");
const prod = readFileSync(join(root, "docs", "prod.md"), "utf8");

/** The keys of an object schema, nested objects as `parent.child`, through defaults and prefaults. */
function keys(schema: z.core.$ZodType, prefix = ""): string[] {
  let node = schema;
  const inner = (n: z.core.$ZodType) => (n._zod.def as unknown as { innerType?: z.core.$ZodType }).innerType;
  for (let next = inner(node); next; next = inner(node)) node = next;
  const shape = (node._zod.def as unknown as { shape?: Record<string, z.core.$ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape).flatMap(([k, child]) => {
    const nested = keys(child, `${prefix}${k}.`);
    return nested.length > 0 ? nested : [`${prefix}${k}`];
  });
}
/** The keys a markdown table documents: its first column, `a` or `a.b` or `a.b` / `c` / `d`. */
function documented(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const line of markdown.split("\n").filter((l) => l.startsWith("| `"))) {
    const cells = line.split("|")[1].match(/`[^`]+`/g) ?? [];
    const first = cells[0]?.slice(1, -1) ?? "";
    const parent = first.includes(".") ? first.slice(0, first.lastIndexOf(".") + 1) : "";
    cells.forEach((cell, i) => {
      const key = cell.slice(1, -1);
      found.add(i === 0 || key.includes(".") ? key : `${parent}${key}`);
    });
  }
  return found;
}

test("every key Pulumi.yaml declares has its section, and every section its key", () => {
  const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> };
  const declared = Object.keys(project.config).filter((k) => !k.includes(":"));
  const sections = [...configuration.matchAll(/^## `platform:([A-Za-z]+)`/gm)].map((m) => m[1]);
  expect(sections.sort()).toEqual(declared.sort());
  // The plan reads them all (composition picks the stack's composition).
  expect([...keys(fleetConfigSchema).map((k) => k.split(".")[0]), "composition"].filter((k, i, all) => all.indexOf(k) === i).sort()).toEqual(declared.sort());
});

test("every key of a cluster, the network, kind, EKS, the mesh, an app, a team, the GitOps repository and ingress is documented, and nothing else", () => {
  const docs = documented(configuration);
  const eksDocs = documented(prod);
  const cluster = [...new Set([...keys(kindClusterSchema), ...keys(eksClusterSchema)])];
  const sectionKeys = [...cluster, ...keys(networkSchema), ...keys(kindSettingsSchema), ...keys(meshSettingsSchema), ...keys(appSchema), ...keys(teamSchema), ...keys(gitopsSchema), ...keys(ingressSchema), ...keys(observabilitySchema)];
  expect(sectionKeys.filter((k) => !docs.has(k))).toEqual([]);
  expect(keys(eksSettingsSchema).filter((k) => !eksDocs.has(k))).toEqual([]);
  expect([...docs].filter((k) => !sectionKeys.includes(k))).toEqual([]);
  expect([...eksDocs].filter((k) => !keys(eksSettingsSchema).includes(k))).toEqual([]);
});
