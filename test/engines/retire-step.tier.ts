import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { caseConfig } from "../support/graph";
import { named, plain, runProgram } from "../support/harness";
import { type ApiServer, startApiServer } from "./support/api-server";
import { type Engines, engines, versions } from "./support/engines";

// Tier: real API servers. The mesh's step that retires the one-per-remote Secrets of earlier
// releases (components/mesh/remote-secret.ts), run with the built kubectl against a real
// kube-apiserver that holds such Secrets: the simulated fleet only ever runs it on a new fleet.

const NAMESPACE = "istio-system";
const LABELS = { "istio/multiCluster": "true" };
let tools: Engines;
let server: ApiServer;

beforeAll(async () => {
  tools = engines(["etcd", "kubeApiserver", "sim"]);
  const version = versions.kubernetes.dev;
  server = await startApiServer(version, { etcd: tools.etcd, kubeApiserver: tools.kubeApiserver[version] });
}, 180_000);
afterAll(async () => server?.stop());

const secret = (name: string, labels?: Record<string, string>) => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace: NAMESPACE, labels }, stringData: { x: "y" } });

test("it deletes the labelled istio-remote-secret-* Secrets of a running mesh, and nothing else", async () => {
  const { resources } = await runProgram({ stack: "dev", config: caseConfig("dev", "sidecar"), program: async () => (await import("../../stacks")).composeStack() });
  const step = named(resources, "command:local:Command", "mesh-west-retire-pair-secrets").inputs;
  expect((await server.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } })).status).toBe(201);
  const kept = [secret("istio-remote-secrets", LABELS), secret("istio-remote-secret-unlabelled"), secret("cacerts")];
  const retired = [secret("istio-remote-secret-east", LABELS), secret("istio-remote-secret-north", LABELS)];
  for (const object of [...kept, ...retired]) {
    expect((await server.call("POST", `/api/v1/namespaces/${NAMESPACE}/secrets`, object)).status).toBe(201);
  }
  // kubectl keeps its discovery cache under $HOME/.kube: a scratch home, not the working tree.
  const home = mkdtempSync(join(tmpdir(), "retire-step-"));
  const run = spawnSync(step.interpreter[0], [...step.interpreter.slice(1), step.create], {
    env: { ...plain(step.environment), HOME: home, KUBECONFIG_DATA: server.kubeconfig, PATH: `${dirname(tools.sim.kubectl)}:/usr/bin:/bin` },
    encoding: "utf8",
    // No stdin: on a socket (libuv's pipes are socket pairs) bash would read ~/.bashrc, as for ssh.
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  rmSync(home, { recursive: true, force: true });
  expect([run.status, run.stderr]).toEqual([0, ""]);
  const left = (await server.call("GET", `/api/v1/namespaces/${NAMESPACE}/secrets`)).body.items.map((s: { metadata: { name: string } }) => s.metadata.name);
  expect(left.sort()).toEqual(kept.map((s) => s.metadata.name).sort());
}, 120_000);
