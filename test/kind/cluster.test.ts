import { parse } from "yaml";
import { KindCluster } from "../../components/kind";
import { readCertificateCredentials } from "../../components/cluster";
import { renderKindConfig, internalEndpoint } from "../../components/kind";
import { KIND_NODE_IMAGE } from "../../components/versions";
import type { KindClusterPlan } from "../../plan";
import { fakeKindKubeconfig, named, Recorded, runProgram, secretValue, valueOf } from "../support/harness";
import { hostStubs } from "../support/host-stubs";

const spec: KindClusterPlan = {
  index: 1,
  key: "clusters[1]",
  name: "west",
  role: "workload",
  provider: "kind",
  kindName: "west",
  region: "local",
  network: "net-west",
  labels: { cluster: "west", region: "local", env: "dev", zone: "a" },
  podCidr: "10.65.0.0/16",
  serviceCidr: "10.96.16.0/20",
  lbCidr: "172.18.255.16/28",
  apiServerPort: 36444,
  nodes: { controlPlanes: 1, workers: 2 },
};

describe("renderKindConfig", () => {
  test("carries the plan's subnets, API port, node roles, labels, image and port mappings", () => {
    const config = parse(renderKindConfig(spec, [{ containerPort: 32443, hostPort: 35443 }]));
    const labels = { "platform/cluster": "west", "platform/env": "dev", "topology.kubernetes.io/region": "local" };
    expect(config).toEqual({
      kind: "Cluster",
      apiVersion: "kind.x-k8s.io/v1alpha4",
      name: "west",
      networking: {
        apiServerAddress: "127.0.0.1",
        apiServerPort: 36444,
        podSubnet: "10.65.0.0/16",
        serviceSubnet: "10.96.16.0/20",
      },
      nodes: [
        {
          role: "control-plane",
          image: KIND_NODE_IMAGE,
          labels,
          extraPortMappings: [{ containerPort: 32443, hostPort: 35443, listenAddress: "127.0.0.1", protocol: "TCP" }],
        },
        { role: "worker", image: KIND_NODE_IMAGE, labels },
        { role: "worker", image: KIND_NODE_IMAGE, labels },
      ],
    });
  });

  test("pins the node image by tag and digest", () => {
    expect(KIND_NODE_IMAGE).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  });

  test("several control planes sit behind kind's load balancer", () => {
    const ha = { ...spec, nodes: { controlPlanes: 3, workers: 0 } };
    expect(parse(renderKindConfig(ha)).nodes.map((n: { role: string }) => n.role)).toEqual([
      "control-plane",
      "control-plane",
      "control-plane",
    ]);
    expect(internalEndpoint(ha)).toBe("https://west-external-load-balancer:6443");
    expect(internalEndpoint(spec)).toBe("https://west-control-plane:6443");
  });
});

describe("KindCluster under mocks", () => {
  let resources: Recorded[];
  let cluster: KindCluster;
  beforeAll(async () => {
    const run = await runProgram({
      stack: "dev",
      program: () => new KindCluster("west", { spec, hostPorts: { "karmada-api": 35443 }, retryDelaySeconds: 5 }),
    });
    resources = run.resources;
    cluster = run.result;
  });

  test("runs kind with the rendered config, recreating the cluster when it changes", () => {
    const create = named(resources, "command:local:Command", "west-cluster");
    const kindConfig = renderKindConfig(spec, [{ containerPort: 32443, hostPort: 35443 }]);
    expect(create.inputs.environment).toEqual({ KIND_CLUSTER: "west", KIND_CONFIG: kindConfig, KIND_RETRY_DELAY: "5" });
    expect(create.inputs.triggers).toEqual([kindConfig]);
    expect(create.inputs.interpreter).toEqual(["/bin/bash", "-c"]);
    expect(create.inputs.create).toContain('kind create cluster --name "$KIND_CLUSTER" --config -');
    expect(create.inputs.delete).toContain('kind delete cluster --name "$KIND_CLUSTER"');
    expect(create.parent).toBe("west");
  });

  test("builds a deterministic kubeconfig for 127.0.0.1, and a provider that never drops state on its own", async () => {
    const provider = named(resources, "pulumi:providers:kubernetes", "west-k8s");
    expect(provider.inputs.deleteUnreachable).toBeUndefined();
    const kubeconfig = JSON.parse(secretValue(provider.inputs.kubeconfig));
    const kind = readCertificateCredentials(fakeKindKubeconfig("west"), "test");
    expect(kubeconfig).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "west", cluster: { server: "https://127.0.0.1:36444", "certificate-authority-data": kind.caData } }],
      users: [{ name: "west", user: { "client-certificate-data": kind.clientCertificateData, "client-key-data": kind.clientKeyData } }],
      contexts: [{ name: "west", context: { cluster: "west", user: "west" } }],
      "current-context": "west",
      preferences: {},
    });
    expect(await valueOf(cluster.kubeconfig)).toBe(secretValue(provider.inputs.kubeconfig));
  });

  test("exposes the internal endpoint and the CA other clusters need", async () => {
    expect(await valueOf(cluster.internalEndpoint)).toBe("https://west-control-plane:6443");
    expect(Buffer.from(await valueOf(cluster.caData), "base64").toString()).toBe("CA of west");
  });
});

