import { planFleet } from "../../plan";
import { eks, fleet, kind, problemsOf } from "./fleets";

// Teams in the plan: defaults, identities per provider, and every refusal keyed and named.
const kindFleet = (...teams: unknown[]) => ({
  ...fleet(kind("mgmt", "management"), kind("west"), kind("east")),
  apps: [{ name: "web", image: "nginx:1.29.3", placement: { clusters: ["west"] } }],
  teams,
});
const eksFleet = (...teams: unknown[]) => ({ ...fleet(eks("mgmt", "us-west-2", "management"), eks("west", "us-west-2"), eks("east", "us-east-1")), teams });
const ROLE = "arn:aws:iam::123456789012:role/team-shop";
/** Problems as `key: message`, so a test names both. */
const refusals = (input: unknown) => problemsOf(input).map((p) => `${p.key}: ${p.message}`);

test("a team gets every workload cluster, its ServiceAccount, the GitOps repository, a quota and defaults by default", () => {
  const [shop] = planFleet(kindFleet({ name: "shop", namespaces: ["shop"] })).teams;
  expect(shop).toEqual({
    name: "shop",
    namespaces: ["shop"],
    clusters: ["west", "east"],
    serviceAccount: "team-shop",
    quota: { cpu: "4", memory: "8Gi", pods: 50 },
    defaults: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  });
});

test("a team's clusters come in the fleet's order, with its own identity name and repositories", () => {
  const [shop] = planFleet(
    kindFleet({ name: "shop", namespaces: ["shop"], clusters: ["east", "west"], identity: { name: "shoppers" }, repos: ["https://git.example/shop.git"] }),
  ).teams;
  expect([shop.clusters, shop.serviceAccount, shop.repos]).toEqual([["west", "east"], "shoppers", ["https://git.example/shop.git"]]);
});

test("on EKS a team is its IAM role", () => {
  expect(planFleet(eksFleet({ name: "shop", namespaces: ["shop"], identity: { roleArn: ROLE } })).teams[0].roleArn).toBe(ROLE);
});

test("a namespace has one owner: never the platform's, an app's or another team's; names are the team's own", () => {
  expect(
    refusals(
      kindFleet(
        { name: "shop", namespaces: ["shop", "kube-system", "web"] },
        { name: "pay", namespaces: ["pay", "shop"], identity: { name: "team-shop" } },
        { name: "shop", namespaces: ["argocd", "platform-teams", "x"], identity: { name: "other" } },
      ),
    ),
  ).toEqual([
    "teams[0].namespaces[1]: teams[0].namespaces[1] (shop) kube-system is a namespace of Kubernetes, Karmada or the platform",
    "teams[0].namespaces[2]: teams[0].namespaces[2] (shop) web is the namespace of apps[0], which the platform makes for that app",
    "teams[1].namespaces[1]: teams[1].namespaces[1] (pay) shop is also claimed by teams[0].namespaces[0]: a namespace has one owning team",
    "teams[1].identity.name: teams[1].identity.name (pay) team-shop is also the identity of teams[0]: each team needs its own",
    "teams[2].name: teams[2].name (shop) is also the name of teams[0]",
    "teams[2].namespaces[0]: teams[2].namespaces[0] (shop) argocd is a namespace of Kubernetes, Karmada or the platform",
    "teams[2].namespaces[1]: teams[2].namespaces[1] (shop) platform-teams is a namespace of Kubernetes, Karmada or the platform",
  ]);
});

test("a team's clusters are workload clusters of the fleet", () => {
  expect(refusals(kindFleet({ name: "shop", namespaces: ["shop"], clusters: ["west", "mgmt", "north"] }))).toEqual([
    "teams[0].clusters[1]: teams[0].clusters[1] (shop) names mgmt, the management cluster: teams run on workload clusters",
    "teams[0].clusters[2]: teams[0].clusters[2] (shop) names north, which is no cluster of the fleet",
  ]);
});

test("each provider's identity is required where it is read, refused where it is not, and never shared", () => {
  expect(refusals(eksFleet({ name: "shop", namespaces: ["shop"], identity: { name: "shop" } }))).toEqual([
    "teams[0].identity.roleArn: teams[0].identity.roleArn (shop) is missing: EKS (west, east) admits a team by its IAM role",
    "teams[0].identity.name: teams[0].identity.name (shop) is not read: none of the team's clusters runs on kind",
  ]);
  expect(refusals(kindFleet({ name: "shop", namespaces: ["shop"], identity: { roleArn: ROLE } }))).toEqual([
    "teams[0].identity.roleArn: teams[0].identity.roleArn (shop) is not read: none of the team's clusters runs on EKS",
  ]);
  expect(
    refusals(eksFleet({ name: "shop", namespaces: ["shop"], identity: { roleArn: ROLE } }, { name: "pay", namespaces: ["pay"], identity: { roleArn: ROLE } })),
  ).toEqual([`teams[1].identity.roleArn: teams[1].identity.roleArn (pay) ${ROLE} is also teams[0].identity.roleArn: each team needs its own role`]);
  // The admins' role has its access entry already; EKS would refuse a second one only at `up`.
  const withAdmin = { ...eksFleet({ name: "shop", namespaces: ["shop"], identity: { roleArn: ROLE } }) } as Record<string, any>;
  withAdmin.eks = { ...withAdmin.eks, adminRoleArn: ROLE };
  expect(refusals(withAdmin)).toEqual([`teams[0].identity.roleArn: teams[0].identity.roleArn (shop) ${ROLE} is eks.adminRoleArn: a team needs a role of its own, not the fleet's admins'`]);
});

test("a team's shape is checked key by key, with the value named", () => {
  expect(
    refusals(
      kindFleet({ name: "Shop", namespaces: ["a", "a"], clusters: ["west", "west"], identity: { roleArn: "team-shop" }, repos: ["git@x:y"], quota: { cpu: "lots" }, owner: "x" }),
    ),
  ).toEqual([
    'teams[0].name "Shop": must be a DNS label: lower-case letters, digits and \'-\', starting with a letter',
    "teams[0].namespaces: names a namespace twice",
    "teams[0].clusters: names a cluster twice",
    'teams[0].identity.roleArn "team-shop": must be an IAM role ARN',
    'teams[0].repos[0] "git@x:y": must be an http(s):// or ssh:// clone URL',
    'teams[0].quota.cpu "lots": is not a Kubernetes quantity such as 250m or 128Mi',
    "teams[0].owner: unknown key",
  ].map((message) => `${message.split(/[ :]/)[0]}: ${message}`));
});

test("a fleet without teams plans none", () => {
  expect(planFleet(kindFleet()).teams).toEqual([]);
});

test("a team's secrets provider is one the Pulumi CLI takes, refused with its key otherwise", () => {
  for (const secretsProvider of ["passphrase", "default", "awskms:///arn:aws:kms:us-west-2:123456789012:key/k", "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k"]) {
    expect(planFleet(kindFleet({ name: "shop", namespaces: ["shop"], secretsProvider })).teams.map((t) => t.name)).toEqual(["shop"]);
  }
  for (const secretsProvider of ["awskms://", "s3://bucket", "Passphrase", "passphrase "]) {
    expect(refusals(kindFleet({ name: "shop", namespaces: ["shop"], secretsProvider }))).toEqual([
      `teams[0].secretsProvider: teams[0].secretsProvider ${JSON.stringify(secretsProvider)}: must be passphrase, default, or an awskms://, azurekeyvault://, gcpkms:// or hashivault:// URL`,
    ]);
  }
});
