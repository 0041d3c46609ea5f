import * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "./argocd";
import type { Cluster } from "./cluster";
import type { Exposure } from "./exposure";
import { Karmada } from "./karmada";
import { AlertReceiver, Monitoring } from "./monitoring";

export interface ManagementPlaneArgs {
  /** The management cluster. */
  management: Cluster;
  /** Every workload cluster; each is registered with Karmada, Argo CD and monitoring. */
  workloads: Cluster[];
  /** How management services are reached from outside their cluster. */
  exposure: Exposure;
  /** How Pulumi reaches the Karmada API, when not as `exposure` says. Default: `exposure`. */
  karmadaExposure?: Exposure;
  /** kind only: the host port forwarded to the Karmada API's node port. */
  karmadaHostPort?: number;
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
    const { management, workloads, exposure } = args;
    const child = { parent: this };
    this.karmada = new Karmada(
      `${name}-karmada`,
      { host: management, members: workloads, exposure: args.karmadaExposure ?? exposure, hostPort: args.karmadaHostPort },
      child,
    );
    this.argocd = new ArgoCd(`${name}-argocd`, { host: management, clusters: workloads, exposure }, child);
    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      { host: management, clusters: workloads, exposure, receivers: args.alertReceivers },
      child,
    );
    this.registerOutputs({});
  }
}
