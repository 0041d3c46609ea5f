import { ManagementBackups } from "../../components/recovery";
import { fakeCluster, named, plain, runProgram, secretValue } from "../support/harness";
import { hostStubs } from "../support/host-stubs";

// What holds a Velero finalizer is deleted on destroy before the Velero release, while the
// server and node agent can still finalize it; the script runs against a stub kubectl.
const COMMAND = "command:local:Command";
const SERVED = "restores.velero.io\npodvolumebackups.velero.io\npodvolumerestores.velero.io\nbackups.velero.io\nschedules.velero.io\n";
const RESTORE_FINALIZER = "restores.velero.io/external-resources-finalizer";
let cleanup: { script: string; env: Record<string, string>; dependsOn: string[]; inputs: Record<string, any> };

beforeAll(async () => {
  const { resources } = await runProgram({
    stack: "dev",
    program: () => new ManagementBackups("bk", { host: fakeCluster("mgmt", { role: "management" }) }),
  });
  const command = named(resources, COMMAND, "bk-finalizers");
  cleanup = { script: command.inputs.delete, env: plain(command.inputs.environment), dependsOn: command.dependsOn, inputs: command.inputs };
  // The kubeconfig travels as a secret.
  expect(secretValue(command.inputs.environment).KUBECONFIG_DATA).toBe("{}");
});

test("it depends on the Velero release, so Pulumi deletes it first; creating it does nothing and nothing forces a replacement", () => {
  expect(cleanup.dependsOn).toEqual(["bk-velero"]);
  expect(cleanup.inputs.create).toBe("true");
  expect(cleanup.inputs.triggers).toBeUndefined();
  expect(cleanup.env).toMatchObject({ CLUSTER: "mgmt", NAMESPACE: "velero", FINALIZE_TIMEOUT: "60" });
});

test("deletes Restores and volume copies while Velero runs, and waits for it to finalize them", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("served", SERVED);
  host.set("objects", `restore.velero.io/drill ${RESTORE_FINALIZER}\npodvolumebackup.velero.io/done\n`);
  host.set("controller-runs", "");
  const result = host.run(cleanup.script, { ...cleanup.env, POLL_SECONDS: "0" });
  expect(result.status).toBe(0);
  expect(result.stderr).not.toContain("platform:");
  const calls = host.calls().map((call) => call.replace(/--kubeconfig \S+ --request-timeout=30s /, ""));
  // Only the kinds the cluster serves, and not Backups: they hold no finalizer.
  expect(calls).toEqual([
    "kubectl get --raw /version",
    "kubectl api-resources --api-group=velero.io -o name",
    "kubectl delete restores.velero.io,podvolumebackups.velero.io,podvolumerestores.velero.io -n velero --all --wait=false",
    "kubectl get restores.velero.io,podvolumebackups.velero.io,podvolumerestores.velero.io -n velero -o name",
  ]);
});

test("after its bound, removes Velero's finalizers (and only Velero's) from what is left", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("served", SERVED);
  host.set("objects", `restore.velero.io/stuck ${RESTORE_FINALIZER}\npodvolumerestore.velero.io/copy velero.io/pod-volume-finalizer\n`);
  const result = host.run(cleanup.script, { ...cleanup.env, POLL_SECONDS: "0", FINALIZE_TIMEOUT: "0" });
  expect(result.status).toBe(0);
  expect(result.stderr).toContain("Velero did not finalize restore.velero.io/stuck podvolumerestore.velero.io/copy within 0 s; removing its finalizers");
  expect(host.calls().filter((call) => call.includes(" patch "))).toEqual([
    expect.stringMatching(/patch restore\.velero\.io\/stuck -n velero --type=merge -p \{"metadata":\{"finalizers":\[\]\}\}$/),
    expect.stringMatching(/patch podvolumerestore\.velero\.io\/copy -n velero --type=merge -p \{"metadata":\{"finalizers":\[\]\}\}$/),
  ]);
  expect(host.get("objects")).toBe("");
});

test("a finalizer that is not Velero's stays, and the destroy stops naming the object", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("served", SERVED);
  host.set("objects", `restore.velero.io/held ${RESTORE_FINALIZER} example.com/audit\n`);
  const result = host.run(cleanup.script, { ...cleanup.env, POLL_SECONDS: "0", FINALIZE_TIMEOUT: "0", REMOVED_TIMEOUT: "0" });
  expect(result.status).toBe(1);
  expect(host.calls().find((call) => call.includes(" patch "))).toMatch(/-p \{"metadata":\{"finalizers":\["example\.com\/audit"\]\}\}$/);
  expect(result.stderr).toContain("restore.velero.io/held still in namespace velero of cluster mgmt, held by finalizers not Velero's");
});

test("without Velero's CRDs there is nothing to delete", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  const result = host.run(cleanup.script, cleanup.env);
  expect(result.status).toBe(0);
  expect(host.calls()).toHaveLength(2);
});

test("an unavailable aggregated API (discovery incomplete) does not pass for an unreachable cluster", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("served", SERVED);
  host.set("discovery-partial", "");
  host.set("objects", `restore.velero.io/drill ${RESTORE_FINALIZER}\n`);
  host.set("controller-runs", "");
  const result = host.run(cleanup.script, { ...cleanup.env, POLL_SECONDS: "0", PULUMI_K8S_DELETE_UNREACHABLE: "true" });
  expect(result.status).toBe(0);
  expect(result.stderr).not.toContain("platform:");
  expect(host.calls().some((call) => call.includes("delete restores.velero.io"))).toBe(true);
  expect(host.get("objects")).toBe("");
});

test("an unreachable cluster fails the destroy, unless the operator says it is gone", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("api-down", "");
  const refused = host.run(cleanup.script, cleanup.env);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain("cannot reach cluster mgmt to delete Velero's restores before Velero itself: Unable to connect to the server");
  expect(refused.stderr).toContain("run the destroy with PULUMI_K8S_DELETE_UNREACHABLE=true");
  const gone = host.run(cleanup.script, { ...cleanup.env, PULUMI_K8S_DELETE_UNREACHABLE: "true" });
  expect(gone.status).toBe(0);
  expect(gone.stderr).toContain("cluster mgmt does not answer; PULUMI_K8S_DELETE_UNREACHABLE=true");
});

test("without kubectl it says so before anything", () => {
  const result = hostStubs({ tools: [] }).run(cleanup.script, cleanup.env);
  expect(result.status).toBe(127);
  expect(result.stderr).toContain("'kubectl' was not found on PATH");
});
