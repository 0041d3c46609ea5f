import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parseAllDocuments } from "yaml";
import type { GraphNode } from "../../support/graph";
import type { ApiServer } from "./api-server";

/** A Kubernetes object with where it came from, for messages. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}
export interface Sourced {
  /** `stack/mode resource-name`, or `chart@version kind/name`. */
  source: string;
  object: KubeObject;
  /** The namespace of a namespaced object that names none (a chart's release namespace). */
  namespace?: string;
}

/** Types whose resource is not one object the program sends: charts and remote components. */
const NOT_OBJECTS = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup"]);

/** The objects a stack's evaluation sends to API servers directly (not through a chart). */
export function directObjects(graph: GraphNode[], label: string): Sourced[] {
  return graph.flatMap((node) => {
    const type = node.urn.split("::")[2].split("$").pop()!;
    const name = node.urn.slice(node.urn.lastIndexOf("::") + 2);
    if (!type.startsWith("kubernetes:") || NOT_OBJECTS.has(type)) return [];
    const object = structuredClone(node.inputs) as KubeObject;
    if (!object.kind) return [];
    // The provider names an object after its resource, with a random suffix, when the program does not.
    object.metadata = { ...object.metadata, name: object.metadata?.name ?? `${name}-a1b2c3` };
    return [{ source: `${label} ${name}`, object }];
  });
}

/** Every YAML document of the files matching `patterns` (a `*` within a path segment) under `root`. */
export function yamlDocuments(root: string, patterns: string[]): KubeObject[] {
  return yamlFiles(root, patterns).flatMap((file) => parseYaml(readFileSync(file, "utf8")));
}

/** The files under `root` that glob patterns (`*` within one path segment) name, sorted within each pattern. */
export function yamlFiles(root: string, patterns: string[]): string[] {
  return patterns.flatMap((pattern) => expand(root, pattern.split("/")));
}

export function parseYaml(text: string): KubeObject[] {
  // Charts template placeholders (Karmada's `{{ ca_crt }}`) that parse as maps: no warning for them.
  return parseAllDocuments(text, { logLevel: "error" })
    .map((d) => d.toJS() as KubeObject)
    .filter((o) => o && typeof o === "object" && o.kind);
}

function expand(dir: string, segments: string[]): string[] {
  const [head, ...rest] = segments;
  const re = new RegExp(`^${head.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  const matches = readdirSync(dir).filter((entry) => re.test(entry)).sort();
  return matches.flatMap((entry) => (rest.length ? expand(join(dir, entry), rest) : [join(dir, entry)]));
}

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/** Discovery of a server's resources by `apiVersion` and kind, asked once per group version. */
export class Discovery {
  private readonly groups = new Map<string, Map<string, ResourceInfo>>();
  constructor(private readonly server: ApiServer) {}

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    if (!this.groups.has(apiVersion)) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const answer = await this.server.call("GET", path);
      const kinds = new Map<string, ResourceInfo>();
      for (const r of answer.status === 200 ? answer.body.resources : []) {
        if (!r.name.includes("/")) kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
      }
      this.groups.set(apiVersion, kinds);
    }
    return this.groups.get(apiVersion)!.get(kind);
  }

  forget(): void {
    this.groups.clear();
  }

  /** Every served group version, as `helm template --api-versions` takes them. */
  async apiVersions(): Promise<string[]> {
    const core = await this.server.call("GET", "/api");
    const groups = await this.server.call("GET", "/apis");
    return [...core.body.versions, ...groups.body.groups.flatMap((g: { versions: { groupVersion: string }[] }) => g.versions.map((v) => v.groupVersion))];
  }
}

/** What the server said of one object. */
export interface Verdict {
  source: string;
  accepted: boolean;
  message: string;
}

/** The request path of an object's collection (`create`) or of the object itself. */
async function pathOf(discovery: Discovery, object: KubeObject, itself: boolean, namespace = "default"): Promise<string> {
  const info = await discovery.resource(object.apiVersion, object.kind);
  if (!info) throw new Error(`the server serves no ${object.kind} in ${object.apiVersion}`);
  const base = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const ns = info.namespaced ? `/namespaces/${object.metadata.namespace ?? namespace}` : "";
  return `${base}${ns}/${info.plural}${itself ? `/${object.metadata.name}` : ""}`;
}

const DRY_RUN = "dryRun=All&fieldValidation=Strict&fieldManager=platform-engines";

/**
 * Sends each object as the program's provider does (server-side apply) or as Helm does (create),
 * dry-run, with strict field validation: an unknown or duplicated field is an error, not a warning.
 */
export async function dryRun(server: ApiServer, discovery: Discovery, items: Sourced[], how: "apply" | "create"): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const { source, object, namespace } of items) {
    let answer: { status: number; body: any };
    try {
      if (how === "apply" || !object.metadata.generateName) {
        // Helm's create and the provider's apply agree on a named object; apply also passes an
        // object that exists already (the CRDs and namespaces the tier made for real).
        answer = await server.call("PATCH", `${await pathOf(discovery, object, true, namespace)}?${DRY_RUN}&force=true`, object, "application/apply-patch+yaml");
      } else {
        answer = await server.call("POST", `${await pathOf(discovery, object, false, namespace)}?${DRY_RUN}`, object);
      }
    } catch (error) {
      verdicts.push({ source, accepted: false, message: String((error as Error).message) });
      continue;
    }
    const accepted = answer.status >= 200 && answer.status < 300;
    verdicts.push({ source, accepted, message: accepted ? "" : `${answer.status} ${answer.body?.message ?? JSON.stringify(answer.body)}` });
  }
  return verdicts;
}

/** Creates the namespaces the objects live in, for real (a dry-run needs its namespace to exist). */
export async function ensureNamespaces(server: ApiServer, discovery: Discovery, items: Sourced[]): Promise<void> {
  const wanted = new Set<string>();
  for (const { object, namespace } of items) {
    const info = await discovery.resource(object.apiVersion, object.kind);
    if (info?.namespaced) wanted.add(object.metadata.namespace ?? namespace ?? "default");
  }
  for (const name of wanted) {
    const answer = await server.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    if (answer.status !== 201 && answer.status !== 409) throw new Error(`namespace ${name}: ${answer.status} ${answer.body?.message}`);
  }
}

/** Creates CRDs for real and waits (bounded) until the server serves every one of them. */
export async function installCrds(server: ApiServer, crds: KubeObject[], timeoutMs = 120_000): Promise<void> {
  for (const crd of crds) {
    const answer = await server.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    if (answer.status !== 201 && answer.status !== 409) throw new Error(`CRD ${crd.metadata.name}: ${answer.status} ${answer.body?.message}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const answer = await server.call("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      const established = (answer.body?.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "Established" && c.status === "True");
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not established after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
