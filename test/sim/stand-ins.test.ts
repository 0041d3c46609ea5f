import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { addressesOf } from "./controllers";
import { main as docker } from "./docker-cli";
import { STATE_VARIABLE } from "./fleet";
import { main as kind } from "./kind-cli";
import { tunnelTarget } from "./tunnel";

// The simulation's `docker` and `kind` answer the dev stack's scripts as the real tools do, from
// records in the fleet's state (docs/simulated-fleet.md); here without any cluster running.

let state: string;
let out: string;
let err: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "sim-standins-"));
  process.env[STATE_VARIABLE] = state;
  out = "";
  err = "";
  jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  jest.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env[STATE_VARIABLE];
  rmSync(state, { recursive: true, force: true });
});

describe("the simulation's docker", () => {
  test("a network is missing until created, then reports its subnet through the template the scripts use", () => {
    expect(docker(["network", "inspect", "kind"])).toBe(1);
    expect(err).toMatch(/network kind not found/);
    expect(docker(["network", "create", "--driver", "bridge", "--subnet", "172.18.0.0/16", "--opt", "com.docker.network.bridge.enable_ip_masquerade=true", "kind"])).toBe(0);
    out = "";
    expect(docker(["network", "inspect", "kind", "--format", "{{range .IPAM.Config}}{{println .Subnet}}{{end}}"])).toBe(0);
    expect(out).toBe("172.18.0.0/16\n");
    expect(docker(["network", "create", "--subnet", "10.0.0.0/8", "kind"])).toBe(1);
  });

  test("a container is recorded with the value of each -e NAME, refused twice, and removed by rm -f", () => {
    process.env.ENTRY_CONFIG = "upstream fleet {}";
    try {
      expect(docker(["run", "-d", "--name", "entry", "--network", "kind", "-p", "127.0.0.1:8080:8080", "-e", "ENTRY_CONFIG", "nginx:1", "sh", "-c", "x"])).toBe(0);
    } finally {
      delete process.env.ENTRY_CONFIG;
    }
    expect(docker(["run", "-d", "--name", "entry", "nginx:1"])).toBe(125);
    expect(docker(["rm", "-f", "entry"])).toBe(0);
    expect(docker(["rm", "-f", "entry"])).toBe(1);
  });

  test("anything the scripts do not use is refused", () => {
    expect(docker(["exec", "entry", "true"])).toBe(2);
    expect(err).toMatch(/not simulated/);
  });
});

describe("the simulation's kind", () => {
  test("no clusters, and kind's error for a kubeconfig of a cluster that is not there", async () => {
    expect(await kind(["get", "clusters"])).toBe(0);
    expect(out).toBe("");
    expect(err).toMatch(/No kind clusters found/);
    expect(await kind(["get", "kubeconfig", "--name", "west"])).toBe(1);
    expect(err).toMatch(/could not locate any control plane nodes for cluster named 'west'/);
    expect(await kind(["load", "docker-image", "x"])).toBe(2);
  });

  test("a recorded cluster is listed and prints its kubeconfig", async () => {
    const dir = join(state, "clusters", "west");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cluster.json"), JSON.stringify({ name: "west", kubeconfig: "apiVersion: v1\n", config: { name: "west", networking: { apiServerPort: 6444 }, nodes: [{ role: "control-plane" }, { role: "worker" }] } }));
    expect(await kind(["get", "clusters"])).toBe(0);
    expect(out).toBe("west\n");
    out = "";
    expect(await kind(["get", "kubeconfig", "--name", "west"])).toBe(0);
    expect(out).toBe("apiVersion: v1\n");
    // The tunnel leads the node name (kind's internal endpoint) to that API port, and nothing else.
    expect(tunnelTarget(state, "west-control-plane", 6443)).toEqual({ cluster: "west", port: 6444 });
    expect(tunnelTarget(state, "west-worker", 6443)).toBeUndefined();
    expect(tunnelTarget(state, "west-control-plane", 443)).toBeUndefined();
  });
});

test("MetalLB pool entries: a CIDR and a range", () => {
  expect(addressesOf("172.18.255.200/29")).toEqual(["172.18.255.200", "172.18.255.201", "172.18.255.202", "172.18.255.203", "172.18.255.204", "172.18.255.205", "172.18.255.206", "172.18.255.207"]);
  expect(addressesOf("10.0.0.254-10.0.1.1")).toEqual(["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"]);
});
