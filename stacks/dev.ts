import { KindCluster, KindNetwork, WorkstationEntry } from "../components/kind";
import { clustersRunBy, type FleetPlan, kindClusterName, type KindClusterPlan } from "../plan";
import { refuseWithoutTrace } from "./config";
import type { StackOutputs } from "./outputs";
import { composePlatform } from "./platform";
import { nextTurn } from "./turns";

/**
 * The dev fleet: kind clusters on the workstation's docker, on the plan's `kind` network. At most
 * `kind.maxParallelCreates` clusters boot at once; each waits for the one that many places before
 * it, so the rest of the graph stays parallel.
 */
export function dev(plan: FleetPlan): Promise<StackOutputs> {
  // Refused while the program loads, before anything is declared.
  const specs = refuseWithoutTrace(() => clustersRunBy(plan.clusters, "kind", "dev"));
  return declare(plan, specs);
}

/** Declares the dev fleet, a cluster per turn (stacks/turns.ts). */
async function declare(plan: FleetPlan, specs: readonly KindClusterPlan[]): Promise<StackOutputs> {
  const network = new KindNetwork("kind-network", { cidr: plan.kindNetworkCidr });
  const clusters: KindCluster[] = [];
  for (const spec of specs) {
    const previous = clusters[clusters.length - plan.kind.maxParallelCreates];
    clusters.push(
      new KindCluster(spec.name, {
        spec,
        // Pulumi creates the Karmada objects from this host, through a port the management
        // cluster forwards from day one: a mapping added later would recreate the cluster.
        hostPorts: spec.role === "management" ? { "karmada-api": plan.kind.karmadaApiHostPort } : {},
        createAfter: [network.ensured, ...(previous ? [previous.created] : [])],
      }),
    );
    await nextTurn();
  }
  // Users reach the apps through one proxy on the workstation, in front of every cluster's gateway.
  return composePlatform(plan, clusters, (gateways) => {
    const entry = new WorkstationEntry("fleet-entry", {
      containerName: kindClusterName("fleet-entry", plan.kind.hostSlot),
      hostPort: plan.kind.entryHostPort,
      network: network.dockerNetwork,
      gateways: gateways.map((g) => g.address),
      dependsOn: [network.ensured],
    });
    return entry.url;
  });
}
