import { manifests, NAMESPACE, SERVER_PORT, serverName } from "./manifests";

/** What the check needs from a cluster; kubectl in real runs, a fake in tests. */
export interface Kube {
  apply(cluster: string, objects: Record<string, unknown>[]): Promise<void>;
  waitForDeployment(cluster: string, namespace: string, name: string): Promise<void>;
  exec(cluster: string, namespace: string, deployment: string, command: string[]): Promise<{ code: number; stdout: string }>;
}

export interface Call {
  ok: boolean;
  /** The cluster whose server answered, when one did. */
  answeredBy?: string;
  detail?: string;
}

/** Calls by client cluster, then by the cluster whose server was called. */
export type Matrix = Record<string, Record<string, Call>>;

export interface CheckOptions {
  mode: "sidecar" | "ambient";
  /** Tries per call: cross-cluster endpoints take a while to appear after a deploy. Default 10. */
  attempts?: number;
  /** Pause between tries, in milliseconds. Default 3000. */
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Deploys (or reuses) a client and an echo server in every cluster, then has each client call
 * the server of every *other* cluster, which exists only there: every answer crossed the mesh.
 */
export async function runMeshCheck(clusters: string[], kube: Kube, options: CheckOptions): Promise<Matrix> {
  const attempts = options.attempts ?? 10;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  await Promise.all(clusters.map((c) => kube.apply(c, manifests(c, clusters, options.mode))));
  await Promise.all(
    clusters.flatMap((c) => [kube.waitForDeployment(c, NAMESPACE, "client"), kube.waitForDeployment(c, NAMESPACE, serverName(c))]),
  );

  const matrix: Matrix = {};
  for (const client of clusters) {
    matrix[client] = {};
    for (const server of clusters.filter((s) => s !== client)) {
      matrix[client][server] = await call(kube, client, server, clusters, attempts, () => sleep(options.delayMs ?? 3000));
    }
  }
  return matrix;
}

async function call(kube: Kube, client: string, server: string, clusters: string[], attempts: number, pause: () => Promise<void>): Promise<Call> {
  const url = `http://${serverName(server)}.${NAMESPACE}.svc.cluster.local:${SERVER_PORT}/hostname`;
  let last: Call = { ok: false, detail: "not tried" };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const result = await kube.exec(client, NAMESPACE, "client", ["curl", "-sS", "--max-time", "5", url]);
    const hostname = result.stdout.trim();
    const answeredBy = clusters.find((c) => hostname.startsWith(`${serverName(c)}-`));
    last =
      result.code === 0 && answeredBy === server
        ? { ok: true, answeredBy }
        : { ok: false, answeredBy, detail: result.code === 0 ? `answered by ${hostname || "nobody"}` : `curl exited ${result.code}` };
    if (last.ok) return last;
    if (attempt < attempts) await pause();
  }
  return last;
}

/** The matrix as a table: a row per client, a column per server, the answering cluster in each cell. */
export function renderMatrix(matrix: Matrix): string {
  const clusters = Object.keys(matrix);
  const cell = (client: string, server: string) => {
    if (client === server) return "-";
    const c = matrix[client][server];
    return c.ok ? `ok (${c.answeredBy})` : `FAIL (${c.detail})`;
  };
  const rows = [["client \\ server", ...clusters], ...clusters.map((client) => [client, ...clusters.map((s) => cell(client, s))])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

export function failures(matrix: Matrix): number {
  return Object.values(matrix).flatMap((row) => Object.values(row)).filter((c) => !c.ok).length;
}
