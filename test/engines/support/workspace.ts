import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { execFileSync } from "child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { type Engines, versions } from "./engines";

const ROOT = join(__dirname, "..", "..", "..");
/** The stand-ins, compiled by `prepareStandIns` (bin/ is the project's build output). */
const STANDIN_OUT = join(ROOT, "bin", "standin");

/** A scratch Pulumi home, backend and project folder, with the real CLI and the plugins installed. */
export interface EngineWorkspace {
  stack(name: string, program: () => Promise<Record<string, unknown>>): Promise<Stack>;
  dispose(): void;
}

export interface WorkspaceOptions {
  /** More environment for the CLI and its plugins (the scripts the command provider runs inherit it). Default none. */
  env?: Record<string, string>;
  /**
   * The project folder links every top-level entry of the repository (but the stack files, which
   * are copied), so the program's relative paths (scripts/, the Karmada post-renderer) resolve as
   * in a checkout. Default false: a bare folder with the project and stack files.
   */
  linkRepository?: boolean;
}

/**
 * Installs, into a scratch PULUMI_HOME, the real kubernetes provider and the stand-ins for command,
 * random and tls (each a script that runs the compiled stand-in for its package), and makes stacks
 * of the project with an inline program, on a local file backend in the same scratch folder.
 */
export async function engineWorkspace(tools: Engines, options: WorkspaceOptions = {}): Promise<EngineWorkspace> {
  const home = mkdtempSync(join(tmpdir(), "pulumi-engine-"));
  execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", join(__dirname, "..", "standin", "tsconfig.json")], { stdio: "inherit", timeout: 300_000 });
  const env = {
    PULUMI_HOME: join(home, "home"),
    PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // Nothing is downloaded: a plugin that is not installed here is an error, not a fetch.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    ...options.env,
  };
  mkdirSync(join(home, "state"), { recursive: true });
  const pulumi = (...args: string[]) => execFileSync(tools.pulumi, args, { env: { ...process.env, ...env }, stdio: "pipe", timeout: 300_000 });
  pulumi("plugin", "install", "resource", "kubernetes", versions.kubernetesProvider.plugin, "--file", tools.kubernetesProvider);
  for (const [name, version] of Object.entries(versions.standIns)) {
    // A real build of the provider, where one has it, takes the stand-in's place (a cross-check).
    const real = process.env[`PLATFORM_ENGINE_PROVIDER_${name.toUpperCase()}`];
    const script = join(home, "plugins", `pulumi-resource-${name}`);
    mkdirSync(dirname(script), { recursive: true });
    writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" "${join(STANDIN_OUT, "server.js")}" ${name} ${version} "$@"\n`);
    chmodSync(script, 0o755);
    pulumi("plugin", "install", "resource", name, version, "--file", real ?? script);
  }
  const project = join(home, "project");
  mkdirSync(project);
  if (options.linkRepository) {
    for (const entry of readdirSync(ROOT).filter((e) => !/^Pulumi\..*yaml$/.test(e) && e !== ".git")) symlinkSync(join(ROOT, entry), join(project, entry));
  }
  const command = await PulumiCommand.get({ root: dirname(dirname(tools.pulumi)), skipVersionCheck: true });
  return {
    async stack(name, program) {
      // The project's own settings and stack file, in a scratch folder the workspace may write to.
      for (const file of ["Pulumi.yaml", `Pulumi.${name}.yaml`]) copyFileSync(join(ROOT, file), join(project, file));
      return LocalWorkspace.createOrSelectStack({ stackName: name, projectName: "platform", program }, { workDir: project, pulumiCommand: command, envVars: env });
    },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}
