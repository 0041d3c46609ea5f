import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { TeamStack } from "@platform/contract";

/** The team's kubeconfig for a cluster, or an error naming the clusters the team is on. */
export function kubeconfigOf(kubeconfigs: Record<string, string>, cluster: string): string {
  if (!kubeconfigs[cluster]) throw new Error(`the team is not on cluster ${cluster}; its clusters are ${Object.keys(kubeconfigs).join(", ")}`);
  return kubeconfigs[cluster];
}

/** `wanted` when it is one of the team's namespaces (the first of them when not given), or an error naming them. */
export function namespaceOf(namespaces: string[], wanted?: string): string {
  const namespace = wanted ?? namespaces[0];
  if (!namespaces.includes(namespace)) throw new Error(`${namespace} is not a namespace of the team; its namespaces are ${namespaces.join(", ")}`);
  return namespace;
}

export interface TeamAppArgs {
  /** The clusters to run in; the team must be on each. */
  clusters: string[];
  /** Container image, pinned by tag or digest. */
  image: string;
  /** Replicas per cluster. Default 2. */
  replicas?: number;
  /** One of the team's namespaces, which the platform made with its quota. Default: the team's first. */
  namespace?: string;
}

/**
 * A team's app in each cluster it targets, in one of its namespaces, through its team stack's
 * outputs only: its own kubeconfigs (secret, kept secret; `edit` in its namespaces), its
 * namespaces and the clusters' regions. The namespace and its quota are the platform's.
 */
export class TeamApp extends pulumi.ComponentResource {
  /** Where the app runs, by cluster: its region and in-cluster address. */
  readonly placed: pulumi.Output<Record<string, { region: string; service: string }>>;

  constructor(name: string, team: Pick<TeamStack, "clusters" | "kubeconfigs" | "namespaces">, args: TeamAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("team:index:TeamApp", name, {}, opts);
    const labels = { app: name };
    const ns = team.namespaces.apply((namespaces) => namespaceOf(namespaces, args.namespace));

    for (const cluster of args.clusters) {
      const kubeconfig = team.kubeconfigs.apply((kubeconfigs) => kubeconfigOf(kubeconfigs, cluster));
      const inCluster = { parent: this, provider: new k8s.Provider(`${name}-${cluster}`, { kubeconfig: pulumi.secret(kubeconfig) }, { parent: this }) };
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
    this.placed = pulumi.all([team.clusters, ns]).apply(([clusters, namespace]) =>
      Object.fromEntries(args.clusters.map((c) => [c, { region: clusters[c]?.region ?? "", service: `${name}.${namespace}.svc.cluster.local` }])),
    );
    this.registerOutputs({ placed: this.placed });
  }
}
