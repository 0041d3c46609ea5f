import { planFleet } from "../../plan";
import { eks, fleet, problemsOf } from "./fleets";

const hub = (extra: Record<string, unknown> = {}) => eks("hub", "us-east-1", "management", extra);
const messages = (input: unknown) => problemsOf(input).map((p) => p.message);

test("VPCs, Elastic IPs and Resolver endpoints per region are held against the quotas, which config may raise", () => {
  const six = fleet(hub(), ...["a", "b", "c", "d", "e"].map((n) => eks(n, "us-east-1")));
  expect(messages(six)).toEqual([
    "eks.quotas.vpcsPerRegion 5 is below the 6 VPCs that clusters puts in us-east-1 (AWS's default quota is 5: have it raised, then set this key)",
    "eks.quotas.elasticIpsPerRegion 5 is below the 6 Elastic IPs clusters needs in us-east-1 (6 VPCs × 1 NAT gateways with eks.natGateways Single; AWS's default quota is 5)",
    "eks.quotas.resolverEndpointsPerRegion 4 is below the 7 Route 53 Resolver endpoints that private API endpoints need (one inbound per VPC, one outbound) in us-east-1 (AWS's default quota is 4: have it raised, then set this key)",
  ]);
  // Without a public endpoint, EKS's public name gives the private addresses: no Resolver endpoint.
  const privateOnly = { ...six, eks: { ...six.eks, publicEndpoint: false, quotas: { vpcsPerRegion: 6, elasticIpsPerRegion: 6 } } };
  expect(() => planFleet(privateOnly)).not.toThrow();
  const raised = { ...six, eks: { ...six.eks, quotas: { vpcsPerRegion: 6, elasticIpsPerRegion: 6, resolverEndpointsPerRegion: 7 } } };
  expect(() => planFleet(raised)).not.toThrow();
  // A NAT gateway per zone takes three addresses per VPC.
  const perZone = { ...fleet(hub(), eks("w", "us-east-1")), eks: { publicAccessCidrs: ["203.0.113.0/24"], natGateways: "OnePerAz" } };
  expect(messages(perZone)).toEqual([expect.stringMatching(/^eks\.quotas\.elasticIpsPerRegion 5 is below the 6 Elastic IPs .* \(2 VPCs × 3 NAT gateways/)]);
});

test("the public endpoint admits the operators' ranges alone, within EKS's 40, however many clusters call it", () => {
  const ranges = Array.from({ length: 40 }, (_, i) => `203.0.${i}.0/24`);
  const input = { ...fleet(hub(), eks("w", "us-west-2")), eks: { publicAccessCidrs: ranges, quotas: { rulesPerSecurityGroup: 200 } } };
  expect(() => planFleet(input)).not.toThrow();
  input.eks.publicAccessCidrs = [...ranges, "198.51.100.0/24"];
  expect(problemsOf(input)).toEqual([
    { key: "eks.publicAccessCidrs", message: "eks.publicAccessCidrs has 41 ranges, over EKS's limit of 40 per cluster" },
  ]);
  // Without a public endpoint, no range is needed unless the Karmada API's load balancer is public.
  const closed = { ...input, eks: { ...input.eks, publicAccessCidrs: [], publicEndpoint: false } };
  expect(problemsOf(closed).map((p) => p.key)).toEqual(["eks.publicAccessCidrs"]);
  expect(() => planFleet({ ...closed, eks: { ...closed.eks, karmadaApiAccess: "internal" } })).not.toThrow();
});

test("while a running fleet moves (eks.admitPeersPublicly), the other VPCs' NAT addresses count against the 40 again", () => {
  // Three VPCs with a NAT gateway per zone: each cluster admits the other two VPCs' 6 addresses.
  const input = (operators: number, eksSettings: Record<string, unknown> = {}) => ({
    ...fleet(hub(), eks("w", "us-west-2"), eks("e", "eu-west-1")),
    eks: {
      publicAccessCidrs: Array.from({ length: operators }, (_, i) => `203.0.${i}.0/24`),
      natGateways: "OnePerAz",
      admitPeersPublicly: true,
      quotas: { rulesPerSecurityGroup: 200, elasticIpsPerRegion: 6 },
      ...eksSettings,
    },
  });
  expect(planFleet(input(34)).eks.admitPeersPublicly).toBe(true);
  expect(problemsOf(input(35))).toEqual([
    {
      key: "eks.admitPeersPublicly",
      message:
        "eks.admitPeersPublicly has each cluster admit the 6 NAT addresses of the other VPCs besides the 35 ranges of " +
        "eks.publicAccessCidrs: 41, over EKS's limit of 40 per cluster; list fewer publicAccessCidrs for the move",
    },
  ]);
  // Once moved, the same ranges fit; by default a fleet admits no NAT address.
  expect(planFleet(input(35, { admitPeersPublicly: false })).eks.admitPeersPublicly).toBe(false);
  expect(planFleet(fleet(hub())).eks.admitPeersPublicly).toBe(false);
  // Without public endpoints there is nothing to keep open.
  expect(problemsOf(input(1, { publicEndpoint: false }))).toEqual([
    {
      key: "eks.admitPeersPublicly",
      message: "eks.admitPeersPublicly admits the other VPCs to the public endpoints, which eks.publicEndpoint false closes: unset one of them",
    },
  ]);
  expect(problemsOf(input(1, { admitPeersPublicly: "yes" })).map((p) => p.key)).toEqual(["eks.admitPeersPublicly"]);
});

test("regions of AWS's China partition are refused by name: their EKS names are not under eks.amazonaws.com", () => {
  expect(problemsOf(fleet(hub(), eks("bj", "cn-north-1"), eks("nx", "cn-northwest-1")))).toEqual(
    [1, 2].map((i) => ({
      key: `clusters[${i}].region`,
      message: `clusters[${i}].region ${["cn-north-1", "cn-northwest-1"][i - 1]} (${["bj", "nx"][i - 1]}) is in AWS's China partition (aws-cn), which the platform does not support`,
    })),
  );
});

test("Resolver rules, their associations and network interfaces per region are held against their quotas", () => {
  // 1 + 20 in one region: 21 inbound endpoints and an outbound one; the hub forwards 20 names.
  const big = (quotas: Record<string, number>) => ({
    ...fleet(hub(), ...Array.from({ length: 20 }, (_, i) => eks(`w${i}`, "us-east-1"))),
    eks: { publicAccessCidrs: ["203.0.113.0/24"], connectivity: "transitGateway", quotas: { vpcsPerRegion: 21, elasticIpsPerRegion: 21, resolverEndpointsPerRegion: 22, rulesPerSecurityGroup: 200, ...quotas } },
  });
  expect(() => planFleet(big({}))).not.toThrow();
  // Rules: 20 system rules, 20 forwarding rules at the hub, one to the hub; associations 20 · 3.
  expect(problemsOf(big({ resolverRulesPerRegion: 40, resolverRuleAssociationsPerRegion: 59 })).map((p) => p.message)).toEqual([
    "eks.quotas.resolverRulesPerRegion 40 is below the 41 Resolver rules that private API endpoints need in us-east-1 (AWS's default quota is 1000: have it raised, then set this key)",
    "eks.quotas.resolverRuleAssociationsPerRegion 59 is below the 60 Resolver rule associations that private API endpoints need in us-east-1 (AWS's default quota is 2000: have it raised, then set this key)",
  ]);
  // Interfaces: per VPC a NAT gateway, 3 gateway attachments, 8 for EKS, 2 for each of 6 nodes at
  // most (the default maxSize), 3 per NLB (a subnet each): 2 NLBs in a workload cluster, 3 in the
  // hub: 20 · (12 + 12 + 6) + (12 + 12 + 9) = 633, and 2 per Resolver endpoint: 633 + 44 = 677.
  expect(problemsOf(big({ networkInterfacesPerRegion: 676 }))).toEqual([
    {
      key: "eks.quotas.networkInterfacesPerRegion",
      message:
        "eks.quotas.networkInterfacesPerRegion 676 is below the 677 network interfaces the clusters take at least in us-east-1 (AWS's default quota is 5000: have it raised, then set this key)",
    },
  ]);
});

test("node group sizes in order, instance types of EC2's form", () => {
  const input = fleet(hub({ nodes: { minSize: 3, desiredSize: 2, maxSize: 6, instanceTypes: ["m6i.large", "m6i large", "C7g.xlarge"] } }));
  expect(problemsOf(input).map((p) => p.key)).toEqual([
    "clusters[0].nodes.instanceTypes[1]",
    "clusters[0].nodes.instanceTypes[2]",
  ]);
  expect(messages(fleet(hub({ nodes: { minSize: 3, desiredSize: 2, maxSize: 6 } })))).toEqual([
    "clusters[0].nodes (hub) needs minSize ≤ desiredSize ≤ maxSize, not 3, 2, 6",
  ]);
  expect(() => planFleet(fleet(hub({ nodes: { instanceTypes: ["c7gn.16xlarge", "u-6tb1.metal"] } })))).not.toThrow();
});

test("chosen zones: three distinct IDs per region, none that EKS refuses; log retention as CloudWatch offers", () => {
  const input = (zoneIds: unknown, logRetentionDays?: number) => ({
    ...fleet(hub()),
    eks: { publicAccessCidrs: ["203.0.113.0/24"], zoneIds, ...(logRetentionDays ? { logRetentionDays } : {}) },
  });
  expect(() => planFleet(input({ "us-east-1": ["use1-az1", "use1-az2", "use1-az4"] }))).not.toThrow();
  expect(messages(input({ "us-east-1": ["use1-az1", "use1-az3", "use1-az4"] }))).toEqual([
    "eks.zoneIds.us-east-1 lists use1-az3, a zone whose subnets EKS refuses for a cluster",
  ]);
  expect(messages(input({ "us-east-1": ["use1-az1", "use1-az1", "use1-az2"] }))).toEqual([
    'eks.zoneIds.us-east-1 must list 3 distinct zone IDs, not ["use1-az1","use1-az1","use1-az2"]',
  ]);
  expect(problemsOf(input({ "us-east-1": ["us-east-1a", "use1-az2", "use1-az4"] })).map((p) => p.key)).toEqual(["eks.zoneIds.us-east-1[0]"]);
  expect(problemsOf(input({}, 45)).map((p) => p.key)).toEqual(["eks.logRetentionDays"]);
});

test("the NLBs' rules in a cluster's security group are held against its quota", () => {
  // Management, three peered VPCs in the pool (one fleet range), P operator ranges: Karmada P + 3,
  // Argo CD and Prometheus 2·1 + 2·3 each, path-MTU rules P + 1, the API from the fleet's range
  // (not a rule per peer), EKS's own: 2P + 22.
  const input = (p: number, quotas: Record<string, number> = {}) => ({
    ...fleet(hub(), eks("w", "us-west-2"), eks("e", "eu-west-1")),
    eks: { publicAccessCidrs: Array.from({ length: p }, (_, i) => `203.0.${i}.0/24`), quotas },
  });
  expect(() => planFleet(input(19))).not.toThrow();
  expect(messages(input(20))).toEqual([
    "eks.quotas.rulesPerSecurityGroup 60 is below the about 62 inbound rules that clusters[0] (hub) needs in its cluster security group: the NLBs of its Services add one per client range and port; have AWS raise inbound rules per security group, then set this key, or list fewer publicAccessCidrs",
  ]);
  expect(() => planFleet(input(20, { rulesPerSecurityGroup: 100 }))).not.toThrow();
  // VPCs outside the pool are admitted one by one: every one of them costs rules on every NLB.
  const scattered = input(1);
  scattered.clusters = scattered.clusters.map((c, i) => ({ ...(c as object), vpcCidr: `192.168.${i * 16}.0/20` }));
  expect(planFleet(scattered).eksFleetRanges).toEqual(["192.168.0.0/20", "192.168.16.0/20", "192.168.32.0/20"]);
  expect(planFleet(input(1)).eksFleetRanges).toEqual(["10.0.0.0/10"]);
});

test("auto connectivity: peering up to 10 VPCs, Transit Gateways beyond; their quotas checked", () => {
  const spread = (n: number, eksSettings: Record<string, unknown> = {}) => ({
    ...fleet(...Array.from({ length: n }, (_, i) => eks(`c${i}`, ["us-east-1", "us-west-2", "eu-west-1"][i % 3], i === 0 ? "management" : "workload"))),
    eks: { publicAccessCidrs: ["203.0.113.0/24"], quotas: { vpcsPerRegion: 20, elasticIpsPerRegion: 20, resolverEndpointsPerRegion: 21 }, ...eksSettings },
  });
  expect(planFleet(spread(10)).eksConnectivity).toBe("peering");
  expect(planFleet(spread(11)).eksConnectivity).toBe("transitGateway");
  expect(planFleet(spread(3, { connectivity: "transitGateway" })).eksConnectivity).toBe("transitGateway");
  // VPCs outside the pool: every private route table needs a route per other VPC.
  const many = spread(52, { quotas: { vpcsPerRegion: 20, elasticIpsPerRegion: 20, rulesPerSecurityGroup: 200, resolverEndpointsPerRegion: 21 } });
  many.clusters = many.clusters.map((c, i) => ({ ...(c as object), vpcCidr: `172.${16 + Math.floor(i / 16)}.${(i % 16) * 16}.0/20` })) as typeof many.clusters;
  expect(problemsOf(many).filter((p) => p.key === "network.pools.vpc").map((p) => p.message)).toEqual([
    "network.pools.vpc does not hold every VPC, so each private route table needs a route per other VPC (51), over AWS's default quota of 50: keep the VPCs in the pool, where one route serves them all",
  ]);
});

test("auto never flips a fleet with a VPC outside the pool to Transit Gateways: that switch collides with the peering's routes", () => {
  const spread = (n: number, connectivity: string, outside: boolean) => {
    const input = {
      ...fleet(...Array.from({ length: n }, (_, i) => eks(`c${i}`, ["us-east-1", "us-west-2", "eu-west-1"][i % 3], i === 0 ? "management" : "workload"))),
      eks: { publicAccessCidrs: ["203.0.113.0/24"], connectivity, quotas: { vpcsPerRegion: 20, elasticIpsPerRegion: 20, rulesPerSecurityGroup: 200, resolverEndpointsPerRegion: 21 } },
    };
    if (outside) input.clusters = input.clusters.map((c, i) => (i === 0 ? { ...(c as object), vpcCidr: "172.16.0.0/16" } : c)) as typeof input.clusters;
    return input;
  };
  expect(problemsOf(spread(11, "auto", true)).map((p) => p.message)).toEqual([
    "eks.connectivity auto takes Transit Gateways for 11 VPCs, and not every VPC lies in network.pools.vpc: switching a peered fleet would collide with the peering's routes and rules. For a new fleet set eks.connectivity transitGateway; for a peered one migrate in two steps (docs/prod.md, Switching from peering to Transit Gateways)",
  ]);
  // Deliberate, or all in the pool (one route and one rule that never collide), or still peered: accepted.
  expect(planFleet(spread(11, "transitGateway", true)).eksConnectivity).toBe("transitGateway");
  expect(planFleet(spread(11, "auto", false)).eksConnectivity).toBe("transitGateway");
  expect(planFleet(spread(10, "auto", true)).eksConnectivity).toBe("peering");
});

test("through Transit Gateways, peers on the same mesh network still cost a rule each", () => {
  const shared = (n: number) => ({
    ...fleet(...Array.from({ length: n }, (_, i) => eks(`c${i}`, ["us-east-1", "us-west-2", "eu-west-1"][i % 3], i === 0 ? "management" : "workload", { network: "one" }))),
    eks: { publicAccessCidrs: ["203.0.113.0/24"], connectivity: "transitGateway", quotas: { vpcsPerRegion: 20, elasticIpsPerRegion: 20, resolverEndpointsPerRegion: 21 } },
  });
  // A workload: 16 + 1 (the east-west NLB, the fleet's range) + 8 + 1 (the ingress NLB, 0.0.0.0/0)
  // + 1 (the fleet's range) + n − 1 (shared peers) + 1 = n + 27, so 33 clusters fit in 60 rules.
  expect(() => planFleet(shared(33))).not.toThrow();
  expect(problemsOf(shared(34)).map((p) => p.message)).toContain(
    "eks.quotas.rulesPerSecurityGroup 60 is below the about 61 inbound rules that clusters[1] (c1) needs in its cluster security group: the NLBs of its Services add one per client range and port; have AWS raise inbound rules per security group, then set this key, or list fewer publicAccessCidrs",
  );
});
