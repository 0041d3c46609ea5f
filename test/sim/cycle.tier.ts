import type { Stack } from "@pulumi/pulumi/automation";
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { engines } from "../engines/support/engines";
import { type EngineWorkspace, engineWorkspace } from "../engines/support/workspace";
import { readRecord } from "./cluster";
import { type Kube, kubeFromKubeconfig } from "./kube";
import type { Leftover } from "./leftovers";
import { alive, recordedPids, waitFor } from "./processes";
import { type SimFleet, startSimFleet } from "./sim";
import { runIndex } from "../engines/support/program";

// Tier: the simulated fleet. A real `pulumi up` of the dev stack (the project's index.ts, the real
// CLI and kubernetes provider, the command/random/tls stand-ins applying for real) on KWOK
// clusters made by the simulation's `kind`, with a real Karmada control plane; then a second run
// that must change nothing, Karmada's placements checked in the members, a member cut off to see
// the active-passive app fail over, and a `destroy` that must leave nothing. docs/testing.md says
// what is real and what is stood in for.

// What docs/placement.md and Pulumi.dev.yaml say the dev fleet's Karmada apps do.
const DIVIDED = { app: "nginx", replicas: { west: 2, east: 1 } as Record<string, number>, env: { west: "us-west", east: "us-east" } as Record<string, string> };
const SPREAD = { app: "ha-nginx", clusters: 2, replicas: 2 };
const ACTIVE_PASSIVE = { app: "nginx-dr", active: "west", standby: "east", replicas: 2 };
const WORKLOAD = ["west", "east"];

const log = (line: string) => process.stdout.write(`[sim] ${line}\n`);

/**
 * Why Helm leaves an object when its release is uninstalled, by Helm's documented rules, or
 * undefined: what destroy should have removed.
 */
function leftBy(o: Leftover, helmNamespaces: string[]): string | undefined {
  if (o.helm?.hook) return "a hook's resource (Helm does not delete them with the release)";
  if (o.helm?.resourcePolicy === "keep") return "helm.sh/resource-policy: keep";
  if (o.kind === "CustomResourceDefinition" && !o.helm?.release) return "a CRD from a chart's crds/ (Helm never deletes those)";
  if (o.kind === "Namespace" && !o.helm && helmNamespaces.includes(o.name)) return "the namespace of a release's createNamespace (Helm leaves it)";
  return undefined;
}

