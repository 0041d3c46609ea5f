import { planFleet, type PlanError } from "../../plan";
import { eks, fleet, kind, problemsOf } from "./fleets";

describe("validation", () => {
  test("reports an overlap naming both keys, clusters and ranges", () => {
    const problems = problemsOf(
      fleet(kind("mgmt", "management"), kind("west", "workload", { podCidr: "10.1.0.0/17" }), kind("east", "workload", { podCidr: "10.1.0.0/16" })),
    );
    expect(problems.map((p) => p.message)).toEqual([
      "clusters[2].podCidr 10.1.0.0/16 (east) overlaps clusters[1].podCidr 10.1.0.0/17 (west)",
    ]);
  });

  test("reports every problem of a plan together", () => {
    const problems = problemsOf(
      fleet(
        kind("mgmt", "management", { serviceCidr: "10.96.0.1/20" }),
        kind("mgmt", "management", { lbCidr: "10.200.0.0/28" }),
        eks("far", "mars-1"),
      ),
    );
    expect(problems.map((p) => p.key)).toEqual([
      "clusters[1].name",
      "clusters[2].region",
      "clusters",
      "clusters[0].serviceCidr",
      "clusters[1].lbCidr",
    ]);
    expect(problems[2].message).toContain("2 clusters with role management");
    expect(problems[3].message).toBe("clusters[0].serviceCidr 10.96.0.1/20 (mgmt) has host bits set (the network is 10.96.0.0/20)");
  });

  test.each([
    ["podCidr", "10.1.0.0", "is not an IPv4 CIDR"],
    ["podCidr", "10.1.0.0/33", "is not an IPv4 CIDR"],
    ["podCidr", "300.1.0.0/16", "is not an IPv4 CIDR"],
    ["serviceCidr", "fd00::/64", "is not an IPv4 CIDR"],
  ])("refuses a malformed %s %s", (field, value, why) => {
    const problems = problemsOf(fleet(kind("mgmt", "management", { [field]: value })));
    expect(problems).toEqual([{ key: `clusters[0].${field}`, message: `clusters[0].${field} ${value} (mgmt) ${why} (a.b.c.d/n)` }]);
  });

  test("refuses ranges that collide with the docker kind network", () => {
    const problems = problemsOf(fleet(kind("mgmt", "management", { podCidr: "172.18.0.0/20" })));
    expect(problems.map((p) => p.message)).toEqual([
      "clusters[0].podCidr 172.18.0.0/20 (mgmt) overlaps network.kindNetworkCidr 172.18.0.0/16 (the docker kind network)",
    ]);
  });

  test("refuses ranges too small or too large for what runs in them", () => {
    const problems = problemsOf(
      fleet(
        kind("mgmt", "management", { podCidr: "10.64.0.0/24", nodes: { workers: 3 }, serviceCidr: "10.96.0.0/26" }),
        kind("west", "workload", { lbCidr: "172.18.255.64/30", serviceCidr: "10.32.0.0/11" }),
        eks("east", "us-east-1", "workload", { vpcCidr: "10.8.0.0/22", serviceCidr: "100.64.0.0/16" }),
      ),
    );
    expect(problems.map((p) => p.message)).toEqual([
      "clusters[0].podCidr 10.64.0.0/24 (mgmt) is too small for 4 nodes: each node takes a /24, so at least a /22 is needed",
      "clusters[0].serviceCidr 10.96.0.0/26 (mgmt) is too small: at least a /24 is needed for cluster services",
      "clusters[1].serviceCidr 10.32.0.0/11 (west) is too large: Kubernetes accepts at most a /12 service range",
      "clusters[1].lbCidr 172.18.255.64/30 (west) is too small: at least 8 load-balancer addresses (/29) are needed",
      "clusters[2].serviceCidr 100.64.0.0/16 (east) must lie within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (an EKS requirement)",
    ]);
  });

  test("refuses a VPC whose private half cannot hold every node's pods", () => {
    const problems = problemsOf(
      fleet(eks("mgmt", "us-west-2", "management", { vpcCidr: "10.8.0.0/22", nodes: { maxSize: 20, maxPodsPerNode: 110 } })),
    );
    expect(problems.map((p) => p.message)).toEqual([
      "clusters[0].vpcCidr 10.8.0.0/22 (mgmt) is too small: 20 nodes over 3 zones put up to 7 nodes × (110 pods + 1) = 777 addresses in one zone, whose private subnet 10.8.0.0/24 has 251 usable",
    ]);
  });

  test("refuses a fleet without a management cluster, and reserved labels", () => {
    const problems = problemsOf(fleet(kind("west", "workload", { labels: { env: "x" } })));
    expect(problems.map((p) => p.key)).toEqual(["clusters[0].labels.env", "clusters"]);
  });

  test("reports an exhausted pool with the key to set instead", () => {
    const problems = problemsOf({
      ...fleet(kind("mgmt", "management"), kind("west")),
      network: { pools: { pod: "10.64.0.0/16" } },
    });
    expect(problems.map((p) => p.message)).toEqual([
      "clusters[1].podCidr (west): network.pools.pod 10.64.0.0/16 has no free /16 left; widen the pool or set clusters[1].podCidr explicitly",
    ]);
  });

  test("refuses duplicate API server ports", () => {
    const problems = problemsOf(fleet(kind("mgmt", "management"), kind("west", "workload", { apiServerPort: 36443 })));
    expect(problems.map((p) => p.message)).toEqual([
      "clusters[1].apiServerPort 36443 (west) is also the API port of clusters[0] (mgmt)",
    ]);
  });

  test("names the key of structural problems: unknown provider, role, typos, wrong types", () => {
    const problems = problemsOf(
      fleet(
        { name: "mgmt", role: "management", provider: "gke" },
        { name: "West", role: "boss", provider: "kind" },
        { name: "east", role: "workload", provider: "kind", podCIDR: "10.1.0.0/16", nodes: { workers: "2" } },
      ),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'clusters[0].provider "gke" (mgmt): unknown provider; expected one of kind, eks',
      'clusters[1].name "West": must be a DNS label: lower-case letters, digits and \'-\', starting with a letter',
      expect.stringMatching(/^clusters\[1\]\.role "boss" \(West\): /),
      expect.stringMatching(/^clusters\[2\]\.nodes\.workers "2" \(east\): .*expected number/),
      "clusters[2].podCIDR (east): unknown key; did you mean podCidr?",
    ]);
  });

  test("an unknown key gets the key meant, at every level; a missing field says so", () => {
    const problems = problemsOf({
      ...fleet(
        { name: "mgmt", role: "management", provider: "kind", nodes: { worker: 2 }, lbCIDR: "172.18.255.0/28" },
        { name: "far", role: "workload", provider: "eks", region: "eu-west-1", vpcCIDR: "10.0.0.0/16", shoeSize: 9 },
        { role: "workload", provider: "kind" },
      ),
      meshh: { mode: "ambient" },
      network: { pool: {} },
    });
    expect(problems.map((p) => p.message)).toEqual([
      "network.pool: unknown key; did you mean pools?",
      "meshh: unknown key; did you mean mesh?",
      "clusters[0].nodes.worker (mgmt): unknown key; did you mean workers?",
      "clusters[0].lbCIDR (mgmt): unknown key; did you mean lbCidr?",
      "clusters[1].vpcCIDR (far): unknown key; did you mean vpcCidr?",
      "clusters[1].shoeSize (far): unknown key",
      "clusters[2].name: missing",
    ]);
  });

  test("a malformed cluster does not hide the other clusters' network problems", () => {
    const problems = problemsOf(
      fleet(
        { name: "mgmt", role: "management", provider: "kind", nodes: { workers: "one" } },
        kind("west", "workload", { podCidr: "10.1.0.0/17" }),
        kind("east", "workload", { podCidr: "10.1.0.0/16" }),
      ),
    );
    expect(problems.map((p) => p.key)).toEqual(["clusters[0].nodes.workers", "clusters[2].podCidr"]);
    // The malformed cluster is the manager: no "no management cluster" on top of its own problem.
    expect(problems.some((p) => p.key === "clusters")).toBe(false);
  });

  test("settings and clusters are checked side by side", () => {
    const problems = problemsOf({ ...fleet(kind("mgmt", "management", { zone: "x" })), network: { pools: { pod: 7 } } });
    expect(problems.map((p) => p.key)).toEqual(["network.pools.pod", "clusters[0].zone"]);
  });

  test("the error message lists every problem", () => {
    expect(() => planFleet(fleet(kind("a", "management"), kind("a")))).toThrow(
      "The fleet plan is invalid (1 problem):\n  - clusters[1].name a duplicates clusters[0].name",
    );
  });
});

