/**
 * The docker network `kind`, as far as the real Karmada controllers use it: they reach member
 * clusters at `https://<cluster>-control-plane:6443` (the clusters' internal endpoints). Run on
 * the host, they are given this proxy (HTTPS_PROXY): a CONNECT to a simulated cluster's node name
 * and port 6443 is tunnelled to its API server on loopback, TLS untouched end to end (the server's
 * certificate carries the node name, as kind's does). Anything else is refused and recorded.
 */
import { existsSync, readdirSync } from "fs";
import { connect, createServer, type Server, type Socket } from "net";
import { join } from "path";
import { readRecord } from "./cluster";
import { nodeNames } from "./nodes";

/** Where a node name and port lead, from the clusters running now: the cluster and its API port. */
export function tunnelTarget(state: string, host: string, port: number): { cluster: string; port: number } | undefined {
  if (port !== 6443) return undefined;
  const dir = join(state, "clusters");
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)) {
    const record = readRecord(name, state);
    if (!record) continue;
    const names = [...nodeNames(record.config).filter((n) => n.role === "control-plane").map((n) => n.name), `${name}-external-load-balancer`];
    if (names.includes(host)) return { cluster: name, port: record.config.networking.apiServerPort };
  }
  return undefined;
}

export interface Tunnel {
  port: number;
  /** CONNECT targets refused: what a real controller tried to reach that the simulation does not have. */
  refused: string[];
  /** Cuts a cluster off (its open tunnels closed, new ones refused), as a network partition would. */
  block(cluster: string): void;
  unblock(cluster: string): void;
  stop(): Promise<void>;
}

export async function startTunnel(state: string): Promise<Tunnel> {
  const refused: string[] = [];
  const blocked = new Set<string>();
  const open = new Map<Socket, string>();
  const server: Server = createServer((socket) => {
    socket.once("data", (head) => {
      const text = head.toString("latin1");
      const match = /^CONNECT ([^:\s]+):(\d+) HTTP\/1\.[01]\r\n/.exec(text);
      const target = match ? tunnelTarget(state, match[1], Number(match[2])) : undefined;
      if (!match || target === undefined || blocked.has(target.cluster)) {
        refused.push(match ? `${match[1]}:${match[2]}` : text.split("\r\n")[0]);
        socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      open.set(socket, target.cluster);
      socket.on("close", () => open.delete(socket));
      const upstream = connect(target.port, "127.0.0.1", () => {
        socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
        const rest = head.subarray(head.indexOf("\r\n\r\n") + 4);
        if (rest.length) upstream.write(rest);
        socket.pipe(upstream).pipe(socket);
      });
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      upstream.on("error", close);
      socket.on("error", close);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    refused,
    block(cluster) {
      blocked.add(cluster);
      for (const [socket, to] of open) if (to === cluster) socket.destroy();
    },
    unblock: (cluster) => blocked.delete(cluster),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
