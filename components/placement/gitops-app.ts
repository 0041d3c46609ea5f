import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ArgoCdAppPlan, MeshSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { networkPolicies, sameNetworkPodRanges } from "./baseline";
import { callerTraffic, meshLabels } from "./traffic";

/** Argo CD as the app needs it. */
export interface GitOpsApi {
  /** Provider of the management cluster, where ApplicationSets live. */
  provider: k8s.Provider;
  /** Argo CD's namespace. */
  namespace: string;
  /** The repository and revision its ApplicationSets read. */
  repoURL: pulumi.Input<string>;
  revision: string;
  /** Argo CD installed, every cluster registered, the repository seeded. */
  ready: pulumi.Input<pulumi.Resource>[];
}

export interface GitOpsAppArgs {
  app: ArgoCdAppPlan;
  argocd: GitOpsApi;
  meshMode: MeshSettings["mode"];
  /** Users reach it as `<name>.<domain>` at every workload cluster's ingress gateway. */
  domain: string;
  /** Every workload cluster: the app's targets are among them, its callers are all of them. */
  clusters: Cluster[];
  /** What the pods need in a cluster before Argo CD syncs them there (its Istio). */
  ready: pulumi.Input<pulumi.Resource>[];
}

/**
 * An app placed by an Argo CD ApplicationSet: a cluster generator selects the registered
 * workload clusters by the labels of their cluster Secrets (the app's placement labels, or its
 * cluster names through the `cluster` label), and each gets an Application syncing the overlay
 * `<source.path>/overlays/<cluster>` with prune, self-heal and a retry that outlasts a cluster
 * briefly away. The platform owns what Argo CD must not lose: in each target cluster the app's
 * namespace (mesh and Pod Security labels) and its NetworkPolicies; and in every workload cluster
 * its DestinationRule and its route at the ingress gateway.
 */
export class GitOpsApp extends pulumi.ComponentResource {
  constructor(name: string, args: GitOpsAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:GitOpsApp", name, {}, opts);
    const { app, argocd, meshMode } = args;
    const targets = args.clusters.filter((c) => app.targets.includes(c.name));
    const mesh = meshLabels(meshMode, app.podSecurity);

    const namespaces = targets.map((cluster) => {
      const inCluster = { parent: this, provider: cluster.provider, dependsOn: args.ready };
      const namespace = new k8s.core.v1.Namespace(
        `${name}-namespace-${cluster.name}`,
        { metadata: { name: app.name, labels: mesh.namespace } },
        inCluster,
      );
      for (const policy of networkPolicies(app, meshMode, sameNetworkPodRanges(args.clusters))) {
        new k8s.networking.v1.NetworkPolicy(`${name}-network-${policy.metadata.name}-${cluster.name}`, policy, {
          ...inCluster,
          dependsOn: [namespace],
        });
      }
      return namespace;
    });
    new k8s.apiextensions.CustomResource(
      `${name}-applications`,
      applicationSet(app, { namespace: argocd.namespace, repoURL: argocd.repoURL, revision: argocd.revision }),
      { parent: this, provider: argocd.provider, dependsOn: [...argocd.ready, ...namespaces] },
    );
    callerTraffic(this, name, app, args.domain, args.clusters, args.ready);
    this.registerOutputs({});
  }
}

/**
 * The ApplicationSet of an argocd app. Go templates with `missingkey=error` (a typo fails instead
 * of rendering empty); its selector is never empty, so Argo CD's own cluster is never a target.
 * Applications keep what they synced when deleted (no resources finalizer): the platform deletes
 * the app's namespaces itself, and a finalizer would hang a destroy once Argo CD is gone. Argo CD
 * never creates or labels the namespace (no `CreateNamespace`, no managed metadata): it would
 * apply its labels server-side with force and take them from the platform, whose later changes
 * (mesh mode, Pod Security) would then conflict.
 */
export function applicationSet(
  app: ArgoCdAppPlan,
  repo: { namespace: string; repoURL: pulumi.Input<string>; revision: string },
): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: object } {
  const selector = app.placement.labels
    ? { matchLabels: { ...app.placement.labels } }
    : { matchExpressions: [{ key: "cluster", operator: "In", values: [...app.targets] }] };
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: app.name, namespace: repo.namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [{ clusters: { selector } }],
      syncPolicy: { preserveResourcesOnDeletion: true },
      template: {
        metadata: { name: `${app.name}-{{ .name }}`, labels: { "app.kubernetes.io/part-of": app.name } },
        spec: {
          project: "default",
          source: { repoURL: repo.repoURL, targetRevision: repo.revision, path: `${app.source.path}/overlays/{{ .name }}` },
          destination: { server: "{{ .server }}", namespace: app.name },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            // A cluster away for a while (or its namespace not there yet) is retried for ~30 min.
            retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
          },
        },
      },
    },
  };
}
