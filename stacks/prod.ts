import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../components/eks-cluster";
import { EksNetwork } from "../components/eks-network";
import { connectVpcs } from "../components/vpc-connectivity";
import type { FleetPlan } from "../plan";
import { clustersOf, loadAlertReceivers } from "./config";
import type { StackOutputs } from "./contract";
import { composePlatform } from "./platform";

/**
 * The prod fleet: an EKS cluster per plan entry, each in its own VPC, the VPCs connected. VPCs
 * come first and in parallel; every cluster waits only for its own VPC and its peers' NAT
 * addresses; the VPC mesh builds alongside the clusters.
 */
export function prod(plan: FleetPlan): StackOutputs {
  const specs = clustersOf(plan, "eks", "prod");
  const tags = { "platform/env": plan.environment, "pulumi/stack": pulumi.getStack() };

  // One explicit provider per region, with the profile the kubeconfigs' exec uses too.
  const providers = new Map<string, aws.Provider>();
  for (const region of new Set(specs.map((s) => s.region))) {
    providers.set(
      region,
      new aws.Provider(`aws-${region}`, { region: region as aws.Region, profile: plan.eks.awsProfile, defaultTags: { tags } }),
    );
  }

  const networks = specs.map(
    (spec) => new EksNetwork(`${spec.name}-network`, { spec, awsProvider: providers.get(spec.region)!, settings: plan.eks }),
  );
  const clusters = specs.map(
    (spec, i) =>
      new EksCluster(spec.name, {
        spec,
        network: networks[i],
        settings: plan.eks,
        environment: plan.environment,
        peers: networks.filter((_, j) => j !== i).map((n) => ({ name: n.name, cidr: n.cidr, natIps: n.natIps })),
      }),
  );
  connectVpcs("vpc", plan.eks.connectivity, networks);
  const fleetRanges = specs.map((s) => s.vpcCidr);
  return composePlatform({
    clusters,
    // Management services sit behind internal NLBs that every VPC of the fleet may reach.
    exposure: { kind: "internalLoadBalancer", sourceRanges: fleetRanges },
    // Pulumi itself creates the Karmada objects: by default from where it reaches the EKS APIs.
    karmadaExposure:
      plan.eks.karmadaApiAccess === "internal"
        ? { kind: "internalLoadBalancer", sourceRanges: fleetRanges }
        : { kind: "publicLoadBalancer", sourceRanges: plan.eks.publicAccessCidrs },
    alertReceivers: loadAlertReceivers(),
    mesh: plan.mesh,
  });
}
