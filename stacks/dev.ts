import { KindCluster } from "../components/kind-cluster";
import { KindNetwork } from "../components/kind-network";
import { KARMADA_API_NODE_PORT } from "../components/ports";
import type { FleetPlan } from "../plan";
import { clustersOf, loadAlertReceivers } from "./config";
import type { StackOutputs } from "./contract";
import { composePlatform } from "./platform";

/**
 * The dev fleet: kind clusters on the workstation's docker, on the plan's `kind` network, with
 * the management plane reached through node ports. At most `kind.maxParallelCreates` clusters
 * boot at once; each waits for the one that many places before it, so the rest of the graph
 * stays parallel.
 */
export function dev(plan: FleetPlan): StackOutputs {
  const specs = clustersOf(plan, "kind", "dev");
  const network = new KindNetwork("kind-network", { cidr: plan.kindNetworkCidr });
  // The management cluster forwards the Karmada API's NodePort to the host from day one: adding
  // a port mapping later would recreate the cluster.
  const managementPorts = [{ containerPort: KARMADA_API_NODE_PORT, hostPort: plan.kind.karmadaApiHostPort }];
  const clusters: KindCluster[] = [];
  for (const spec of specs) {
    const previous = clusters[clusters.length - plan.kind.maxParallelCreates];
    clusters.push(
      new KindCluster(spec.name, {
        spec,
        portMappings: spec.role === "management" ? managementPorts : [],
        createAfter: [network.ensured, ...(previous ? [previous.created] : [])],
      }),
    );
  }
  return composePlatform({
    clusters,
    exposure: { kind: "nodePort" },
    karmadaHostPort: plan.kind.karmadaApiHostPort,
    alertReceivers: loadAlertReceivers(),
    mesh: plan.mesh,
  });
}
