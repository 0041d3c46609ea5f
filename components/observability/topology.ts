import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type AccessCredentials, type Cluster, ClusterAccess, remoteClusterSecret, remoteKubeconfig, serviceUrl, serviceValues } from "../cluster";
import { chartSource, KIALI_CHART, KIALI_VERSION } from "../versions";

export interface FleetTopologyArgs {
  /** The management cluster: Kiali runs there, outside the mesh, reading the workload clusters. */
  host: Cluster;
  /** The workload clusters (the mesh). */
  clusters: Cluster[];
  /** The central Prometheus as the host's pods reach it: it holds every cluster's Istio metrics. */
  prometheusUrl: string;
  /** Tempo's query API as the host's pods reach it; Kiali links traces there. */
  tracingUrl: string;
}

/** Kiali's namespace on the management cluster: Kiali expects Istio's root namespace name everywhere. */
export const KIALI_NAMESPACE = "istio-system";
const NAMESPACE = KIALI_NAMESPACE;
const PORT = 20001;
/** The Secret holding Kiali's token signing key, and its key (the file Kiali reads). */
const SIGNING_SECRET = "kiali-signing-key";
const SIGNING_KEY_FILE = "value.txt";

/**
 * What Kiali reads in a workload cluster, and nothing else: no Secrets, no writes, no port
 * forwarding (so no istiod debug views); its own ServiceAccount with a token, per cluster.
 */
export const KIALI_READER_RULES = [
  { apiGroups: [""], resources: ["configmaps", "endpoints", "namespaces", "nodes", "pods", "pods/log", "replicationcontrollers", "services"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "list", "watch"] },
  {
    apiGroups: ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io", "gateway.networking.x-k8s.io"],
    resources: ["*"],
    verbs: ["get", "list", "watch"],
  },
  { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
];

/**
 * The mesh's topology: Kiali on the management cluster (`kiali-server` chart), reading each
 * workload cluster through a read-only identity made with `ClusterAccess` (a remote-cluster
 * Secret per cluster, listed in the values: Kiali's own discovery is a Helm `lookup` at render
 * time, blind to Secrets made after it), and the central Prometheus, where every cluster's Istio
 * metrics carry `source_cluster`/`destination_cluster`: a call from west to east is an edge
 * between the two. Anonymous and view-only: it is reached like the other consoles.
 */
export class FleetTopology extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: FleetTopologyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:FleetTopology", name, {}, opts);
    const { host } = args;
    const inHost = { parent: this, provider: host.provider };
    const console = host.reach({ service: "kiali", port: PORT, audience: "console", localPort: PORT });
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: NAMESPACE } }, inHost);
    // Kiali would pick a new random key on every render, logging everybody out; this one is kept,
    // in a Secret the chart mounts (its `secret:<name>:<key>` form) rather than in its ConfigMap.
    const signingKey = new random.RandomPassword(`${name}-signing-key`, { length: 32, special: false }, { parent: this });
    const signingSecret = new k8s.core.v1.Secret(
      `${name}-signing-key`,
      { metadata: { name: SIGNING_SECRET, namespace: NAMESPACE }, stringData: { [SIGNING_KEY_FILE]: pulumi.secret(signingKey.result) } },
      { ...inHost, dependsOn: [namespace] },
    );

    const remotes = args.clusters.map((cluster) => {
      const access = new ClusterAccess(
        `${name}-${cluster.name}-reader`,
        // In a namespace every cluster has from the start: the reader waits for nothing of Istio's.
        { cluster, namespace: "kube-system", serviceAccountName: "kiali-reader", role: { rules: KIALI_READER_RULES } },
        { parent: this },
      );
      return new k8s.core.v1.Secret(`${name}-${cluster.name}-remote`, kialiRemoteSecret(cluster.name, access.credentials), {
        ...inHost,
        dependsOn: [namespace],
      });
    });
    const release = new k8s.helm.v3.Release(
      `${name}-kiali`,
      {
        name: "kiali",
        namespace: NAMESPACE,
        ...chartSource(KIALI_CHART),
        values: kialiValues({ ...args, service: console.service }),
      },
      { ...inHost, dependsOn: [namespace, signingSecret, ...remotes, ...console.dependsOn] },
    );
    this.url = console
      .address({ name: `${name}-kiali-service`, creator: release, id: `${NAMESPACE}/kiali`, parent: this })
      .apply((endpoint) => serviceUrl("http", endpoint));
    this.registerOutputs({ url: this.url });
  }
}

/** The Secret a Kiali outside the mesh reads a cluster with: a kubeconfig under the cluster's name (its Istio cluster ID). */
export function kialiRemoteSecret(cluster: string, credentials: pulumi.Output<AccessCredentials>): k8s.core.v1.SecretArgs {
  return remoteClusterSecret(
    {
      name: `kiali-remote-${cluster}`,
      namespace: NAMESPACE,
      labels: { "kiali.io/multiCluster": "true" },
      annotations: { "kiali.io/cluster": cluster },
    },
    { [cluster]: remoteKubeconfig(cluster, credentials) },
  );
}

/** kiali-server values: an external Kiali (no istiod on its own cluster) over the listed clusters. */
export function kialiValues(args: {
  host: Cluster;
  clusters: Cluster[];
  prometheusUrl: string;
  tracingUrl: string;
  service: ReturnType<Cluster["reach"]>["service"];
}): Record<string, unknown> {
  const service = serviceValues(args.service);
  return {
    deployment: {
      image_version: KIALI_VERSION,
      instance_name: "kiali",
      view_only_mode: true,
      service_type: service.type,
      ...(service.annotations ? { service_annotations: service.annotations } : {}),
    },
    // Multi-cluster Kiali supports anonymous, OpenID and OpenShift only; the console is reached
    // like the others (port-forward on kind, the fleet's internal load balancer on EKS).
    auth: { strategy: "anonymous" },
    // kiali-server 2.29 mounts a value of this form from the Secret (templates/_helpers.tpl, credential-secrets).
    login_token: { signing_key: `secret:${SIGNING_SECRET}:${SIGNING_KEY_FILE}` },
    // Its own cluster runs no mesh: ignored, under a name no mesh cluster has.
    kubernetes_config: { cluster_name: args.host.name },
    clustering: {
      // The chart's own discovery (a `lookup` of labelled Secrets) would mount each Secret a
      // second time next to the listed ones: the Deployment would be refused.
      autodetect_secrets: { enabled: false },
      ignore_home_cluster: true,
      clusters: args.clusters.map((c) => ({ name: c.name, secret_name: `kiali-remote-${c.name}` })),
    },
    external_services: {
      prometheus: { url: args.prometheusUrl },
      tracing: { enabled: true, provider: "tempo", internal_url: args.tracingUrl, use_grpc: false },
      grafana: { enabled: false },
      // istiod's debug API needs port-forwarding, which the reader is not given.
      istio: { root_namespace: NAMESPACE, istio_api_enabled: false },
    },
  };
}
