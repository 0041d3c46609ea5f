import * as pulumi from "@pulumi/pulumi";
import type { AlertReceiver } from "../../plan";
import type { Cluster } from "../cluster";
import { ArgoCd } from "./argocd";
import { Karmada } from "./karmada";
import { Monitoring } from "./monitoring";

export interface ManagementPlaneArgs {
  /** The management cluster; it says how each tool is reached from outside it. */
  management: Cluster;
  /** Every workload cluster; each is registered with Karmada, Argo CD and monitoring. */
  workloads: Cluster[];
  /** Alertmanager webhook receivers (secret). Default: none. */
  alertReceivers?: pulumi.Input<AlertReceiver[]>;
}

/**
 * Karmada, Argo CD and fleet monitoring on the management cluster, installed side by side (none
 * waits for another), with every workload cluster registered to all three.
 */
export class ManagementPlane extends pulumi.ComponentResource {
  readonly karmada: Karmada;
  readonly argocd: ArgoCd;
  readonly monitoring: Monitoring;

  constructor(name: string, args: ManagementPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:ManagementPlane", name, {}, opts);
    const { management, workloads } = args;
    const child = { parent: this };
    this.karmada = new Karmada(`${name}-karmada`, { host: management, members: workloads }, child);
    this.argocd = new ArgoCd(`${name}-argocd`, { host: management, clusters: workloads }, child);
    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      { host: management, clusters: workloads, receivers: args.alertReceivers },
      child,
    );
    this.registerOutputs({});
  }
}
