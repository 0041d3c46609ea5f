import { spawn } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { failures, Kube, renderMatrix, runMeshCheck } from "./check";

/**
 * `npm run mesh:check [-- --stack <name>]`: after `pulumi up`, proves the mesh carries traffic
 * between every pair of workload clusters. Reads the stack's `kubeconfigs` and `mesh` outputs;
 * needs `pulumi` and `kubectl` on PATH. Exits non-zero if any call fails.
 */
function run(command: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: String(e) }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

async function must(command: string, args: string[], input?: string): Promise<string> {
  const result = await run(command, args, input);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

async function main(): Promise<number> {
  const stackIndex = process.argv.indexOf("--stack");
  const stack = stackIndex > 0 ? ["--stack", process.argv[stackIndex + 1]] : [];
  const outputs = JSON.parse(await must("pulumi", ["stack", "output", "--json", "--show-secrets", ...stack]));
  const mesh = outputs.mesh as { mode: "sidecar" | "ambient"; clusters: Record<string, unknown> };
  const clusters = Object.keys(mesh.clusters);
  const dir = mkdtempSync(join(tmpdir(), "mesh-check-"));
  const kubeconfig = (cluster: string) => {
    const file = join(dir, `${cluster}.kubeconfig`);
    writeFileSync(file, outputs.kubeconfigs[cluster], { mode: 0o600 });
    return file;
  };
  const files = Object.fromEntries(clusters.map((c) => [c, kubeconfig(c)]));
  const kubectl = (cluster: string, args: string[], input?: string) => run("kubectl", ["--kubeconfig", files[cluster], ...args], input);
  const kube: Kube = {
    async apply(cluster, objects) {
      const result = await kubectl(cluster, ["apply", "-f", "-"], objects.map((o) => JSON.stringify(o)).join("\n"));
      if (result.code !== 0) throw new Error(`kubectl apply in ${cluster}: ${result.stderr.trim()}`);
    },
    async waitForDeployment(cluster, namespace, name) {
      const result = await kubectl(cluster, ["-n", namespace, "rollout", "status", `deployment/${name}`, "--timeout=300s"]);
      if (result.code !== 0) throw new Error(`${name} in ${cluster} did not become ready: ${result.stderr.trim()}`);
    },
    exec: (cluster, namespace, deployment, command) =>
      kubectl(cluster, ["-n", namespace, "exec", `deployment/${deployment}`, "-c", deployment, "--", ...command]),
  };
  console.log(`Mesh check (${mesh.mode}) across ${clusters.join(", ")}`);
  const matrix = await runMeshCheck(clusters, kube, { mode: mesh.mode });
  console.log(renderMatrix(matrix));
  const failed = failures(matrix);
  console.log(failed === 0 ? "every cross-cluster call succeeded" : `${failed} cross-cluster call(s) failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(String(error instanceof Error ? error.message : error));
    process.exit(2);
  },
);
