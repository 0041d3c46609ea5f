import { BlockList } from "net";
import { planFleet, type EksClusterPlan } from "../../plan";
import { eks, fleet } from "./fleets";

// AWS's rules for the subnets of a VPC and awsx's checks of explicit blocks, written here on their
// own (Node's BlockList and 32-bit arithmetic), not with the plan's CIDR code.
const toInt = (ip: string) => ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
const parse = (cidr: string) => {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const first = toInt(ip);
  return { ip, prefix, first, last: first + 2 ** (32 - prefix) - 1 };
};
const fromInt = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
const inside = (outer: string, inner: string) => {
  const o = parse(outer);
  const list = new BlockList();
  list.addSubnet(o.ip, o.prefix);
  const i = parse(inner);
  return list.check(fromInt(i.first)) && list.check(fromInt(i.last));
};
const overlap = (a: string, b: string) => {
  const [x, y] = [parse(a), parse(b)];
  return x.first <= y.last && y.first <= x.last;
};

const plans = [16, 20, 24].map(
  (prefix) =>
    planFleet({
      ...fleet(eks("hub", "eu-west-1", "management", { nodes: { maxSize: 1, minSize: 1, desiredSize: 1, maxPodsPerNode: 20 } })),
      network: { prefixes: { vpc: prefix } },
    }).clusters[0] as EksClusterPlan,
);

test.each(plans.map((p) => [p.vpcCidr, p] as const))("the subnets of %s keep AWS's and awsx's rules", (_, plan) => {
  const { subnets, vpcCidr } = plan;
  const all = subnets.flatMap((s) => [s.private, s.public]);
  // awsx, explicit blocks: as many blocks per subnet type as zones, one mask per type, none overlapping.
  expect(subnets.map((s) => s.zone)).toEqual([0, 1, 2]);
  expect(new Set(subnets.map((s) => parse(s.private).prefix)).size).toBe(1);
  expect(new Set(subnets.map((s) => parse(s.public).prefix)).size).toBe(1);
  all.forEach((a, i) => all.slice(0, i).forEach((b) => expect(overlap(a, b)).toBe(false)));
  // AWS: inside the VPC, aligned, between /16 and /28.
  for (const subnet of all) {
    expect(inside(vpcCidr, subnet)).toBe(true);
    const { first, prefix } = parse(subnet);
    expect(first % 2 ** (32 - prefix)).toBe(0);
    expect(prefix).toBeGreaterThanOrEqual(16);
    expect(prefix).toBeLessThanOrEqual(28);
  }
});

test("a /16 VPC gives each zone a /18 private and a /20 public subnet", () => {
  expect(plans[0].vpcCidr).toBe("10.0.0.0/16");
  expect(plans[0].subnets).toEqual([
    { zone: 0, private: "10.0.0.0/18", public: "10.0.192.0/20" },
    { zone: 1, private: "10.0.64.0/18", public: "10.0.208.0/20" },
    { zone: 2, private: "10.0.128.0/18", public: "10.0.224.0/20" },
  ]);
});

test("the plan refuses a VPC whose zone cannot hold its share of nodes and pods (AWS keeps 5 addresses a subnet)", () => {
  // /24: private subnets are /26, 64 - 5 = 59 usable; one node with 58 pods needs 59.
  const fits = { nodes: { maxSize: 3, minSize: 1, desiredSize: 1, maxPodsPerNode: 58 } };
  expect(() => planFleet({ ...fleet(eks("hub", "eu-west-1", "management", fits)), network: { prefixes: { vpc: 24 } } })).not.toThrow();
  const tooMany = { nodes: { maxSize: 4, minSize: 1, desiredSize: 1, maxPodsPerNode: 58 } };
  expect(() => planFleet({ ...fleet(eks("hub", "eu-west-1", "management", tooMany)), network: { prefixes: { vpc: 24 } } })).toThrow(
    "clusters[0].vpcCidr 10.0.0.0/24 (hub) is too small: 4 nodes over 3 zones put up to 2 nodes × (58 pods + 1) = 118 addresses in one zone, whose private subnet 10.0.0.0/26 has 59 usable",
  );
});
