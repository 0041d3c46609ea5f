import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EKS_ENDPOINT_DOMAIN, EksNetwork, FleetDns } from "../../components/eks";
import type { EksClusterPlan } from "../../plan";
import { fakeResolverIp, named, ofType, plain, type Recorded, runProgram, valueOf } from "../support/harness";
import { twoRegionFleet } from "../support/eks-fleet";

// The hub and a member in us-west-2, two members in us-east-1; every VPC in the pool (one range).
const plan = twoRegionFleet();
const specs = plan.clusters as EksClusterPlan[];
const hostOf = (spec: EksClusterPlan) => `${spec.name}0123456789abcdef.gr7.${spec.region}.${EKS_ENDPOINT_DOMAIN}`;
let resources: Recorded[];
let published: Map<string, pulumi.Output<string>>;

beforeAll(async () => {
  ({ resources, result: published } = await runProgram({
    stack: "big",
    program: () => {
      const providers = new Map(["us-west-2", "us-east-1"].map((r) => [r, new aws.Provider(`aws-${r}`, { region: r as aws.Region })]));
      const networks = specs.map(
        (spec) => new EksNetwork(`${spec.name}-network`, { spec, clusterName: `big-${spec.name}`, awsProvider: providers.get(spec.region)!, settings: plan.eks }),
      );
      const dns = new FleetDns("fleet-dns", { networks, hub: networks[0], fleetRanges: plan.eksFleetRanges });
      return new Map(networks.map((n, i) => [n.name, dns.publish(n, pulumi.output(`https://${hostOf(specs[i])}`))]));
    },
  }));
});

const rules = () => ofType(resources, "aws:route53/resolverRule:ResolverRule").map((r) => ({ name: r.name, provider: r.providers[0], ...plain(r.inputs) }));
const associations = () =>
  ofType(resources, "aws:route53/resolverRuleAssociation:ResolverRuleAssociation").map((a) => ({ name: a.name, provider: a.providers[0], ...plain(a.inputs) }));
const inboundIps = (cluster: string) => [0, 1].map((i) => fakeResolverIp(`fleet-dns-${cluster}-inbound`, i));

