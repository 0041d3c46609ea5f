#!/usr/bin/env node
// Extracts the served schema of a CRD, for test/support/crd-schema.ts to validate the platform's
// custom resources against. Usage, when the CRD's project is bumped:
//   curl -sL <raw CRD URL at the pinned tag> | node scripts/crd-schema.mjs > test/fixtures/crds/<group>_<plural>@<tag>.json
import { readFileSync } from "fs";
import { parse } from "yaml";

const crd = parse(readFileSync(process.argv[2] ?? 0, "utf8"));
const served = crd.spec.versions.filter((v) => v.served);
const strip = (node) => {
  // Descriptions are prose: the fixture keeps structure and constraints only.
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).filter(([k]) => k !== "description").map(([k, v]) => [k, strip(v)]));
  }
  return node;
};
const out = {
  group: crd.spec.group,
  kind: crd.spec.names.kind,
  versions: Object.fromEntries(served.map((v) => [v.name, strip(v.schema.openAPIV3Schema)])),
};
process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
