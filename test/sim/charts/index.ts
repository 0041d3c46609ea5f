import { mkdirSync } from "fs";
import { engines } from "../../engines/support/engines";
import { buildMirror } from "./content";
import { startInterceptionProxy } from "./proxy";

/** A running chart mirror: how to point the kubernetes provider (or helm) at it, and what it was asked. */
export interface ChartMirror {
  port: number;
  /** The CA every mirrored host's certificate is signed by (PEM). */
  caFile: string;
  /**
   * The environment of a Go client that must fetch through the mirror: `HTTPS_PROXY`, and
   * `SSL_CERT_FILE` as its only trusted roots. Loopback is never proxied (the kube-apiservers).
   */
  env: Record<string, string>;
  /** Every URL asked, as `<status> <url>`, in order. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * Starts the simulation's chart mirror: builds every pinned chart (real from its Go module,
 * or a stand-in), each repository's index and Gateway API's CRDs into `dir`, and serves them
 * as their internet URLs through an HTTPS interception proxy on loopback. Needs the engines
 * cache (`npm run engines:build`: the modules' charts and CRDs).
 */
export async function startChartMirror({ dir }: { dir: string }): Promise<ChartMirror> {
  mkdirSync(dir, { recursive: true });
  const files = buildMirror(engines([]), dir);
  const proxy = await startInterceptionProxy(dir, files);
  return { ...proxy, env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, SSL_CERT_FILE: proxy.caFile } };
}
