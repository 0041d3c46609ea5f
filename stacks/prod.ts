import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { connectVpcs, DnsEntry, EksCluster, eksClusterName, EksNetwork, type EksServiceAccess, FleetDns } from "../components/eks";
import { ingressHost } from "../components/placement";
import { clustersRunBy, type EksClusterPlan, type FleetPlan } from "../plan";
import { refuseWithoutTrace } from "./config";
import { nextTurn } from "./turns";
import type { StackOutputs } from "./outputs";
import { composePlatform } from "./platform";

/**
 * The prod fleet: an EKS cluster per plan entry, each in its own VPC, the VPCs connected. VPCs
 * come first and in parallel; every cluster waits only for its own VPC; the VPC mesh and the
 * private names of the API endpoints build alongside the clusters.
 */
export function prod(plan: FleetPlan): Promise<StackOutputs> {
  // Refused while the program loads, before anything is declared.
  const specs = refuseWithoutTrace(() => clustersRunBy(plan.clusters, "eks", "prod"));
  return declare(plan, specs);
}

/** Declares the prod fleet, a cluster per turn (stacks/turns.ts). */
async function declare(plan: FleetPlan, specs: readonly EksClusterPlan[]): Promise<StackOutputs> {
  const tags = { "platform/env": plan.environment, "pulumi/stack": pulumi.getStack() };

  // One explicit provider per region, with the profile the kubeconfigs' exec uses too.
  const providers = new Map<string, aws.Provider>();
  for (const region of new Set(specs.map((s) => s.region))) {
    providers.set(
      region,
      new aws.Provider(`aws-${region}`, { region: region as aws.Region, profile: plan.eks.awsProfile, defaultTags: { tags } }),
    );
  }

  // Platform services sit behind internal NLBs that every VPC of the fleet may reach; Pulumi
  // itself creates the Karmada objects, by default from where it reaches the EKS APIs.
  const serviceAccess: EksServiceAccess = {
    fleetRanges: [...plan.eksFleetRanges],
    operator:
      plan.eks.karmadaApiAccess === "internal"
        ? { scheme: "internal" }
        : { scheme: "internet-facing", ranges: plan.eks.publicAccessCidrs },
    public: [...plan.ingress.allowedCidrs],
  };
  const networks: EksNetwork[] = [];
  for (const spec of specs) {
    networks.push(
      new EksNetwork(`${spec.name}-network`, {
        spec,
        clusterName: eksClusterName(plan.environment, spec.name),
        awsProvider: providers.get(spec.region)!,
        settings: plan.eks,
      }),
    );
    await nextTurn();
  }
  // The clusters call each other's API privately; with a public endpoint, only DNS forwarding
  // makes a cluster's name resolve to its private addresses outside its own VPC.
  // The hub is the management cluster's VPC, which prod always has (it runs EKS clusters only).
  const hub = networks.find((n) => n.name === plan.management.name)!;
  const privateDns = plan.eks.publicEndpoint
    ? new FleetDns("fleet-dns", { networks, hub, fleetRanges: plan.eksFleetRanges })
    : undefined;
  const clusters: EksCluster[] = [];
  for (const [i, spec] of specs.entries()) {
    clusters.push(
      new EksCluster(spec.name, {
        spec,
        network: networks[i],
        settings: plan.eks,
        environment: plan.environment,
        peers: specs.flatMap((peer, j) =>
          j === i
            ? []
            : [{ name: peer.name, cidr: peer.vpcCidr, natIps: networks[j].natIps, sharesNetwork: peer.network === spec.network }],
        ),
        serviceAccess,
        privateDns,
      }),
    );
    await nextTurn();
  }
  connectVpcs("vpc", plan.eksConnectivity, networks, plan.eksFleetRanges);
  // Users reach the apps by name through Route 53, when the stack gives a hosted zone.
  const { route53ZoneId } = plan.ingress;
  return composePlatform(plan, clusters, (gateways) => {
    if (!route53ZoneId) return undefined;
    new DnsEntry("fleet-entry", {
      zoneId: route53ZoneId,
      gateways: gateways.map(({ cluster, address }) => ({ cluster: cluster.name, region: cluster.spec.region, address })),
      apps: plan.apps.map((app) => ({ host: ingressHost(app, plan.ingress.domain), clusters: [...app.targets, ...app.standby] })),
      awsProvider: providers.get(plan.management.region)!,
    });
    return (host) => `http://${host}`;
  });
}
