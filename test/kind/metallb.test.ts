import * as k8s from "@pulumi/kubernetes";
import { MetalLb } from "../../components/kind";
import { named, plain, runProgram, secretValue } from "../support/harness";
import { hostStubs } from "../support/host-stubs";

// MetalLB's webhook wait, run against a stub kubectl that refuses until the webhook serves.
let wait: { script: string; env: Record<string, string> };

beforeAll(async () => {
  const { resources } = await runProgram({
    stack: "dev",
    program: () =>
      new MetalLb("west-metallb", { pool: "172.18.255.16/28", provider: new k8s.Provider("west-k8s", { kubeconfig: "{}" }), kubeconfig: "KUBECONFIG-OF-WEST" }),
  });
  const command = named(resources, "command:local:Command", "west-metallb-webhook-ready");
  // The kubeconfig travels as a secret and is never logged.
  expect(secretValue(command.inputs.environment).KUBECONFIG_DATA).toBe("KUBECONFIG-OF-WEST");
  expect(command.inputs.logging).toBe("stderr");
  wait = { script: command.inputs.create, env: plain(command.inputs.environment) };
});

test("retries a server-side dry run of the very pool until the webhook accepts it", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("kubectl-failures", "2");
  const result = host.run(wait.script, { ...wait.env, POLL_SECONDS: "0" });
  expect(result.status).toBe(0);
  expect(host.calls()).toHaveLength(3);
  expect(host.calls()[0]).toMatch(/^kubectl --kubeconfig \S+\/kubeconfig apply --dry-run=server -f -$/);
  expect(JSON.parse(host.get("kubectl-stdin")!)).toMatchObject({ kind: "IPAddressPool", spec: { addresses: ["172.18.255.16/28"] } });
});

test("gives up after its bound with the webhook's own error", () => {
  const host = hostStubs({ tools: ["kubectl"] });
  host.set("kubectl-failures", "99");
  const result = host.run(wait.script, { ...wait.env, POLL_SECONDS: "0", READY_TIMEOUT: "0" });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("MetalLB's webhook did not accept the address pool within 0 s: Error from server (InternalError): failed calling webhook");
});
