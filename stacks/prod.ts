import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { connectVpcs, DnsEntry, EksCluster, eksClusterName, EksNetwork, type EksServiceAccess } from "../components/eks";
import { ingressHost } from "../components/placement";
import { clustersRunBy, type FleetPlan } from "../plan";
import { refuseWithoutTrace } from "./config";
import type { StackOutputs } from "./outputs";
import { composePlatform } from "./platform";

/**
 * The prod fleet: an EKS cluster per plan entry, each in its own VPC, the VPCs connected. VPCs
 * come first and in parallel; every cluster waits only for its own VPC and its peers' NAT
 * addresses; the VPC mesh builds alongside the clusters.
 */
export function prod(plan: FleetPlan): StackOutputs {
  const specs = refuseWithoutTrace(() => clustersRunBy(plan.clusters, "eks", "prod"));
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
  const networks = specs.map(
    (spec) =>
      new EksNetwork(`${spec.name}-network`, {
        spec,
        clusterName: eksClusterName(plan.environment, spec.name),
        awsProvider: providers.get(spec.region)!,
        settings: plan.eks,
      }),
  );
  const clusters = specs.map(
    (spec, i) =>
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
        // Through Transit Gateways the fleet's VPCs come from its summary range: one rule for all.
        apiRanges: plan.eksConnectivity === "transitGateway" ? plan.eksFleetRanges : undefined,
      }),
  );
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
