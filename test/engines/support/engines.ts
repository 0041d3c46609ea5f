import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { homedir } from "os";
import { join } from "path";

/** Where test/engines/build.sh put each real engine (its manifest.json). */
export interface Engines {
  /** SHA-256 of the versions.json the cache was built for. */
  pins: string;
  pulumi: string;
  kubernetesProvider: string;
  helm: string;
  karmadaCheck: string;
  /** The karmada module's folder (its chart and CRDs). */
  karmadaModule: string;
  etcd: string;
  /** What `etcd --version` says (Debian's package is not pinned: the tier prints it). */
  etcdVersion: string;
  /** kube-apiserver binary by Kubernetes version (`v1.36.1`). */
  kubeApiserver: Record<string, string>;
  /** Folder of each Go module that carries CRDs, by the name in versions.json. */
  crdModules: Record<string, string>;
  /** The simulated fleet's engines. */
  sim: SimEngines;
}

/** The simulated fleet's engines: a KWOK cluster's processes and Karmada's, as local binaries. */
export interface SimEngines {
  /** The Kubernetes version of the cluster's binaries (its kube-apiserver is `kubeApiserver[kubernetes]`). */
  kubernetes: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  /** The Stages kwok plays (its `--config` files, in the Go module cache): it embeds none. */
  kwokStages: string[];
  karmadaControllerManager: string;
  karmadaScheduler: string;
  karmadaAggregatedApiserver: string;
  /** Needed, not only a check: its mutation labels a policy with the permanent id that the scheduler requires. */
  karmadaWebhook: string;
  /** The kube-apiserver that serves as karmada-apiserver. */
  karmadaApiserver: string;
}

/** The pins of test/engines/versions.json. */
export interface EngineVersions {
  pulumi: string;
  kubernetesProvider: { module: string; version: string; sdkVersion: string; plugin: string };
  /** The command, random and tls providers' versions the stand-ins answer for. */
  standIns: Record<"command" | "random" | "tls", string>;
  helm: string;
  kubernetes: Record<"dev" | "prod", string>;
  karmada: string;
  /** The simulated fleet: which stack's Kubernetes it runs, KWOK, which stack's kube-apiserver serves Karmada. */
  sim: { kubernetes: "dev" | "prod"; kwok: { module: string; version: string; stages: string[] }; karmadaApiserver: "dev" | "prod" };
  crdModules: Record<string, { module: string; version: string; files: string[] }>;
}

const VERSIONS_FILE = join(__dirname, "..", "versions.json");
export const versions: EngineVersions = JSON.parse(readFileSync(VERSIONS_FILE, "utf8"));

function cacheDir(): string {
  return process.env.PLATFORM_ENGINES_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "platform-engines");
}

/** The built engines a tier needs; an error that says how to build them when they are not there. */
export function engines(needed: (keyof Omit<Engines, "karmadaModule" | "crdModules">)[]): Engines {
  const manifest = join(cacheDir(), "manifest.json");
  if (!existsSync(manifest)) throw new Error(`${manifest} is missing: run \`npm run engines:build\` first`);
  const found: Engines = JSON.parse(readFileSync(manifest, "utf8"));
  if (found.pins !== createHash("sha256").update(readFileSync(VERSIONS_FILE)).digest("hex")) {
    throw new Error(`${manifest} was built for other pins than test/engines/versions.json: run \`npm run engines:build\``);
  }
  const files = needed.flatMap((tool) => {
    if (tool === "kubeApiserver") return Object.values(found.kubeApiserver);
    if (tool === "sim") return Object.entries(found.sim).flatMap(([key, value]) => (key === "kubernetes" ? [] : value));
    return [found[tool]];
  });
  const missing = files.filter((f) => !f || !existsSync(f));
  if (missing.length) throw new Error(`engines missing (${missing.join(", ")}): run \`npm run engines:build\``);
  return found;
}
