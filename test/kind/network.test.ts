import { KindNetwork } from "../../components/kind";
import { named, runProgram } from "../support/harness";
import { hostStubs } from "../support/host-stubs";

let ensure: { script: string; env: Record<string, string> };
beforeAll(async () => {
  const run = await runProgram({ stack: "dev", program: () => new KindNetwork("kind-network", { cidr: "172.30.0.0/16" }) });
  const command = named(run.resources, "command:local:Command", "kind-network-ensure");
  expect(command.parent).toBe("kind-network");
  expect(command.inputs.delete).toBeUndefined();
  ensure = { script: command.inputs.create, env: command.inputs.environment };
});

test("creates the kind network with the planned subnet when it is absent", () => {
  const host = hostStubs();
  const result = host.run(ensure.script, ensure.env);
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe("172.30.0.0/16");
  expect(host.calls()).toContain(
    "docker network create --driver bridge --subnet 172.30.0.0/16 --opt com.docker.network.bridge.enable_ip_masquerade=true kind",
  );
});

test("accepts an existing kind network with the planned subnet", () => {
  const host = hostStubs();
  host.set("network", "fc00:f853:ccd:e793::/64\n172.30.0.0/16\n");
  expect(host.run(ensure.script, ensure.env).status).toBe(0);
  expect(host.calls().some((c) => c.startsWith("docker network create"))).toBe(false);
});

test("refuses an existing kind network with another subnet, naming the config key", () => {
  const host = hostStubs();
  host.set("network", "172.18.0.0/16\n");
  const result = host.run(ensure.script, ensure.env);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    "the docker network 'kind' has subnet 172.18.0.0/16, but platform:network.kindNetworkCidr is 172.30.0.0/16",
  );
});
