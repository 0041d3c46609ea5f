import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterOutput, Fleet } from "@platform/contract";

/** The kubeconfig of a workload cluster of the fleet, or an error naming what the fleet has. */
export function kubeconfigOf(clusters: Record<string, ClusterOutput>, kubeconfigs: Record<string, string>, name: string): string {
  if (clusters[name]?.role !== "workload" || !kubeconfigs[name]) {
    const workloads = Object.values(clusters).filter((c) => c.role === "workload").map((c) => c.name);
    throw new Error(`the fleet has no workload cluster ${name}; its workload clusters are ${workloads.join(", ")}`);
  }
  return kubeconfigs[name];
}

export interface TeamAppArgs {
  /** The workload clusters to run in; each must be a workload cluster of the fleet. */
  clusters: string[];
  /** Container image, pinned by tag or digest. */
  image: string;
  /** Replicas per cluster. Default 2. */
  replicas?: number;
  /** What the namespace may use in each cluster. Default: 2 CPUs, 4 GiB, 20 pods. */
  quota?: { cpu: string; memory: string; pods: string };
}

/**
 * A team's namespace, quota and app in each cluster it targets, through the fleet's outputs only:
 * the kubeconfig of each cluster (a secret, kept secret) and its labels.
 */
export class TeamApp extends pulumi.ComponentResource {
  /** Where the app runs, by cluster: its region and in-cluster address. */
  readonly placed: pulumi.Output<Record<string, { region: string; service: string }>>;

  constructor(name: string, fleet: Pick<Fleet, "clusters" | "kubeconfigs">, args: TeamAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("team:index:TeamApp", name, {}, opts);
    const quota = args.quota ?? { cpu: "2", memory: "4Gi", pods: "20" };
    const labels = { app: name };

    for (const cluster of args.clusters) {
      const kubeconfig = pulumi.all([fleet.clusters, fleet.kubeconfigs]).apply(([clusters, kubeconfigs]) => kubeconfigOf(clusters, kubeconfigs, cluster));
      const inCluster = { parent: this, provider: new k8s.Provider(`${name}-${cluster}`, { kubeconfig: pulumi.secret(kubeconfig) }, { parent: this }) };
      const namespace = new k8s.core.v1.Namespace(`${name}-${cluster}-namespace`, { metadata: { name, labels } }, inCluster);
      const ns = namespace.metadata.name;
      new k8s.core.v1.ResourceQuota(
        `${name}-${cluster}-quota`,
        { metadata: { name: "team", namespace: ns }, spec: { hard: { "requests.cpu": quota.cpu, "requests.memory": quota.memory, pods: quota.pods } } },
        inCluster,
      );
      new k8s.apps.v1.Deployment(
        `${name}-${cluster}-app`,
        {
          metadata: { name, namespace: ns, labels },
          spec: {
            replicas: args.replicas ?? 2,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name,
                    image: args.image,
                    ports: [{ containerPort: 80 }],
                    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                  },
                ],
              },
            },
          },
        },
        inCluster,
      );
      new k8s.core.v1.Service(`${name}-${cluster}-service`, { metadata: { name, namespace: ns, labels }, spec: { selector: labels, ports: [{ port: 80 }] } }, inCluster);
    }
    this.placed = fleet.clusters.apply((clusters) =>
      Object.fromEntries(args.clusters.map((c) => [c, { region: clusters[c]?.region ?? "", service: `${name}.${name}.svc.cluster.local` }])),
    );
    this.registerOutputs({ placed: this.placed });
  }
}
