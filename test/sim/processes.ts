/**
 * The simulated fleet's processes: each started detached (it outlives the `kind` call that made
 * it), its PID written under the fleet's state folder, so that whoever stops the fleet (a `kind
 * delete`, or the cycle's teardown, whatever happened before) finds and stops every one by PID.
 */
import { spawn } from "child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { join } from "path";

/** Starts `binary` detached, logging to `<dir>/logs/<name>.log`, its PID in `<dir>/pids/<name>`. */
export function startProcess(dir: string, name: string, binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  mkdirSync(join(dir, "logs"), { recursive: true });
  mkdirSync(join(dir, "pids"), { recursive: true });
  const out = openSync(join(dir, "logs", `${name}.log`), "a");
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", out, out], env });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${binary}`);
  writeFileSync(join(dir, "pids", name), String(child.pid));
  child.unref();
  return child.pid;
}

/** Whether a process of that PID is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every PID recorded under `dir`, at any depth (a cluster's, Karmada's), by file. */
export function recordedPids(dir: string): { file: string; pid: number }[] {
  if (!existsSync(dir)) return [];
  const found: { file: string; pid: number }[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (entry === "pids") {
      for (const file of readdirSync(path)) found.push({ file: join(path, file), pid: Number(readFileSync(join(path, file), "utf8")) });
    } else {
      found.push(...recordedPids(path));
    }
  }
  return found;
}

/** Stops every process recorded under `dir`: SIGTERM, then SIGKILL after `graceMs`. Returns how many were alive. */
export async function stopRecorded(dir: string, graceMs = 10_000): Promise<number> {
  const running = recordedPids(dir).filter((p) => alive(p.pid));
  for (const p of running) signal(p.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (running.some((p) => alive(p.pid)) && Date.now() < deadline) await sleep(200);
  for (const p of running) if (alive(p.pid)) signal(p.pid, "SIGKILL");
  for (const p of recordedPids(dir)) rmSync(p.file, { force: true });
  return running.length;
}

/**
 * Kills every process recorded under `dir` when this process ends, however it ends (its exit, or a
 * signal: a cancelled CI run), synchronously, as an exit handler must: the processes are detached
 * and would outlive it.
 */
export function killRecordedOnExit(dir: string): void {
  const killAll = () => {
    for (const p of recordedPids(dir)) if (alive(p.pid)) signal(p.pid, "SIGKILL");
  };
  process.once("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    // The process group: a binary's own children go with it.
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = `: ${(error as Error).message}`;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s${last}`);
}

export { freePort } from "../engines/support/api-server";
