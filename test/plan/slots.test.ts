import fc from "fast-check";
import { planFleet, type ClusterPlan } from "../../plan";
import { renderKindConfig } from "../../components/kind";
import { fleet, kind, problemsOf } from "./fleets";

// What a cluster is on the host and in the network, as far as removing another could change it.
const identity = (c: ClusterPlan) =>
  c.provider === "kind" ? { ...c, index: undefined, key: undefined, kindConfig: renderKindConfig(c) } : { ...c, index: undefined, key: undefined };

test("with slots, removing any cluster from the middle changes nothing of the others (ranges, API port, kind config)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 10 }), fc.nat(), (n, pick) => {
      const clusters = Array.from({ length: n }, (_, i) => kind(`c${i}`, i === 0 ? "management" : "workload", { slot: i }));
      const before = planFleet(fleet(...clusters));
      const removed = 1 + (pick % (n - 1));
      const after = planFleet(fleet(...clusters.filter((_, i) => i !== removed)));
      const survivors = before.clusters.filter((_, i) => i !== removed);
      expect(after.clusters.map(identity)).toEqual(survivors.map(identity));
    }),
    { numRuns: 200 },
  );
});

test("without slots the clusters after a removed one move: what slots are for", () => {
  const clusters = [kind("a", "management"), kind("b"), kind("c")];
  const before = planFleet(fleet(...clusters)).clusters[2];
  const after = planFleet(fleet(clusters[0], clusters[2])).clusters[1];
  expect(after.podCidr).not.toBe(before.podCidr);
});

test("a slot equal to the position gives what the position gave, so adopting slots moves nothing", () => {
  const plain = planFleet(fleet(kind("a", "management"), kind("b"), kind("c")));
  const slotted = planFleet(fleet(kind("a", "management", { slot: 0 }), kind("b", "workload", { slot: 1 }), kind("c", "workload", { slot: 2 })));
  expect(slotted.clusters.map((c) => [c.podCidr, c.serviceCidr, c.provider === "kind" && c.lbCidr, c.provider === "kind" && c.apiServerPort])).toEqual(
    plain.clusters.map((c) => [c.podCidr, c.serviceCidr, c.provider === "kind" && c.lbCidr, c.provider === "kind" && c.apiServerPort]),
  );
});

test("two clusters on one slot, or a slot past a pool's end, are refused", () => {
  expect(problemsOf(fleet(kind("a", "management", { slot: 1 }), kind("b", "workload", { slot: 1 }))).map((p) => p.key)).toEqual([
    "clusters[1].apiServerPort",
    "clusters[1].podCidr",
    "clusters[1].serviceCidr",
    "clusters[1].lbCidr",
  ]);
  expect(problemsOf(fleet(kind("a", "management", { slot: 16 }))).map((p) => p.message)).toEqual([
    "clusters[0].slot 16 (a) is past the end of network.pools.lb 172.18.255.0/24, which holds 16 blocks of /28",
  ]);
});

test("a second fleet on the host (kind.hostSlot 1) takes its own names, host ports and load-balancer pool", () => {
  const clusters = [kind("mgmt", "management"), kind("west")];
  const first = planFleet(fleet(...clusters));
  const second = planFleet({ ...fleet(...clusters), kind: { hostSlot: 1 } });
  const hostFacing = (plan: typeof first) =>
    plan.clusters.map((c) => (c.provider === "kind" ? [c.kindName, c.apiServerPort, c.lbCidr] : []));
  expect(hostFacing(first)).toEqual([
    ["mgmt", 36443, "172.18.255.0/28"],
    ["west", 36444, "172.18.255.16/28"],
  ]);
  expect(hostFacing(second)).toEqual([
    ["mgmt-h1", 36543, "172.18.254.0/28"],
    ["west-h1", 36544, "172.18.254.16/28"],
  ]);
  expect([first.kind.karmadaApiHostPort, second.kind.karmadaApiHostPort]).toEqual([35443, 35444]);
});

test("kind clusters may not share a mesh network: nothing routes pods between them", () => {
  expect(problemsOf(fleet(kind("mgmt", "management"), kind("west", "workload", { network: "shared" }), kind("east", "workload", { network: "shared" }))).map((p) => p.message)).toEqual([
    "clusters[2].network shared (east) is also the network of clusters[1] (west): clusters on one mesh network must reach each other's pods directly, which nothing routes between kind clusters; give each kind cluster its own network",
  ]);
});