describe("the kind scripts, run against stub binaries", () => {
  let scripts: { create: string; update: string; delete: string; env: Record<string, string> };
  beforeAll(async () => {
    const run = await runProgram({ stack: "dev", program: () => new KindCluster("east", { spec: { ...spec, name: "east", kindName: "east" }, retryDelaySeconds: 0 }) });
    const create = named(run.resources, "command:local:Command", "east-cluster");
    scripts = { ...create.inputs, env: create.inputs.environment } as typeof scripts;
  });

  test("create feeds the config on stdin, keeps ~/.kube/config untouched and prints the kubeconfig", () => {
    const host = hostStubs();
    const result = host.run(scripts.create, scripts.env);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("kubeconfig-of-east");
    expect(host.get("config-east")).toBe(scripts.env.KIND_CONFIG);
    const creates = host.calls().filter((c) => c.startsWith("kind create"));
    expect(creates).toHaveLength(1);
    // The kubeconfig kind writes goes to a scratch file under TMPDIR, not ~/.kube/config.
    expect(creates[0].startsWith(`kind create cluster --name east --config - --kubeconfig ${host.dir}/`)).toBe(true);
    expect(creates[0]).toMatch(/\/kubeconfig --wait 180s$/);
  });

  test("a failed create is retried exactly once, and never deletes anything", () => {
    const host = hostStubs();
    host.set("create-failures", "1");
    expect(host.run(scripts.create, scripts.env).status).toBe(0);
    const kindCalls = host.calls().filter((c) => /^kind (create|delete)/.test(c)).map((c) => c.split(" ").slice(0, 2).join(" "));
    // kind removes the nodes of a failed create itself; a delete here could hit someone else's cluster.
    expect(kindCalls).toEqual(["kind create", "kind create"]);

    const twice = hostStubs();
    twice.set("create-failures", "2");
    const result = twice.run(scripts.create, scripts.env);
    expect(result.status).not.toBe(0);
    expect(twice.calls().filter((c) => c.startsWith("kind create"))).toHaveLength(2);
  });

  test("refuses to adopt a cluster of the same name made outside the stack", () => {
    const host = hostStubs();
    host.set("clusters", "east\n");
    const result = host.run(scripts.create, scripts.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("a kind cluster named east already exists outside this stack");
    expect(result.stderr).toContain("for a second fleet on this host, set platform:kind.hostSlot");
    expect(host.calls().some((c) => c.startsWith("kind create"))).toBe(false);
  });

  test.each([
    ["kind", ["docker"], "'kind' was not found on PATH: install kind"],
    ["docker", ["kind"], "'docker' was not found on PATH: install Docker"],
  ] as const)("a missing %s binary names what to install", (_missing, tools, message) => {
    const host = hostStubs({ tools: [...tools] });
    const result = host.run(scripts.create, scripts.env);
    expect(result.status).toBe(127);
    expect(result.stderr).toContain(message);
  });

  test("a stopped Docker engine is reported as such", () => {
    const host = hostStubs();
    host.set("docker-down", "");
    const result = host.run(scripts.create, scripts.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot reach the Docker engine");
  });

  test("delete succeeds for a cluster already deleted by hand", () => {
    const host = hostStubs();
    const result = host.run(scripts.delete, scripts.env);
    expect(result.status).toBe(0);
    expect(host.calls().filter((c) => c.startsWith("kind delete"))).toHaveLength(1);
  });

  test("update keeps the cluster and re-reads its kubeconfig", () => {
    const host = hostStubs();
    host.set("clusters", "east\n");
    const result = host.run(scripts.update, scripts.env);
    expect(result.stdout.trim()).toBe("kubeconfig-of-east");
    expect(host.calls().some((c) => /^kind (create|delete)/.test(c))).toBe(false);
  });
});
