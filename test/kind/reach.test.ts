import * as pulumi from "@pulumi/pulumi";
import { KindCluster } from "../../components/kind";
import type { ServiceReach } from "../../components/cluster";
import type { KindClusterPlan } from "../../plan";
import { named, ofType, plain, Recorded, runProgram, valueOf } from "../support/harness";

const spec: KindClusterPlan = {
  index: 0,
  key: "clusters[0]",
  name: "hub",
  role: "management",
  provider: "kind",
  kindName: "hub",
  region: "local",
  network: "hub",
  labels: { cluster: "hub", region: "local", env: "dev" },
  podCidr: "10.64.0.0/16",
  serviceCidr: "10.96.0.0/20",
  lbCidr: "172.18.255.0/28",
  apiServerPort: 36443,
  nodes: { controlPlanes: 1, workers: 1 },
};
const read = (creator: pulumi.CustomResource, parent: pulumi.Resource) => ({ name: "svc-read", creator, id: "ns/svc", parent });

let resources: Recorded[];
let answers: Record<string, ServiceReach>;
let addresses: Record<string, { host: string; port: number }>;
let refusal = "";

beforeAll(async () => {
  const run = await runProgram({
    stack: "dev",
    program: async () => {
      const hub = new KindCluster("hub", { spec, hostPorts: { "karmada-api": 35001 } });
      const result: Record<string, ServiceReach> = {
        operator: hub.reach({ service: "karmada-api", port: 5443, audience: "operator" }),
        fleet: hub.reach({ service: "prometheus", port: 9090, audience: "fleet" }),
        console: hub.reach({ service: "argocd-server", port: 443, audience: "console", localPort: 8080 }),
        gateway: hub.reach({ service: "east-west-gateway", port: 15443, audience: "fleet", loadBalancer: true }),
        // A second load balancer reuses the first's MetalLB.
        again: hub.reach({ service: "east-west-gateway", port: 15008, audience: "fleet", loadBalancer: true }),
      };
      const bare = new KindCluster("bare", { spec: { ...spec, name: "bare", kindName: "bare", apiServerPort: 36444 } });
      try {
        bare.reach({ service: "karmada-api", port: 5443, audience: "operator" });
      } catch (error) {
        refusal = (error as Error).message;
      }
      const creator = hub.created;
      const out: Record<string, pulumi.Output<{ host: string; port: number }>> = {};
      for (const [k, r] of Object.entries(result)) out[k] = r.address(read(creator, hub));
      return { result, out };
    },
  });
  resources = run.resources;
  answers = run.result.result;
  addresses = Object.fromEntries(
    await Promise.all(Object.entries(run.result.out).map(async ([k, o]) => [k, await valueOf(o)] as const)),
  );
});

test("the host reaches an operator service through the node port its kind config forwards", () => {
  expect(answers.operator.service).toEqual({ type: "NodePort", nodePort: 32443, annotations: {} });
  expect(addresses.operator).toEqual({ host: "127.0.0.1", port: 35001 });
  expect(answers.operator.tlsNames).toEqual(["hub-control-plane", "127.0.0.1"]);
  const kindConfig = named(resources, "command:local:Command", "hub-cluster").inputs.environment.KIND_CONFIG as string;
  expect(kindConfig).toContain("containerPort: 32443");
  expect(kindConfig).toContain("hostPort: 35001");
});

test("other clusters reach a fleet service on the control-plane node's reserved node port", () => {
  expect(answers.fleet.service).toEqual({ type: "NodePort", nodePort: 30090, annotations: {} });
  expect(addresses.fleet).toEqual({ host: "hub-control-plane", port: 30090 });
  expect(answers.fleet.dependsOn).toEqual([]);
});

test("a console stays in-cluster, behind kubectl port-forward", () => {
  expect(answers.console.service).toEqual({ type: "ClusterIP", annotations: {} });
  expect(addresses.console).toEqual({ host: "localhost", port: 8080 });
});

test("a load balancer comes from MetalLB, installed once under the kind cluster with the plan's pool", () => {
  expect(answers.gateway.service).toEqual({ type: "LoadBalancer", annotations: {} });
  expect(ofType(resources, "platform:index:MetalLb").map((r) => [r.name, r.parent])).toEqual([["hub-metallb", "hub"]]);
  const pool = plain(named(resources, "kubernetes:metallb.io/v1beta1:IPAddressPool", "hub-metallb-pool").inputs);
  expect(pool.spec.addresses).toEqual(["172.18.255.0/28"]);
  expect(answers.gateway.dependsOn).toHaveLength(2);
  expect(answers.again.dependsOn).toEqual(answers.gateway.dependsOn);
  // Read back from the Service's status, after its creator.
  expect(addresses.gateway).toEqual({ host: "ns-svc.elb.example.com", port: 15443 });
  expect(named(resources, "kubernetes:core/v1:Service", "svc-read").dependsOn).toEqual(["hub-cluster"]);
});

test("an operator service without a forwarded port is refused: adding one later would recreate the cluster", () => {
  expect(refusal).toMatch(/^the kind cluster bare forwards no host port to karmada-api: give it in hostPorts/);
});
