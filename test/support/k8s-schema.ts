import { plain, Recorded } from "./harness";

/**
 * Validates a recorded Kubernetes resource against the upstream OpenAPI schema of its kind,
 * through kubernetes-models. Throws with the schema's complaint if the object is invalid.
 */
export function validateK8s(resource: Recorded): void {
  const match = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(resource.type);
  if (!match) throw new Error(`${resource.type} is not a Kubernetes resource type`);
  const [, group, version, kind] = match;
  const object = plain(resource.inputs);
  expectKind(object, group, version, kind);
  validateModel(`kubernetes-models/${group === "core" ? "" : `${group}/`}${version}`, kind, object);
}

/**
 * Validates an object with the kubernetes-models class `kind` of `modulePath` (core kinds, or
 * CRD packages such as `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1`).
 */
export function validateModel(modulePath: string, kind: string, object: object): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Model = require(modulePath)[kind];
  if (!Model) throw new Error(`${modulePath} has no ${kind}`);
  new Model(object).validate();
}

function expectKind(object: Record<string, unknown>, group: string, version: string, kind: string): void {
  const apiVersion = group === "core" ? version : `${group}/${version}`;
  if (object.apiVersion !== apiVersion || object.kind !== kind) {
    throw new Error(`expected ${apiVersion} ${kind}, got ${object.apiVersion} ${object.kind}`);
  }
}
