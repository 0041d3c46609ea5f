import { openStack } from "../stack-access";
import { failures, Kube, renderMatrix, runMeshCheck } from "./check";

/**
 * `npm run mesh:check [-- --stack <name>]`: after `pulumi up`, proves the mesh carries traffic
 * between every pair of workload clusters. Reads the stack's `kubeconfigs` and `mesh` outputs;
 * needs `pulumi` and `kubectl` on PATH. Exits non-zero if any call fails.
 */
async function main(): Promise<number> {
  const { outputs, kubectl: inCluster } = await openStack("mesh-check");
  const { mesh } = outputs;
  const clusters = Object.keys(mesh.clusters);
  const kubectl = (cluster: string, args: string[], input?: string) => inCluster(outputs.kubeconfigs[cluster], args, input);
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
