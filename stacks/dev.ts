import * as pulumi from "@pulumi/pulumi";
import { KindCluster } from "../components/kind-cluster";
import { KindNetwork } from "../components/kind-network";
import type { FleetPlan } from "../plan";
import { fleetOutputs, StackOutputs } from "./contract";

/**
 * The dev fleet: kind clusters on the workstation's docker, on the plan's `kind` network. At
 * most `kind.maxParallelCreates` clusters boot at once; each waits for the one that many places
 * before it, so the rest of the graph stays parallel.
 */
export function dev(plan: FleetPlan): StackOutputs {
  const specs = plan.clusters.map((spec) => {
    if (spec.provider !== "kind") {
      throw new pulumi.RunError(`${spec.key}.provider is ${spec.provider}, but the dev composition runs kind clusters only`);
    }
    return spec;
  });
  const network = new KindNetwork("kind-network", { cidr: plan.kindNetworkCidr });
  const clusters: KindCluster[] = [];
  for (const spec of specs) {
    const previous = clusters[clusters.length - plan.kind.maxParallelCreates];
    clusters.push(
      new KindCluster(spec.name, {
        spec,
        createAfter: [network.ensured, ...(previous ? [previous.created] : [])],
      }),
    );
  }
  return fleetOutputs(clusters);
}