test("an inbound endpoint in every VPC, an outbound one per region: two addresses each, in two private subnets, admitting the fleet on 53", () => {
  const endpoints = ofType(resources, "aws:route53/resolverEndpoint:ResolverEndpoint").map((e) => [e.name, e.providers[0], plain(e.inputs)] as const);
  expect(endpoints.map(([name, provider, inputs]) => [name, provider, inputs.direction, inputs.ipAddresses, inputs.securityGroupIds])).toEqual([
    ...specs.map((s) => [
      `fleet-dns-${s.name}-inbound`,
      `aws-${s.region}`,
      "INBOUND",
      [0, 1].map((z) => ({ subnetId: `${s.name}-network-private-${z}-id` })),
      [`fleet-dns-${s.name}-inbound-id`],
    ]),
    // The hub's region's in the hub's VPC; another region's in its first VPC.
    ["fleet-dns-us-east-1-outbound", "aws-us-east-1", "OUTBOUND", [0, 1].map((z) => ({ subnetId: `e1-network-private-${z}-id` })), ["fleet-dns-us-east-1-outbound-id"]],
    ["fleet-dns-us-west-2-outbound", "aws-us-west-2", "OUTBOUND", [0, 1].map((z) => ({ subnetId: `hub-network-private-${z}-id` })), ["fleet-dns-us-west-2-outbound-id"]],
  ]);
  expect(plain(named(resources, "aws:ec2/securityGroup:SecurityGroup", "fleet-dns-e2-inbound").inputs).vpcId).toBe("e2-network-vpc-id");
  // The fleet's one range, on UDP and TCP: in to the inbound endpoints, out of the outbound ones.
  const rule = (type: string, name: string) => plain(named(resources, type, name).inputs);
  for (const protocol of ["udp", "tcp"]) {
    const expected = { cidrIpv4: "10.0.0.0/10", ipProtocol: protocol, fromPort: 53, toPort: 53 };
    expect(rule("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `fleet-dns-e2-inbound-${protocol}-0`)).toMatchObject({ securityGroupId: "fleet-dns-e2-inbound-id", ...expected });
    expect(rule("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", `fleet-dns-us-east-1-outbound-${protocol}-0`)).toMatchObject({ securityGroupId: "fleet-dns-us-east-1-outbound-id", ...expected });
  }
  expect(ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toHaveLength(2 * 4);
});

test("per member, a constant count: its system rule, the hub's forwarding rule, three associations", () => {
  for (const member of ["w1", "e1", "e2"]) {
    expect(rules().filter((r) => r.name.startsWith(`fleet-dns-${member}-`)).map((r) => r.name)).toEqual([`fleet-dns-${member}-itself`, `fleet-dns-${member}-at-hub`]);
    expect(associations().filter((a) => a.name.startsWith(`fleet-dns-${member}-`)).map((a) => a.name)).toEqual([
      `fleet-dns-${member}-itself`,
      `fleet-dns-${member}-to-hub`,
      `fleet-dns-${member}-at-hub`,
    ]);
  }
  // The hub has no rule of its own; a rule per region sends every EKS name to the hub.
  expect(rules().filter((r) => r.name.startsWith("fleet-dns-hub"))).toEqual([]);
  expect(rules().filter((r) => r.name.endsWith("-to-hub"))).toEqual(
    ["us-east-1", "us-west-2"].map((region) => ({
      name: `fleet-dns-${region}-to-hub`,
      provider: `aws-${region}`,
      domainName: EKS_ENDPOINT_DOMAIN,
      ruleType: "FORWARD",
      resolverEndpointId: `fleet-dns-${region}-outbound-id`,
      targetIps: inboundIps("hub").map((ip) => ({ ip, port: 53 })),
      tags: { Name: `fleet-dns-${region}-to-hub` },
    })),
  );
  // The hub's rules for a member live in the hub's region, through its outbound endpoint.
  expect(rules().find((r) => r.name === "fleet-dns-e2-at-hub")).toMatchObject({
    provider: "aws-us-west-2",
    domainName: hostOf(specs[3]),
    resolverEndpointId: "fleet-dns-us-west-2-outbound-id",
    targetIps: inboundIps("e2").map((ip) => ({ ip, port: 53 })),
  });
  // A member forwards to the hub, and the hub to it, only once its own name stays local.
  expect(named(resources, "aws:route53/resolverRuleAssociation:ResolverRuleAssociation", "fleet-dns-e2-to-hub").dependsOn).toEqual(["fleet-dns-e2-itself"]);
  expect(named(resources, "aws:route53/resolverRule:ResolverRule", "fleet-dns-e2-at-hub").dependsOn).toEqual(["fleet-dns-e2-itself"]);
  expect(named(resources, "aws:route53/resolverRuleAssociation:ResolverRuleAssociation", "fleet-dns-e2-at-hub").dependsOn).toEqual(["fleet-dns-e2-itself"]);
});

test("every association is made in its VPC's region, with a rule of that region: Resolver associates nothing across regions", () => {
  const regionOfVpc = new Map(specs.map((s) => [`${s.name}-network-vpc-id`, s.region]));
  const ruleById = new Map(rules().map((r) => [`${r.name}-id`, r]));
  const regions = associations().map((a) => [a.name, a.provider, `aws-${regionOfVpc.get(a.vpcId)}`, ruleById.get(a.resolverRuleId)!.provider]);
  expect(regions).toHaveLength(3 * 3);
  for (const [name, provider, vpcRegion, ruleRegion] of regions) expect([name, vpcRegion, ruleRegion]).toEqual([name, provider, provider]);
});

test("every VPC resolves every cluster's name to that cluster's private addresses, with no forwarding loop", () => {
  // Route 53 Resolver as documented: the most specific rule associated with the querying VPC
  // wins (a query arriving at an inbound endpoint is the endpoint VPC's own); a system rule or no
  // rule answers from the VPC's private hosted zones, where EKS puts only its own cluster's name.
  const byId = new Map(rules().map((r) => [`${r.name}-id`, r]));
  const vpcOfInbound = new Map(specs.flatMap((s) => inboundIps(s.name).map((ip) => [ip, s.name])));
  const resolve = (host: string, vpc: string, hops: string[] = []): string => {
    if (hops.length > 4) throw new Error(`${host} loops: ${hops.join(" → ")}`);
    const matching = associations()
      .filter((a) => a.vpcId === `${vpc}-network-vpc-id`)
      .map((a) => byId.get(a.resolverRuleId)!)
      .filter((r) => host === r.domainName || host.endsWith(`.${r.domainName}`))
      .sort((a, b) => b.domainName.length - a.domainName.length);
    const rule = matching[0];
    if (!rule || rule.ruleType === "SYSTEM") return specs.some((s) => hostOf(s) === host && s.name === vpc) ? `private in ${vpc}` : "public";
    const next = vpcOfInbound.get(rule.targetIps[0].ip)!;
    return resolve(host, next, [...hops, `${vpc} (${rule.name})`]);
  };
  for (const from of specs) {
    for (const to of specs) expect([from.name, resolve(hostOf(to), from.name)]).toEqual([from.name, `private in ${to.name}`]);
    // Other EKS clusters' names still resolve publicly, through the hub.
    expect(resolve(`other.gr7.eu-west-1.${EKS_ENDPOINT_DOMAIN}`, from.name)).toBe("public");
  }
});

test("a member's endpoint is handed out once the hub resolves it and it resolves the others; the hub's at once", async () => {
  const after = (name: string) => [...(published.get(name) as unknown as { resources(): Set<pulumi.Resource> }).resources()];
  const names = async (name: string) => (await Promise.all(after(name).map((r) => valueOf(r.urn)))).map((urn) => urn.split("::").pop()).sort();
  expect(await names("e2")).toEqual(["fleet-dns-e2-at-hub", "fleet-dns-e2-to-hub"]);
  expect(await names("hub")).toEqual([]);
  expect(await valueOf(published.get("e2")!)).toBe(`https://${hostOf(specs[3])}`);
});
