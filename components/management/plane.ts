import * as pulumi from "@pulumi/pulumi";
import type { AlertReceiver, GitOpsSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { ArgoCd } from "./argocd";
import { GitServer } from "./git-server";
import { Karmada } from "./karmada";
import { Monitoring, type MonitoringArgs } from "./monitoring";

export interface ManagementPlaneArgs {
  /** The management cluster; it says how each tool is reached from outside it. */
  management: Cluster;
  /** Every workload cluster; each is registered with Karmada, Argo CD and monitoring. */
  workloads: Cluster[];
  /** Alertmanager webhook receivers (secret). Default: none. */
  alertReceivers?: pulumi.Input<AlertReceiver[]>;
  /** The repository Argo CD reads; without `repoURL`, the management cluster's own git server. Default: that server, on main. */
  gitops?: GitOpsSettings;
  /** The folder the own git server is seeded from, relative to the program. Default `gitops`. */
  gitopsSeed?: string;
  /** The central Prometheus's retention and volume, Grafana's other data sources, its in-cluster readers. Default: the monitoring's own. */
  metrics?: Pick<MonitoringArgs, "retention" | "dataSources" | "readers">;
}

/** Where Argo CD's ApplicationSets read from, and what must be there first. */
export interface GitOpsSource {
  repoURL: string;
  revision: string;
  /** Argo CD installed with every cluster registered, and the repository seeded when it is the platform's own. */
  ready: pulumi.Resource[];
}

/**
 * Karmada, Argo CD and fleet monitoring on the management cluster, installed side by side (none
 * waits for another), with every workload cluster registered to all three; and, when Argo CD is
 * pointed at no hosted repository, the git server it reads.
 */
export class ManagementPlane extends pulumi.ComponentResource {
  readonly karmada: Karmada;
  readonly argocd: ArgoCd;
  readonly monitoring: Monitoring;
  readonly gitops: GitOpsSource;

  constructor(name: string, args: ManagementPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:ManagementPlane", name, {}, opts);
    const { management, workloads } = args;
    const child = { parent: this };
    this.karmada = new Karmada(`${name}-karmada`, { host: management, members: workloads }, child);
    this.argocd = new ArgoCd(`${name}-argocd`, { host: management, clusters: workloads }, child);
    const { repoURL, revision } = args.gitops ?? { revision: "main" };
    if (repoURL) {
      this.gitops = { repoURL, revision, ready: this.argocd.ready };
    } else {
      const seed = args.gitopsSeed ?? "gitops";
      const server = new GitServer(`${name}-git`, { host: management, seed, readerNamespace: ArgoCd.namespace, branch: revision }, child);
      this.gitops = { repoURL: server.repoURL, revision, ready: [...this.argocd.ready, ...server.ready] };
    }
    this.monitoring = new Monitoring(
      `${name}-monitoring`,
      { host: management, clusters: workloads, receivers: args.alertReceivers, ...args.metrics },
      child,
    );
    this.registerOutputs({});
  }
}
