import { type ChildProcess, spawn } from "child_process";
import { generateKeyPairSync } from "crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "fs";
import { request as httpsRequest } from "https";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";

/** A kube-apiserver on loopback with its own etcd, reached with a static admin token. */
export interface ApiServer {
  /** Sends one request; the body is JSON unless `contentType` says otherwise. */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
  /** A kubeconfig (JSON) for the same identity, for kubectl and the program's scripts. */
  kubeconfig: string;
  stop(): Promise<void>;
}

const TOKEN = "platform-engines-admin";
/** How long a server may take to answer /readyz: a cold start on a busy 2-core machine. */
const READY_TIMEOUT_MS = 120_000;

/** A free loopback port (the kernel's pick, released again for the server to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts etcd and kube-apiserver (`binary`, of Kubernetes `version`) on loopback ports, and waits
 * (bounded) until the API server reports ready. Authentication is one static token in
 * `system:masters`; no webhook admission runs because no webhook object is ever created for real.
 */
/** A single-member etcd on loopback ports, its data in `dataDir`, never syncing to disk (a test's). */
export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  return [
    `--data-dir=${dataDir}`,
    `--listen-client-urls=http://127.0.0.1:${clientPort}`,
    `--advertise-client-urls=http://127.0.0.1:${clientPort}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
    "--unsafe-no-fsync",
  ];
}

export async function startApiServer(version: string, binaries: { etcd: string; kubeApiserver: string }): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), `apiserver-${version}-`));
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await kill(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    children.push(
      launch(binaries.etcd, join(dir, "etcd.log"), etcdArgs(join(dir, "etcd"), etcdClient, etcdPeer)),
    );
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(join(dir, "sa.key"), privateKey.export({ type: "pkcs1", format: "pem" }));
    writeFileSync(join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
    writeFileSync(join(dir, "tokens.csv"), `${TOKEN},admin,admin,system:masters\n`);
    children.push(
      launch(binaries.kubeApiserver, join(dir, "kube-apiserver.log"), [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        "--bind-address=127.0.0.1",
        `--advertise-address=127.0.0.1`,
        `--secure-port=${securePort}`,
        `--cert-dir=${join(dir, "certs")}`,
        `--token-auth-file=${join(dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        `--service-account-issuer=https://kubernetes.default.svc`,
        `--service-account-key-file=${join(dir, "sa.pub")}`,
        `--service-account-signing-key-file=${join(dir, "sa.key")}`,
        "--service-cluster-ip-range=10.96.0.0/16",
        "--enable-priority-and-fairness=false",
        "--profiling=false",
      ]),
    );
    const url = `https://127.0.0.1:${securePort}`;
    // The server's certificate is the self-signed one it made in its own folder, on loopback.
    const options = { headers: { authorization: `Bearer ${TOKEN}` }, tls: { rejectUnauthorized: false } };
    const call = (method: string, path: string, body?: unknown, contentType = "application/json") => sendJson(url, method, path, body, contentType, options);
    await waitReady(call, children, dir);
    const kubeconfig = JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "engines", cluster: { server: url, "insecure-skip-tls-verify": true } }],
      users: [{ name: "admin", user: { token: TOKEN } }],
      contexts: [{ name: "engines", context: { cluster: "engines", user: "admin" } }],
      "current-context": "engines",
    });
    return { call, kubeconfig, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function launch(binary: string, log: string, args: string[]): ChildProcess {
  const out = openSync(log, "a");
  const child = spawn(binary, args, { stdio: ["ignore", out, out] });
  closeSync(out);
  // Never outlive the test process, whatever ends it: its exit, or a signal (a cancelled CI run).
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      reap();
      process.kill(process.pid, signal);
    });
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function waitReady(call: ApiServer["call"], children: ChildProcess[], dir: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead) throw new Error(`${dead.spawnfile} exited (${dead.exitCode ?? dead.signalCode}): ${tail(dir)}`);
    try {
      const ready = await call("GET", "/readyz");
      if (ready.status === 200) return;
      last = `readyz ${ready.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`kube-apiserver not ready after ${READY_TIMEOUT_MS / 1000} s (${last}): ${tail(dir)}`);
}

function tail(dir: string): string {
  return ["etcd.log", "kube-apiserver.log"]
    .map((f) => {
      try {
        return `${f}:\n${readFileSync(join(dir, f), "utf8").split("\n").slice(-15).join("\n")}`;
      } catch {
        return `${f}: none`;
      }
    })
    .join("\n");
}

/** How a request authenticates: headers (a token) and the TLS options of `https.request` (CA, client certificate). */
export interface RequestAuth {
  headers?: Record<string, string>;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
}

/** One request to an API server; the body is sent as JSON unless it is a string, the answer parsed as JSON when it is. */
export function sendJson(
  url: string,
  method: string,
  path: string,
  body: unknown,
  contentType: string,
  auth: RequestAuth,
  timeoutMs = 60_000,
): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${url}${path}`,
      {
        method,
        ...auth.tls,
        headers: {
          ...auth.headers,
          accept: "application/json",
          ...(payload !== undefined ? { "content-type": contentType, "content-length": Buffer.byteLength(payload) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: /readyz answers text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}${path}: no answer in ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
