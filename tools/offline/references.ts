import * as pulumi from "@pulumi/pulumi";

/** The key of Pulumi's wire markers (secrets, resource references), and a reference's marker. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/**
 * A reference to a resource the engine holds with `state`, as the engine sends one in a remote
 * component's outputs (an EKS component's `eksCluster`, its `instanceRoles`): the SDK rebuilds
 * the resource from it and asks the engine for its state, which the mock monitor answers from
 * the resources it holds.
 */
export function engineReference(type: string, name: string, state: unknown): Record<string, string> {
  const monitor = (pulumi.runtime as unknown as { getMonitor(): { resources: Map<string, { urn: string; id: string; state: unknown }> } }).getMonitor();
  const urn = `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
  monitor.resources.set(urn, { urn, id: name, state });
  return { [SIG_KEY]: RESOURCE_SIG, urn, id: name };
}

/** An EKS component's outputs with the resources in them as the engine sends them: references. */
export function eksComponentReferences(name: string, outputs: { eksCluster: unknown; instanceRoles: unknown[] }): Record<string, unknown> {
  return {
    eksCluster: engineReference("aws:eks/cluster:Cluster", `${name}-eksCluster`, outputs.eksCluster),
    instanceRoles: outputs.instanceRoles.map((role, i) => engineReference("aws:iam/role:Role", `${name}-instanceRole-${i}`, role)),
  };
}
