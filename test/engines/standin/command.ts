/**
 * pulumi-command v1.2.1's local `run` (provider/pkg/provider/local/commandOutputs.go, logging.go):
 * the interpreter (default `/bin/sh -c`) runs the script in `dir` (default the provider's working
 * directory) with the provider's environment plus `environment`, and, unless
 * `addPreviousOutputInEnv` is false, the previous stdout and stderr as PULUMI_COMMAND_STDOUT and
 * PULUMI_COMMAND_STDERR when they are not empty. `logging` only chooses what is logged; both
 * streams are always captured, each with one trailing newline cut.
 */
import { spawn } from "child_process";
import { existsSync } from "fs";

/** A command's plain inputs (secrets already unwrapped), as the provider decodes them. */
export interface CommandInputs {
  interpreter?: string[];
  dir?: string;
  environment?: Record<string, string>;
  stdin?: string;
  logging?: string;
  addPreviousOutputInEnv?: boolean;
}

/** What a run returns: the outputs pulumi-command sets. */
export interface CommandOutputs {
  stdout: string;
  stderr: string;
}

/** Where a logged line goes: the engine's status log, against the resource. */
export type LogLine = (line: string) => void;

/** Go's %q for the strings a script holds: Go escapes, quotes, and \xNN for other control bytes. */
export function goQuote(text: string): string {
  const escapes: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"' };
  const body = [...text]
    .map((c) => escapes[c] ?? (c.charCodeAt(0) < 0x20 || c === "\x7f" ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : c))
    .join("");
  return `"${body}"`;
}

/** Logging's ShouldLogStdout and ShouldLogStderr: unset logs both. */
const logs = (logging: string | undefined, stream: "stdout" | "stderr") =>
  logging === undefined || logging === stream || logging === "stdoutAndStderr";

/**
 * Runs `script` as pulumi-command's `run` does; `previous` is the outputs the env variables come
 * from (none on create). A failure is an Error with the provider's message: the cause, the script
 * quoted, then stdout and stderr as they interleaved.
 */
export function runCommand(script: string, inputs: CommandInputs, previous: CommandOutputs | undefined, log: LogLine): Promise<CommandOutputs> {
  const [program, ...args] = inputs.interpreter?.length ? inputs.interpreter : ["/bin/sh", "-c"];
  const env: NodeJS.ProcessEnv = { ...process.env, ...inputs.environment };
  if (inputs.addPreviousOutputInEnv !== false && previous) {
    if (previous.stdout !== "") env.PULUMI_COMMAND_STDOUT = previous.stdout;
    if (previous.stderr !== "") env.PULUMI_COMMAND_STDERR = previous.stderr;
  }
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const both: Buffer[] = [];
    // Logged lines are what the two streams wrote to one pipe, read line by line.
    let pending = "";
    const logChunk = (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop()!;
      lines.forEach(log);
    };
    const child = spawn(program, [...args, script], { cwd: inputs.dir ?? process.cwd(), env, stdio: ["pipe", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      both.push(chunk);
      if (logs(inputs.logging, "stdout")) logChunk(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      both.push(chunk);
      if (logs(inputs.logging, "stderr")) logChunk(chunk);
    });
    // An empty stdin is no stdin (Go leaves cmd.Stdin nil: the null device).
    child.stdin.on("error", () => undefined);
    child.stdin.end(inputs.stdin ? inputs.stdin : undefined);
    const fail = (cause: string) => reject(new Error(`${cause}: running ${goQuote(script)}:\n${Buffer.concat(both).toString()}`));
    child.on("error", (error: NodeJS.ErrnoException) => {
      // Go's exec: a missing program or directory, worded as os/exec words it.
      if (error.code === "ENOENT" && inputs.dir && !existsSync(inputs.dir)) fail(`chdir ${inputs.dir}: no such file or directory`);
      else if (error.code === "ENOENT") fail(program.includes("/") ? `fork/exec ${program}: no such file or directory` : `exec: ${goQuote(program)}: executable file not found in $PATH`);
      else fail(error.message);
    });
    child.on("close", (code, signal) => {
      if (pending) log(pending);
      if (signal) return fail(`signal: ${signalName(signal)}`);
      if (code !== 0) return fail(`exit status ${code}`);
      const trim = (chunks: Buffer[]) => Buffer.concat(chunks).toString().replace(/\n$/, "");
      resolve({ stdout: trim(stdout), stderr: trim(stderr) });
    });
  });
}

/** Go's names for the signals a script most often dies of (os.Signal's String). */
function signalName(signal: NodeJS.Signals): string {
  const names: Partial<Record<NodeJS.Signals, string>> = { SIGKILL: "killed", SIGTERM: "terminated", SIGINT: "interrupt", SIGSEGV: "segmentation fault", SIGPIPE: "broken pipe", SIGABRT: "aborted", SIGHUP: "hangup" };
  return names[signal] ?? signal;
}
