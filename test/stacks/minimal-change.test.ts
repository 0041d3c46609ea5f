import { caseConfig, type GraphNode, recordGraph } from "../support/graph";
import { TWO_EVALUATIONS } from "../support/harness";

/** Kiali lists the clusters it reads: adding or removing one updates its values. */
const KIALI_CLUSTERS = { name: "platform-observability-topology-kiali", fields: ["values"] };
/** The transfer-cost rule prices every ordered pair of workload clusters: a cluster added or removed changes its pairs. */
const PAIR_PRICES = { name: "platform-observability-transfer-cost", fields: ["spec"] };

// Appending a cluster changes only what concerns it; removing one removes only its own resources.
// (With slots, as the stack files have them: see docs/operations.md.)
type Clusters = { name: string; slot?: number; [key: string]: unknown }[];
const byUrn = (graph: GraphNode[]) => new Map(graph.map((n) => [n.urn, n]));
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

async function compare(stack: "dev" | "prod", edit: (clusters: Clusters) => Clusters, settings: Record<string, unknown> = {}) {
  const base = { ...caseConfig(stack, "sidecar"), ...settings };
  const edited = { ...base, "platform:clusters": edit(structuredClone(base["platform:clusters"] as Clusters)) };
  // The second run gets the providers' first answers (keys, certificates), as a real state would.
  const first = await recordGraph(stack, base);
  const [before, after] = [byUrn(first), byUrn(await recordGraph(stack, edited, first.states))];
  const changed = [...before].filter(([urn, node]) => after.has(urn) && JSON.stringify(node.inputs) !== JSON.stringify(after.get(urn)!.inputs));
  return {
    added: [...after.keys()].filter((urn) => !before.has(urn)).map(nameOf),
    removed: [...before.keys()].filter((urn) => !after.has(urn)).map(nameOf),
    // Placed apps follow the fleet's workload clusters (their Service is in every one): apart.
    changedApps: changed.map(([urn]) => nameOf(urn)).filter((name) => name.startsWith("app-")),
    changed: changed.filter(([urn]) => !nameOf(urn).startsWith("app-")).map(([urn, node]) => ({
      name: nameOf(urn),
      fields: Object.keys({ ...node.inputs, ...after.get(urn)!.inputs }).filter(
        (k) => JSON.stringify(node.inputs[k]) !== JSON.stringify(after.get(urn)!.inputs[k]),
      ),
    })),
  };
}

// Apps are moved off a cluster before it goes (the plan refuses a target that is no cluster).
/** An app and a team on east only, so that removing west leaves them be. */
const eastOnly = (stack: "dev" | "prod") => ({
  "platform:apps": [{ name: "nginx", image: "nginx:1.29.3", placement: { clusters: ["east"] } }],
  "platform:teams": [{ name: "shop", namespaces: ["shop"], clusters: ["east"], identity: stack === "prod" ? { roleArn: "arn:aws:iam::123456789012:role/team-shop" } : {} }],
});
/**
 * Each workload cluster's one Secret of remote clusters gains or loses the cluster's key. Its
 * provider updates it in place (`enableSecretMutable`, test/stacks/dev.test.ts): istiod adds or
 * drops that one cluster and keeps the others.
 */
const remotesOf = (...clusters: string[]) => clusters.map((c) => ({ name: `mesh-${c}-remotes`, fields: ["stringData"] }));
/** A team on every workload cluster (by default) may deploy to a new one: its AppProject's destinations list it. */
const SHOP_PROJECT = { name: "teams-shop-project", fields: ["spec"] };

const concerns = (cluster: string) => (name: string) => new RegExp(`(^|-)${cluster}(-|$)`).test(name);

test("dev: appending a workload cluster adds only its own resources and registrations, and its key to each mesh secret", async () => {
  const { added, removed, changed, changedApps } = await compare("dev", (c) => [...c, { name: "north", role: "workload", provider: "kind", slot: 3, region: "eu-north" }]);
  expect(removed).toEqual([]);
  // Kiali lists every cluster it reads; the workstation's entry proxies to every cluster's ingress gateway, north's too.
  expect(changed).toEqual([...remotesOf("west", "east"), KIALI_CLUSTERS, PAIR_PRICES, SHOP_PROJECT, { name: "fleet-entry-proxy", fields: ["environment"] }]);
  // Every app's Service policy lists north too, and ha-nginx (placed by label env=dev) takes it as a target.
  expect(changedApps.sort()).toEqual(["app-ha-nginx-propagation", "app-ha-nginx-service-propagation", "app-nginx-dr-service-propagation", "app-nginx-service-propagation"]);
  expect(added.length).toBeGreaterThan(20);
  expect(added.filter((n) => !concerns("north")(n))).toEqual([]);
  // Every other workload cluster learns of it (above), and it of them.
  expect(added).toEqual(expect.arrayContaining(["mesh-north-remotes", "platform-karmada-north-cluster"]));
}, TWO_EVALUATIONS);

