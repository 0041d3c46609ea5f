import { caseConfig } from "../support/graph";
import { plain, type Recorded, runProgram } from "../support/harness";

// What keeps running in the workload clusters while the management cluster is gone, checked on
// what the platform puts there: nothing in a workload cluster points at the management cluster
// but the signals it sends there (metrics, logs, traces, cost queries), which wait or are lost.
// Karmada and Argo CD push into the members (the members never call them), the mesh's remote
// secrets name only workload clusters, and the entry and gateways stay among the workloads.
const SENDERS = [/-agent$/, /-alloy$/, /-collector$/, /-opencost$/];

async function workloadResources(stack: "dev" | "prod"): Promise<Recorded[]> {
  const run = await runProgram({ stack, config: caseConfig(stack, "sidecar"), program: async () => (await import("../../stacks")).composeStack() });
  return run.resources.filter((r) => r.providers.some((p) => p === "west-k8s" || p === "east-k8s"));
}

test.each([
  // The management cluster's addresses as the workload clusters reach them, per composition.
  ["dev" as const, /mgmt-control-plane|mgmt-external-load-balancer/],
  ["prod" as const, /(monitoring|logging|tracing|karmada-system|argocd|istio-system)-[a-z0-9-]+\.elb\.example\.com|mgmt-eks/],
])("%s: only the signal senders of a workload cluster name the management cluster", async (stack, managementAddress) => {
  const resources = await workloadResources(stack);
  expect(resources.length).toBeGreaterThan(50);
  const pointing = resources.filter((r) => managementAddress.test(JSON.stringify(plain(r.inputs)))).map((r) => r.name);
  expect(pointing.filter((name) => !SENDERS.some((s) => s.test(name)))).toEqual([]);
  // And each sender really does: the test would see a changed address.
  for (const sender of SENDERS) expect(pointing.some((name) => sender.test(name))).toBe(true);
});
