import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import { ManagementPlane } from "../components/management";
import { Mesh } from "../components/mesh";
import type { FleetPlan } from "../plan";
import { fleetOutputs, managementOutputs, meshOutputs, type StackOutputs } from "./outputs";

/**
 * What every composition puts on its clusters (one per plan entry, in plan order): the management
 * plane and the mesh, and the stack outputs. Each cluster says how its services are reached.
 */
export function composePlatform(plan: FleetPlan, clusters: readonly Cluster[]): StackOutputs {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const running = (name: string): Cluster => {
    const cluster = byName.get(name);
    if (!cluster) throw new Error(`the composition made no cluster for plan entry ${name}`);
    return cluster;
  };
  const management = running(plan.management.name);
  const workloads = plan.workloads.map((w) => running(w.name));
  const plane = new ManagementPlane("platform", {
    management,
    workloads,
    alertReceivers: pulumi.secret([...plan.alertReceivers]),
  });
  const mesh = new Mesh("mesh", { clusters: workloads, settings: plan.mesh });
  return { ...fleetOutputs(clusters), ...managementOutputs(plane), ...meshOutputs(mesh, plan.mesh) };
}