test("dev: removing a workload cluster from the middle removes only its own resources, and its key from each mesh secret", async () => {
  const { added, removed, changed, changedApps } = await compare("dev", (c) => c.filter((cluster) => cluster.name !== "west"), eastOnly("dev"));
  expect(added).toEqual([]);
  expect(changed).toEqual([...remotesOf("east"), KIALI_CLUSTERS, PAIR_PRICES, { name: "fleet-entry-proxy", fields: ["environment"] }]);
  expect(changedApps).toEqual(["app-nginx-service-propagation"]);
  expect(removed.filter((n) => !concerns("west")(n))).toEqual([]);
  expect(removed).toEqual(expect.arrayContaining(["west", "west-cluster", "mesh-west-remotes", "platform-karmada-west-cluster"]));
}, TWO_EVALUATIONS);

test("prod: appending a cluster changes nothing in the others but their mesh secret; its private name is its own resources and its new region's", async () => {
  const { added, removed, changed, changedApps } = await compare("prod", (c) => [...c, { name: "south", role: "workload", provider: "eks", region: "eu-west-1", slot: 3 }]);
  expect(removed).toEqual([]);
  // Apps' Services and NetworkPolicies (one policy) reach the new cluster; the policies themselves name no cluster.
  expect(changedApps.sort()).toEqual(["app-ha-nginx-propagation", "app-ha-nginx-service-propagation", "app-nginx-dr-service-propagation", "app-nginx-service-propagation"]);
  // The API endpoints admit the operators alone, whatever the fleet: no cluster changes.
  expect(changed).toEqual([...remotesOf("west", "east"), KIALI_CLUSTERS, PAIR_PRICES, SHOP_PROJECT]);
  // Its own resources; new to the fleet with its region, the region's AWS provider, outbound
  // Resolver endpoint (in south's VPC) and rule to the hub.
  const region = ["outbound", "outbound", "outbound-udp-0", "outbound-tcp-0", "to-hub"].map((role) => `fleet-dns-eu-west-1-${role}`);
  expect(added.filter((n) => !concerns("south")(n)).sort()).toEqual(["aws-eu-west-1", ...region].sort());
  // Every API admits the fleet's range already: no rule for the new peer, in the others or its own.
  expect(added).toEqual(expect.arrayContaining(["vpc-mgmt-south", "south-api-from-fleet-0"]));
  expect(added.filter((n) => n.includes("-api-from-"))).toEqual(["south-api-from-fleet-0"]);
  // Its name resolves privately from every VPC: its inbound endpoint, the hub's rule, its own rules.
  expect(added).toEqual(expect.arrayContaining(["fleet-dns-south-inbound", "fleet-dns-south-at-hub", "fleet-dns-south-itself", "fleet-dns-south-to-hub"]));
}, TWO_EVALUATIONS);

test("prod through Transit Gateways: removing a cluster whose region stays renames nothing", async () => {
  // Four regions' worth of clusters; removing `west` leaves its region to `mgmt`.
  const eks = { ...(caseConfig("prod", "sidecar")["platform:eks"] as object), connectivity: "transitGateway" };
  const extra = [
    { name: "eu", role: "workload", provider: "eks", region: "eu-west-1", slot: 3 },
    { name: "ap", role: "workload", provider: "eks", region: "ap-southeast-2", slot: 4 },
  ];
  const withExtra = (c: Clusters) => [...c, ...extra];
  const base = { ...eastOnly("prod"), "platform:eks": eks, "platform:clusters": withExtra(structuredClone(caseConfig("prod", "sidecar")["platform:clusters"] as Clusters)) };
  const { added, removed, changed, changedApps } = await compare("prod", (c) => c.filter((cluster) => cluster.name !== "west"), base);
  expect(added).toEqual([]);
  expect(changedApps).toEqual(["app-nginx-service-propagation"]);
  expect(removed.filter((n) => !concerns("west")(n))).toEqual([]);
  // The others' API endpoints and private names stay as they were.
  expect(changed).toEqual([...remotesOf("east", "eu", "ap"), KIALI_CLUSTERS, PAIR_PRICES]);
}, TWO_EVALUATIONS);