describe("the simulated dev fleet: up, up again, placement, failover, destroy", () => {
  let fleet: SimFleet;
  let workspace: EngineWorkspace;
  let stack: Stack;
  let upDone = false;
  let destroyed = false;
  /** Namespaces Helm made for a release (`createNamespace`), which it leaves when the release goes. */
  let helmNamespaces: string[] = [];
  const members: Record<string, Kube> = {};
  // The dev stack's kind clusters carry their own names (host slot 0).
  const member = (name: string) => (members[name] ??= kubeFromKubeconfig(readRecord(name, fleet.state)!.kubeconfig));

  beforeAll(async () => {
    const built = engines(["pulumi", "kubernetesProvider", "etcd", "kubeApiserver", "sim"]);
    fleet = await startSimFleet({ ...built.sim, etcd: built.etcd, kubeApiserver: built.kubeApiserver[built.sim.kubernetes], karmadaModule: built.karmadaModule });
    workspace = await engineWorkspace(built, { env: fleet.env, linkRepository: true });
    stack = await workspace.stack("dev", runIndex);
  }, 600_000);

  afterAll(async () => {
    try {
      if (upDone && !destroyed) await stack.destroy({ onOutput: () => undefined }).catch((e) => log(`cleanup destroy failed: ${e}`));
    } finally {
      await fleet?.stop();
      workspace?.dispose();
    }
  }, 1_200_000);

  test("the first `pulumi up` succeeds", async () => {
    const started = Date.now();
    const result = await stack.up({ onOutput: (line) => /error|warning/i.test(line) && process.stdout.write(line) });
    upDone = true;
    const deployment = (await stack.exportStack()).deployment as { resources?: { type: string; inputs?: { createNamespace?: boolean; namespace?: string } }[] };
    helmNamespaces = (deployment.resources ?? []).filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs?.createNamespace).map((r) => r.inputs!.namespace!);
    log(`first up: ${Math.round((Date.now() - started) / 1000)} s, ${JSON.stringify(result.summary.resourceChanges)}`);
    expect(result.summary.result).toBe("succeeded");
    expect(fleet.mirrorMisses()).toEqual([]);
  });

  test("a second `pulumi up` changes nothing", async () => {
    const started = Date.now();
    const preview = await stack.preview({ expectNoChanges: true, diff: true });
    log(`second run (preview --expect-no-changes): ${Math.round((Date.now() - started) / 1000)} s, ${JSON.stringify(preview.changeSummary)}`);
    // `read` is the program's reads of objects it does not own (Secrets a chart wrote): no change.
    const changed = Object.entries(preview.changeSummary).filter(([op]) => op !== "same" && op !== "read");
    expect(changed).toEqual([]);
  });

  test("Karmada divides nginx 2:1 with a REGION per cluster", async () => {
    for (const [cluster, replicas] of Object.entries(DIVIDED.replicas)) {
      const deployment = await waitFor(`${DIVIDED.app} in ${cluster}`, 180_000, async () => {
        const d = await member(cluster).call("GET", `/apis/apps/v1/namespaces/${DIVIDED.app}/deployments/${DIVIDED.app}`);
        return d.status === 200 && d.body.status?.readyReplicas === replicas ? d.body : undefined;
      });
      expect(deployment.spec.replicas).toBe(replicas);
      const env = deployment.spec.template.spec.containers[0].env as { name: string; value: string }[];
      expect(env).toContainEqual({ name: "REGION", value: DIVIDED.env[cluster] });
    }
  });

  test("ha-nginx runs on exactly two clusters, the active-passive app on its primary only, every Service everywhere", async () => {
    const where = async (app: string) => {
      const found: string[] = [];
      for (const cluster of WORKLOAD) if ((await member(cluster).call("GET", `/apis/apps/v1/namespaces/${app}/deployments/${app}`)).status === 200) found.push(cluster);
      return found;
    };
    await waitFor("ha-nginx placed", 180_000, async () => ((await where(SPREAD.app)).length === SPREAD.clusters ? true : undefined));
    expect(await where(ACTIVE_PASSIVE.app)).toEqual([ACTIVE_PASSIVE.active]);
    for (const app of [DIVIDED.app, SPREAD.app, ACTIVE_PASSIVE.app]) {
      for (const cluster of WORKLOAD) {
        const service = await waitFor(`Service ${app} in ${cluster}`, 120_000, async () => {
          const s = await member(cluster).call("GET", `/api/v1/namespaces/${app}/services/${app}`);
          return s.status === 200 ? s.body : undefined;
        });
        expect(service.metadata.name).toBe(app);
      }
    }
  });

  test("the active-passive app moves to its standby when its primary is cut off", async () => {
    fleet.tunnel.block(ACTIVE_PASSIVE.active);
    try {
      const started = Date.now();
      await waitFor(`${ACTIVE_PASSIVE.app} on the standby ${ACTIVE_PASSIVE.standby}`, 600_000, async () => {
        const d = await member(ACTIVE_PASSIVE.standby).call("GET", `/apis/apps/v1/namespaces/${ACTIVE_PASSIVE.app}/deployments/${ACTIVE_PASSIVE.app}`);
        return d.status === 200 && d.body.status?.readyReplicas === ACTIVE_PASSIVE.replicas ? true : undefined;
      }, 5000);
      log(`failover to ${ACTIVE_PASSIVE.standby}: ${Math.round((Date.now() - started) / 1000)} s after the cut`);
    } finally {
      fleet.tunnel.unblock(ACTIVE_PASSIVE.active);
    }
  });

  test("`pulumi destroy` succeeds and leaves nothing", async () => {
    const started = Date.now();
    const result = await stack.destroy({ onOutput: (line) => /error|warning/i.test(line) && process.stdout.write(line) });
    destroyed = true;
    log(`destroy: ${Math.round((Date.now() - started) / 1000)} s, ${JSON.stringify(result.summary.resourceChanges)}`);
    expect(result.summary.result).toBe("succeeded");
    const exported = await stack.exportStack();
    expect(exported.deployment.resources ?? []).toEqual([]);
    // Every cluster gone, with what it still held when it was deleted.
    expect(existsSync(join(fleet.state, "clusters")) ? readdirSync(join(fleet.state, "clusters")) : []).toEqual([]);
    const left: Record<string, Leftover[]> = {};
    const dir = join(fleet.state, "leftovers");
    for (const file of existsSync(dir) ? readdirSync(dir) : []) left[file.replace(/\.json$/, "")] = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const why = (o: Leftover) => leftBy(o, helmNamespaces);
    const all = Object.entries(left).flatMap(([cluster, objects]) => objects.map((o) => ({ cluster, ...o, why: why(o) })));
    const counts = all.reduce<Record<string, number>>((n, o) => ({ ...n, [o.why ?? "unexplained"]: (n[o.why ?? "unexplained"] ?? 0) + 1 }), {});
    log(`held by the clusters at deletion: ${JSON.stringify(counts)}`);
    expect(all.filter((o) => o.why === undefined)).toEqual([]);
    expect(recordedPids(fleet.state).filter((p) => alive(p.pid))).toEqual([]);
    // A reconciler's connection dropped by a cluster being deleted is no reconcile error.
    expect(fleet.controllers.errors.filter((e) => !/ECONNREFUSED|ECONNRESET|EPIPE|socket hang up/.test(e))).toEqual([]);
  });
});
