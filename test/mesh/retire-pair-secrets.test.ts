import { named, plain, type Recorded, runProgram, secretValue, stackConfig } from "../support/harness";
import { hostStubs } from "../support/host-stubs";

// Fleets deployed before one remote Secret per cluster hold istioctl's one per remote; they go
// before the new Secret is created, or istiod would keep their cluster IDs and then lose them
// (components/mesh/remote-secret.ts).
let resources: Recorded[];

beforeAll(async () => {
  ({ resources } = await runProgram({ stack: "dev", config: stackConfig("dev"), program: async () => (await import("../../stacks")).composeStack() }));
});

test("before a cluster's remote Secret, the one-per-remote Secrets of earlier releases are deleted, once, and only those", () => {
  for (const a of ["west", "east"]) {
    const retire = named(resources, "command:local:Command", `mesh-${a}-retire-pair-secrets`);
    expect(retire.dependsOn).toEqual([`mesh-${a}-namespace`]);
    // Runs on create only: nothing replaces it, nothing runs on destroy.
    expect(retire.inputs.triggers).toBeUndefined();
    expect(retire.inputs.update).toBeUndefined();
    expect(retire.inputs.delete).toBeUndefined();
    expect(secretValue(retire.inputs.environment).KUBECONFIG_DATA).toBeDefined();
    const host = hostStubs({ tools: ["kubectl"] });
    host.set("objects", "secret/istio-remote-secret-east\nsecret/istio-remote-secrets\nsecret/istio-remote-secret-north\n");
    const result = host.run(retire.inputs.create, plain(retire.inputs.environment));
    expect(result.stderr).not.toContain("platform:");
    expect(result.status).toBe(0);
    const calls = host.calls().map((call) => call.replace(/--kubeconfig \S+ --request-timeout=30s /, ""));
    expect(calls).toEqual([
      "kubectl get secrets -n istio-system -l istio/multiCluster=true -o name",
      "kubectl delete secret/istio-remote-secret-east -n istio-system --ignore-not-found",
      "kubectl delete secret/istio-remote-secret-north -n istio-system --ignore-not-found",
    ]);
  }
});
