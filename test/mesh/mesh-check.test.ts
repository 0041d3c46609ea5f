import { failures, Kube, renderMatrix, runMeshCheck } from "../../tools/mesh-check/check";
import { manifests } from "../../tools/mesh-check/manifests";
import { validateK8s } from "../support/k8s-schema";
import type { Recorded } from "../support/harness";

/**
 * A fleet in memory: `route(client, host)` decides which cluster's server answers a call, or
 * `undefined` for a failed call (exit code 7, as curl's "could not connect").
 */
function fakeFleet(route: (client: string, server: string, attempt: number) => string | undefined) {
  const applied: Record<string, string[]> = {};
  const calls: string[] = [];
  const attempts = new Map<string, number>();
  const kube: Kube = {
    async apply(cluster, objects) {
      applied[cluster] = objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
    },
    async waitForDeployment() {},
    async exec(client, _namespace, _deployment, command) {
      const server = /echo-([a-z0-9-]+)\.mesh-check/.exec(command.at(-1)!)![1];
      const key = `${client}->${server}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      calls.push(key);
      const answer = route(client, server, attempt);
      return answer ? { code: 0, stdout: `echo-${answer}-6d4f8b7c9-x2x7q\n` } : { code: 7, stdout: "" };
    },
  };
  return { kube, applied, calls };
}

const CLUSTERS = ["west", "east", "north"];
const noWait = { attempts: 3, sleep: async () => {} };

test("every client calls every other cluster's server, and the matrix says who answered", async () => {
  const fleet = fakeFleet((_c, server) => server);
  const matrix = await runMeshCheck(CLUSTERS, fleet.kube, { mode: "sidecar", ...noWait });
  expect(failures(matrix)).toBe(0);
  expect(fleet.calls.sort()).toEqual(
    ["west->east", "west->north", "east->west", "east->north", "north->west", "north->east"].sort(),
  );
  expect(matrix.west.north).toEqual({ ok: true, answeredBy: "north" });
  expect(fleet.applied.west).toEqual(["Namespace/mesh-check", "Deployment/echo-west", "Service/echo-west", "Service/echo-east", "Service/echo-north", "Deployment/client"]);
  expect(renderMatrix(matrix).split("\n")).toEqual([
    "client \\ server  west       east       north",
    "west             -          ok (east)  ok (north)",
    "east             ok (west)  -          ok (north)",
    "north            ok (west)  ok (east)  -",
  ]);
});

test("a pair that never connects fails the check, after every retry", async () => {
  const fleet = fakeFleet((client, server) => (client === "east" && server === "north" ? undefined : server));
  const matrix = await runMeshCheck(CLUSTERS, fleet.kube, { mode: "sidecar", ...noWait });
  expect(failures(matrix)).toBe(1);
  expect(matrix.east.north).toEqual({ ok: false, answeredBy: undefined, detail: "curl exited 7" });
  expect(fleet.calls.filter((c) => c === "east->north")).toHaveLength(3);
  expect(renderMatrix(matrix)).toContain("FAIL (curl exited 7)");
});

test("an answer from the wrong cluster is a failure, not a success", async () => {
  const fleet = fakeFleet((client, server) => (server === "west" ? client : server));
  const matrix = await runMeshCheck(CLUSTERS, fleet.kube, { mode: "sidecar", ...noWait });
  expect(matrix.east.west).toMatchObject({ ok: false, answeredBy: "east" });
  expect(failures(matrix)).toBe(2);
});

test("calls are retried while cross-cluster endpoints appear", async () => {
  const fleet = fakeFleet((_c, server, attempt) => (attempt < 3 ? undefined : server));
  const matrix = await runMeshCheck(["west", "east"], fleet.kube, { mode: "sidecar", ...noWait });
  expect(failures(matrix)).toBe(0);
  expect(fleet.calls).toHaveLength(6);
});

test.each(["sidecar", "ambient"] as const)("the %s manifests are valid Kubernetes objects in the mesh", (mode) => {
  const objects = manifests("west", CLUSTERS, mode);
  for (const object of objects) {
    const [group, version] = (object.apiVersion as string).includes("/") ? (object.apiVersion as string).split("/") : ["core", object.apiVersion];
    validateK8s({ type: `kubernetes:${group}/${version}:${object.kind}`, inputs: object } as unknown as Recorded);
  }
  expect((objects[0].metadata as { labels: Record<string, string> }).labels).toEqual(
    mode === "ambient" ? { "istio.io/dataplane-mode": "ambient" } : { "istio-injection": "enabled" },
  );
});

test("every cluster has every echo Service, marked global, but runs only its own server", () => {
  const objects = manifests("east", CLUSTERS, "ambient") as { kind: string; metadata: { name: string; labels?: Record<string, string> } }[];
  // ztunnel resolves only Services of the caller's own cluster: the name must exist here too.
  const services = objects.filter((o) => o.kind === "Service");
  expect(services.map((s) => s.metadata.name)).toEqual(CLUSTERS.map((c) => `echo-${c}`));
  for (const service of services) expect(service.metadata.labels?.["istio.io/global"]).toBe("true");
  expect(objects.filter((o) => o.kind === "Deployment").map((d) => d.metadata.name)).toEqual(["echo-east", "client"]);
});