describe("EKS settings", () => {
  test("refuses an EKS API open to the internet, and malformed ranges", () => {
    const problems = problemsOf({
      ...fleet(eks("mgmt", "us-west-2", "management")),
      eks: { publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0", "10.0.0.0"] },
    });
    expect(problems.map((p) => p.message)).toEqual([
      "eks.publicAccessCidrs[1] 0.0.0.0/0 would open the EKS API to the whole internet",
      "eks.publicAccessCidrs[2] 10.0.0.0 is not an IPv4 CIDR (a.b.c.d/n)",
    ]);
  });

  test("refuses a peering mesh beyond AWS's default quotas, naming the limit", () => {
    // Peering chosen explicitly: `auto` would take Transit Gateways past 10 VPCs.
    const many = (n: number) => ({
      ...fleet(...Array.from({ length: n }, (_, i) => eks(`c${i}`, "us-east-1", i === 0 ? "management" : "workload"))),
      eks: { publicAccessCidrs: ["203.0.113.0/24"], connectivity: "peering" },
    });
    const network = { pools: { vpc: "10.0.0.0/8", service: "172.16.0.0/12" }, prefixes: { vpc: 20, service: 24 } };
    // Only the mesh's own problems: region quotas and the endpoint's range limit are checked elsewhere.
    const peering = (n: number) => {
      try {
        planFleet({ ...many(n), network });
        return [];
      } catch (error) {
        return (error as PlanError).problems.filter((p) => p.key === "clusters").map((p) => p.message);
      }
    };
    expect(peering(49)).toEqual([]);
    expect(peering(50)).toEqual([
      "clusters has 50 EKS VPCs: a full peering mesh needs 51 routes per private route table, over AWS's default quota of 50 routes per route table",
    ]);
    expect(peering(52)).toEqual([
      "clusters has 52 EKS VPCs: a full peering mesh needs 51 peering connections per VPC, over AWS's default quota of 50 active peering connections per VPC",
      "clusters has 52 EKS VPCs: a full peering mesh needs 53 routes per private route table, over AWS's default quota of 50 routes per route table",
    ]);
  });

  test("the Karmada host port may not collide with a kind API port", () => {
    const problems = problemsOf({ ...fleet(kind("mgmt", "management")), kind: { karmadaApiHostPort: 36443 } });
    expect(problems.map((p) => p.message)).toEqual(["kind.karmadaApiHostPort 36443 is also the API port of clusters[0] (mgmt)"]);
  });
});

describe("alert receivers", () => {
  const withReceivers = (alertReceivers: unknown) => ({ ...fleet(kind("hub", "management")), alertReceivers });

  test("are part of the plan, with the same keyed problems as every other setting, never showing a URL", () => {
    const problems = problemsOf(
      withReceivers([
        { name: "On Call", webhookUrl: "https://hooks.example.com/T0KEN" },
        { name: "pager", webhookUrl: "ftp://hooks.example.com/S3CRET" },
        { name: "extra", webhookUrl: "https://x.example.com", channel: "#ops" },
      ]),
    );
    expect(problems.map((p) => p.key)).toEqual([
      "alertReceivers[0].name",
      "alertReceivers[1].webhookUrl",
      "alertReceivers[2].channel",
    ]);
    expect(problems[1].message).toBe("alertReceivers[1].webhookUrl: must be an http(s) URL");
    expect(JSON.stringify(problems)).not.toMatch(/T0KEN|S3CRET|On Call/);
  });

  test("a valid list reaches the plan; none is the default", () => {
    const receivers = [{ name: "oncall", webhookUrl: "https://hooks.example.com/T0KEN" }];
    expect(planFleet(withReceivers(receivers)).alertReceivers).toEqual(receivers);
    expect(planFleet(fleet(kind("hub", "management"))).alertReceivers).toEqual([]);
  });
});
