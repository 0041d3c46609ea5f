import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

/**
 * The config a stack runs with, as the CLI would give it to the program: the defaults declared in
 * Pulumi.yaml under the values of Pulumi.<stack>.yaml.
 */
export function readStackConfig(root: string, stack: string): Record<string, unknown> {
  const project = readProject(root);
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`no stack file ${file}: the stacks are ${stackNames(root).join(", ")}`);
  const config: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    if (!key.includes(":") && decl && "default" in decl) config[`${project.name}:${key}`] = decl.default;
  }
  const stackFile = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  return { ...config, ...(stackFile.config ?? {}) };
}

/** The flags Pulumi starts the program's node with (Pulumi.yaml's `runtime.options.nodeargs`, split on spaces). */
export function projectNodeArgs(root: string): string[] {
  return (readProject(root).runtime?.options?.nodeargs ?? "").split(/\s+/).filter(Boolean);
}

/** Pulumi.yaml, as far as these tools read it. */
interface Project {
  name: string;
  config?: Record<string, { default?: unknown } | null>;
  runtime?: { options?: { nodeargs?: string } };
}

function readProject(root: string): Project {
  return parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as Project;
}

/** The fleet's settings of a stack's config: its `platform:` keys without the prefix, but `composition` (which picks the stack's code). */
export function fleetConfigOf(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith("platform:") && k !== "platform:composition")
      .map(([k, v]) => [k.slice("platform:".length), v]),
  );
}

function stackNames(root: string): string[] {
  return readdirSync(root).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.slice(1, 2) ?? []);
}
