import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import type { Exposure } from "../components/exposure";
import { ManagementPlane } from "../components/management-plane";
import type { AlertReceiver } from "../components/monitoring";
import { fleetOutputs, managementOutputs, StackOutputs } from "./contract";

export interface PlatformArgs {
  /** Every cluster of the fleet, in plan order. */
  clusters: Cluster[];
  exposure: Exposure;
  karmadaHostPort?: number;
  alertReceivers: pulumi.Output<AlertReceiver[]>;
}

/** What every composition puts on its clusters: the management plane, and the stack outputs. */
export function composePlatform(args: PlatformArgs): StackOutputs {
  const management = args.clusters.find((c) => c.spec.role === "management")!;
  const plane = new ManagementPlane("platform", {
    management,
    workloads: args.clusters.filter((c) => c !== management),
    exposure: args.exposure,
    karmadaHostPort: args.karmadaHostPort,
    alertReceivers: args.alertReceivers,
  });
  return { ...fleetOutputs(args.clusters), ...managementOutputs(plane) };
}
