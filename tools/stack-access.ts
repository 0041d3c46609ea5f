import { spawn } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { FleetOutputs } from "../packages/contract/src";

/** What a command printed, and how it ended (127 when it could not start). */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with `input` on its stdin. */
export function run(command: string, args: string[], input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: String(e) }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** Runs a command and returns its stdout; throws with its stderr when it fails. */
export async function must(command: string, args: string[], input?: string): Promise<string> {
  const result = await run(command, args, input);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** The value after `--<name>` on the command line. */
export function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** A stack's outputs (`stack`, or the selected one), secrets in plain text: the platform team's access. */
export async function readOutputs<T>(stack: string | undefined): Promise<T> {
  return JSON.parse(await must("pulumi", ["stack", "output", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])])) as T;
}

/**
 * The stack's outputs (`--stack` or the selected one), with a kubectl for any kubeconfig among
 * them written to a private temporary file.
 */
export async function openStack(tool: string): Promise<{ outputs: FleetOutputs; kubectl: (kubeconfig: string, args: string[], input?: string) => Promise<RunResult> }> {
  const outputs = await readOutputs<FleetOutputs>(flag("stack"));
  const dir = mkdtempSync(join(tmpdir(), `${tool}-`));
  const files = new Map<string, string>();
  const fileOf = (kubeconfig: string) => {
    if (!files.has(kubeconfig)) {
      const file = join(dir, `${files.size}.kubeconfig`);
      writeFileSync(file, kubeconfig, { mode: 0o600 });
      files.set(kubeconfig, file);
    }
    return files.get(kubeconfig)!;
  };
  return { outputs, kubectl: (kubeconfig, args, input) => run("kubectl", ["--kubeconfig", fileOf(kubeconfig), ...args], input) };
}
