import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import type { Exposure } from "../components/exposure";
import { ManagementPlane } from "../components/management-plane";
import { Mesh } from "../components/mesh";
import type { AlertReceiver } from "../components/monitoring";
import type { MeshSettings } from "../plan";
import { fleetOutputs, managementOutputs, meshOutputs, StackOutputs } from "./contract";

export interface PlatformArgs {
  /** Every cluster of the fleet, in plan order. */
  clusters: Cluster[];
  /** How management services and east-west gateways are reached from other clusters. */
  exposure: Exposure;
  /** How Pulumi reaches the Karmada API. Default: `exposure`. */
  karmadaExposure?: Exposure;
  /** kind only: the host port forwarded to the Karmada API. */
  karmadaHostPort?: number;
  /** Alertmanager receivers (secret). */
  alertReceivers: pulumi.Output<AlertReceiver[]>;
  mesh: MeshSettings;
}

/** What every composition puts on its clusters: the management plane and the mesh, and the stack outputs. */
export function composePlatform(args: PlatformArgs): StackOutputs {
  const management = args.clusters.find((c) => c.spec.role === "management")!;
  const workloads = args.clusters.filter((c) => c !== management);
  const plane = new ManagementPlane("platform", {
    management,
    workloads,
    exposure: args.exposure,
    karmadaExposure: args.karmadaExposure,
    karmadaHostPort: args.karmadaHostPort,
    alertReceivers: args.alertReceivers,
  });
  const mesh = new Mesh("mesh", { clusters: workloads, settings: args.mesh, exposure: args.exposure });
  return { ...fleetOutputs(args.clusters), ...managementOutputs(plane), ...meshOutputs(mesh, args.mesh) };
}
