/**
 * The simulated fleet's shared settings: where its state lives (`$PLATFORM_SIM_STATE`) and what
 * the cycle wrote there for the stand-in `kind` and `docker` commands (`fleet.json`): the built
 * binaries and KWOK's stages. The stand-ins run inside the command provider, which inherits the
 * engine's environment, so the variable reaches them.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import type { SimEngines } from "../engines/support/engines";

/**
 * The binaries a simulated cluster and the Karmada control plane run: the manifest's `sim` engines
 * (kwokStages rewritten by the simulation, stages.ts), with etcd, the cluster's kube-apiserver and
 * the Karmada module's folder (its CRDs).
 */
export type SimBinaries = Omit<SimEngines, "kubernetes"> & { etcd: string; kubeApiserver: string; karmadaModule: string };

export interface FleetSettings {
  binaries: SimBinaries;
  /** Where the tunnel that stands in for the docker network listens (see tunnel.ts). */
  tunnelPort: number;
}

export const STATE_VARIABLE = "PLATFORM_SIM_STATE";

/** The fleet's state folder, from the environment; an error when it is not set. */
export function stateDir(): string {
  const dir = process.env[STATE_VARIABLE];
  if (!dir) throw new Error(`${STATE_VARIABLE} is not set: the simulated kind and docker run only inside the simulation (npm run test:sim)`);
  return dir;
}

export function readFleet(dir = stateDir()): FleetSettings {
  const file = join(dir, "fleet.json");
  if (!existsSync(file)) throw new Error(`${file} is missing: the simulation writes it before the first run`);
  return JSON.parse(readFileSync(file, "utf8"));
}

export function writeFleet(dir: string, settings: FleetSettings): void {
  writeFileSync(join(dir, "fleet.json"), JSON.stringify(settings, null, 2));
}

export const clusterDir = (name: string, dir = stateDir()) => join(dir, "clusters", name);
