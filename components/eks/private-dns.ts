import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RESOLVER_ENDPOINT_IPS } from "../../plan";
import type { EksNetwork } from "./network";

/** The domain of every EKS API endpoint name (`<id>.<xx>.<region>.eks.amazonaws.com`). */
export const EKS_ENDPOINT_DOMAIN = "eks.amazonaws.com";

export interface FleetDnsArgs {
  /** Every VPC of the fleet, in plan order: a region's outbound endpoint goes in its first (the hub's in the hub's region). */
  networks: EksNetwork[];
  /** The VPC whose resolver answers for the fleet: the management cluster's. */
  hub: EksNetwork;
  /** Who may query the endpoints on port 53: the fleet's VPC ranges (the pool: one rule per protocol). */
  fleetRanges: readonly string[];
}

/**
 * Private names for the fleet's EKS API endpoints. With the public endpoint on, a cluster's name
 * resolves to its private addresses only inside its own VPC (EKS associates a private hosted zone
 * with it alone), so every VPC gets an inbound Resolver endpoint, and every region an outbound one.
 * The hub forwards each member's name to that member's inbound endpoint; each member forwards
 * `eks.amazonaws.com` to the hub's inbound endpoint and resolves its own name itself (a system
 * rule: forwarding it would loop through the hub back to its own inbound endpoint). Per member: two
 * rules and three associations, however large the fleet (docs/prod.md, Private API endpoints).
 */
export class FleetDns extends pulumi.ComponentResource {
  private readonly name: string;
  private readonly hub: EksNetwork;
  private readonly inbound = new Map<string, aws.route53.ResolverEndpoint>();
  private readonly outbound = new Map<string, aws.route53.ResolverEndpoint>();
  /** Per region, the rule that sends every EKS name to the hub. */
  private readonly toHub = new Map<string, aws.route53.ResolverRule>();

  constructor(name: string, args: FleetDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:FleetDns", name, {}, opts);
    this.name = name;
    this.hub = args.hub;
    const endpoint = (role: string, network: EksNetwork, direction: "INBOUND" | "OUTBOUND") => {
      const child = { parent: this, provider: network.awsProvider };
      const tags = { Name: `${name}-${role}`, "platform/cluster": network.name };
      const group = new aws.ec2.SecurityGroup(
        `${name}-${role}`,
        { vpcId: network.vpcId, description: `Route 53 Resolver ${direction.toLowerCase()} endpoint: DNS within the fleet`, tags },
        child,
      );
      args.fleetRanges.forEach((cidr, i) => {
        for (const ipProtocol of ["udp", "tcp"]) {
          const rule = { securityGroupId: group.id, cidrIpv4: cidr, ipProtocol, fromPort: 53, toPort: 53, tags };
          if (direction === "INBOUND") new aws.vpc.SecurityGroupIngressRule(`${name}-${role}-${ipProtocol}-${i}`, rule, child);
          else new aws.vpc.SecurityGroupEgressRule(`${name}-${role}-${ipProtocol}-${i}`, rule, child);
        }
      });
      // Two addresses in two zones: the fewest AWS takes, and one zone may fail.
      return new aws.route53.ResolverEndpoint(
        `${name}-${role}`,
        {
          direction,
          securityGroupIds: [group.id],
          ipAddresses: Array.from({ length: RESOLVER_ENDPOINT_IPS }, (_, zone) => ({ subnetId: network.privateSubnetIds.apply((ids) => ids[zone]) })),
          tags,
        },
        child,
      );
    };
    for (const network of args.networks) this.inbound.set(network.name, endpoint(`${network.name}-inbound`, network, "INBOUND"));

    const hubAddresses = targets(this.inbound.get(args.hub.name)!);
    const regions = [...new Set(args.networks.map((n) => n.region))].sort();
    for (const region of regions) {
      const host = region === args.hub.region ? args.hub : args.networks.find((n) => n.region === region)!;
      const outbound = endpoint(`${region}-outbound`, host, "OUTBOUND");
      this.outbound.set(region, outbound);
      this.toHub.set(
        region,
        new aws.route53.ResolverRule(
          `${name}-${region}-to-hub`,
          { domainName: EKS_ENDPOINT_DOMAIN, ruleType: "FORWARD", resolverEndpointId: outbound.id, targetIps: hubAddresses, tags: { Name: `${name}-${region}-to-hub` } },
          { parent: this, provider: host.awsProvider },
        ),
      );
    }
    this.registerOutputs({});
  }

  /**
   * Makes a cluster's API endpoint name resolve to its private addresses from every VPC of the
   * fleet, and the cluster's VPC resolve the others'. Returns the endpoint once both hold: what
   * the fleet's callers (Karmada, Argo CD, istiod) are given.
   */
  publish(network: EksNetwork, endpoint: pulumi.Output<string>): pulumi.Output<string> {
    // The hub resolves the names of the clusters in its VPC itself, its own included.
    if (network === this.hub) return endpoint;
    const name = `${this.name}-${network.name}`;
    const host = endpoint.apply((url) => new URL(url).hostname);
    const tags = { "platform/cluster": network.name };
    const own = { parent: this, provider: network.awsProvider };

    const itself = new aws.route53.ResolverRule(`${name}-itself`, { domainName: host, ruleType: "SYSTEM", tags: { ...tags, Name: `${name}-itself` } }, own);
    const resolvesItself = new aws.route53.ResolverRuleAssociation(`${name}-itself`, { resolverRuleId: itself.id, vpcId: network.vpcId }, own);
    // Only once the member resolves its own name itself: with a changed name the hub's new rule
    // would otherwise send it to the member, whose rule to the hub sends it back.
    const atHub = { parent: this, provider: this.hub.awsProvider, dependsOn: [resolvesItself] };
    // Only once its own name stays local: the nodes keep reaching their control plane throughout.
    const resolvesOthers = new aws.route53.ResolverRuleAssociation(
      `${name}-to-hub`,
      { resolverRuleId: this.toHub.get(network.region)!.id, vpcId: network.vpcId },
      { ...own, dependsOn: [resolvesItself] },
    );
    const forward = new aws.route53.ResolverRule(
      `${name}-at-hub`,
      {
        domainName: host,
        ruleType: "FORWARD",
        resolverEndpointId: this.outbound.get(this.hub.region)!.id,
        targetIps: targets(this.inbound.get(network.name)!),
        tags: { ...tags, Name: `${name}-at-hub` },
      },
      atHub,
    );
    const resolvedAtHub = new aws.route53.ResolverRuleAssociation(`${name}-at-hub`, { resolverRuleId: forward.id, vpcId: this.hub.vpcId }, atHub);
    return pulumi.all([endpoint, resolvedAtHub.id, resolvesOthers.id]).apply(([url]) => url);
  }
}

/** An inbound endpoint's addresses, as a rule's targets. */
function targets(inbound: aws.route53.ResolverEndpoint): pulumi.Output<{ ip: string; port: number }[]> {
  return inbound.ipAddresses.apply((addresses) => addresses.map((a) => ({ ip: a.ip!, port: 53 })));
}
