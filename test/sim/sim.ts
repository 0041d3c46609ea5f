/**
 * The simulated fleet, assembled for a cycle: a state folder, KWOK's stages, the tunnel, the
 * reconcilers, the chart mirror, a bare git repository standing in for the platform's git server,
 * and a PATH whose `kind`, `docker` and `kubectl` are the simulation's and the built kubectl.
 * `stop()` stops everything it started, and every process any simulated cluster recorded, by PID.
 */
import { execFileSync } from "child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { startChartMirror } from "./charts";
import { type Controllers, startControllers } from "./controllers";
import { type SimBinaries, STATE_VARIABLE, writeFleet } from "./fleet";
import { karmadaJobEffects } from "./job-effects";
import { killRecordedOnExit, stopRecorded } from "./processes";
import { writeStages } from "./stages";
import { startTunnel, type Tunnel } from "./tunnel";

const ROOT = join(__dirname, "..", "..");

export interface SimFleet {
  state: string;
  /** The environment of the engine and its plugins: the scripts the command provider runs see it. */
  env: Record<string, string>;
  controllers: Controllers;
  tunnel: Tunnel;
  /** URLs the chart mirror did not have (a chart or file the program fetches that the simulation lacks). */
  mirrorMisses(): string[];
  stop(): Promise<void>;
}

export async function startSimFleet(binaries: SimBinaries): Promise<SimFleet> {
  const state = mkdtempSync(join(tmpdir(), "platform-sim-"));
  process.env[STATE_VARIABLE] = state;
  killRecordedOnExit(state);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await stopRecorded(state);
  };
  try {
    execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", join(__dirname, "tsconfig.json")], { stdio: "inherit", timeout: 300_000 });
    const kwokStages = writeStages(binaries.kwokStages, join(state, "kwok-stages"), ["karmada-pre-install", "karmada-post-delete"]);
    const tunnel = await startTunnel(state);
    stops.push(() => tunnel.stop());
    const fleet = { binaries: { ...binaries, kwokStages }, tunnelPort: tunnel.port };
    writeFleet(state, fleet);
    const controllers = startControllers(state, karmadaJobEffects(state, fleet));
    stops.push(() => controllers.stop());
    const mirror = await startChartMirror({ dir: join(state, "charts") });
    stops.push(() => mirror.stop());

    const path = join(state, "path");
    mkdirSync(path);
    for (const tool of ["kind", "docker"]) {
      writeFileSync(join(path, tool), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "bin", "sim", "test", "sim", `${tool}-cli.js`)}" "$@"\n`);
      chmodSync(join(path, tool), 0o755);
    }
    symlinkSync(binaries.kubectl, join(path, "kubectl"));
    // The platform's git server does not serve here: its seed pushes to a bare repository instead
    // (scripts/gitops-push.sh takes GITOPS_REMOTE over its port-forward).
    const gitops = join(state, "gitops.git");
    execFileSync("git", ["init", "--quiet", "--bare", gitops]);

    const env = {
      [STATE_VARIABLE]: state,
      PATH: `${path}:${process.env.PATH}`,
      GITOPS_REMOTE: `file://${gitops}`,
      GIT_AUTHOR_NAME: "platform-sim",
      GIT_AUTHOR_EMAIL: "sim@platform.invalid",
      GIT_COMMITTER_NAME: "platform-sim",
      GIT_COMMITTER_EMAIL: "sim@platform.invalid",
      ...mirror.env,
    };
    return { state, env, controllers, tunnel, mirrorMisses: () => mirror.requests.filter((r) => !r.startsWith("200 ")), stop: async () => {
      await stop();
      rmSync(state, { recursive: true, force: true });
    } };
  } catch (error) {
    await stop();
    throw error;
  }
}
