import Ajv, { type ValidateFunction } from "ajv";
import { readFileSync } from "fs";
import { join } from "path";

/**
 * Validates a custom resource against the schema its CRD serves (fixtures in test/fixtures/crds,
 * made by scripts/crd-schema.mjs). Objects are closed: a field the CRD does not declare fails
 * here, where the API server would silently prune it.
 */
export function crdProblems(fixture: string, object: { apiVersion: string; kind: string }): string[] {
  const { group, kind, versions } = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "crds", `${fixture}.json`), "utf8")) as {
    group: string;
    kind: string;
    versions: Record<string, object>;
  };
  const [objectGroup, version] = object.apiVersion.split("/");
  if (objectGroup !== group || object.kind !== kind || !versions[version]) return [`${object.apiVersion} ${object.kind} is not served by ${fixture}`];
  const validate = validator(fixture, version, versions[version]);
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? `: ${e.params.additionalProperty}` : ""}`);
}

/** Compiled schemas, by fixture and version: compiling is most of a check's time, and the same schema serves a file's many checks. */
const validators = new Map<string, ValidateFunction>();
function validator(fixture: string, version: string, schema: object): ValidateFunction {
  const key = `${fixture}@@${version}`;
  if (!validators.has(key)) validators.set(key, new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(closed(schema) as object));
  return validators.get(key)!;
}

function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== "object") return node;
  const schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "properties" ? mapValues(v, closed) : closed(v)]));
  const open = "additionalProperties" in schema || schema["x-kubernetes-preserve-unknown-fields"] === true;
  return schema.properties && !open ? { ...schema, additionalProperties: false } : schema;
}

function mapValues(object: unknown, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object as Record<string, unknown>).map(([k, v]) => [k, f(v)]));
}
