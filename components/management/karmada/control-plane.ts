import { createHash } from "crypto";
import { readFileSync } from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  buildKubeconfig,
  type Cluster,
  readAfter,
  readCertificateCredentials,
  type ServiceReach,
  serviceUrl,
} from "../../cluster";
import { chartSource, KARMADA_CHART, KARMADA_JOB_IMAGES, KARMADA_VERSION } from "../../versions";
import { KarmadaMember } from "./member";
import { clusterDownTaintPolicy } from "./cluster-failover";

export interface KarmadaArgs {
  /** The cluster that hosts Karmada's control plane; it says how Pulumi reaches the Karmada API. */
  host: Cluster;
  /** Workload clusters to register in push mode. */
  members: Cluster[];
}

const NAMESPACE = "karmada-system";
/** The karmada-apiserver's port (`--secure-port` and Service port in the chart). */
const API_PORT = 5443;
/** Components whose image tag the chart takes from a YAML anchor set to `latest`. */
const COMPONENTS = [
  "scheduler",
  "webhook",
  "controllerManager",
  "aggregatedApiServer",
  "metricsAdapter",
  "agent",
  "schedulerEstimator",
  "descheduler",
  "search",
];
/**
 * Helm post-renderer that gives karmada-webhook `--allow-no-execute-taint-policy`, which the chart
 * cannot set (cluster-failover.ts's policy taints NoExecute). Relative to the project's folder,
 * where Pulumi runs the kubernetes provider; Helm runs it at install and upgrade only.
 */
export const KARMADA_POST_RENDER = "./components/management/karmada/webhook-post-render.sh";
/**
 * The post-renderer's SHA-256, on the webhook's pods: Helm runs the script only when the release
 * changes, so an edited script changes the values and reaches the fleet at the next `up`. Read
 * where the provider runs it from: the project's folder, the program's working directory.
 */
const POST_RENDER_SHA256 = createHash("sha256").update(readFileSync(KARMADA_POST_RENDER)).digest("hex");
/** The chart's default certificate hosts, re-listed because Helm replaces lists whole. */
const DEFAULT_CERT_HOSTS = [
  "kubernetes.default.svc",
  "*.etcd.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}",
  "*.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}",
  "*.{{ .Release.Namespace }}.svc",
  "localhost",
  "127.0.0.1",
];

/**
 * Karmada on the management cluster, from its Helm chart as a `helm.v3.Release`: the chart's
 * certificates, kubeconfig Secret and CRDs come from Helm hooks, which only a Release runs
 * (`helm.v4.Chart` skips hooks). A second provider targets the Karmada API server, and every
 * Karmada object (member registrations here, policies and workload templates later) uses it.
 */
export class Karmada extends pulumi.ComponentResource {
  /** Provider of the Karmada API server. */
  readonly provider: k8s.Provider;
  /** Karmada API URL as Pulumi reaches it. */
  readonly endpoint: pulumi.Output<string>;
  /** Admin kubeconfig of the Karmada API (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /**
   * Options for a workload template created in the Karmada API: its provider, and no await.
   * Karmada only stores templates (its control plane runs no Deployment controller), so a
   * template never reports the rollout status Pulumi would otherwise wait for. A transform (not
   * a transformation) also reaches the children of packaged components.
   */
  readonly templateOptions: pulumi.CustomResourceOptions;
  /** The member registrations: what must exist before anything is placed. */
  readonly members: KarmadaMember[];

  constructor(name: string, args: KarmadaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Karmada", name, {}, opts);
    const { host } = args;
    // Pulumi itself creates the Karmada objects, so the API is reached from the operator's host.
    const api = host.reach({ service: "karmada-api", port: API_PORT, audience: "operator", readyPath: "/readyz" });
    const inHost = { parent: this, provider: host.provider };

    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "karmada",
        namespace: NAMESPACE,
        createNamespace: true,
        ...chartSource(KARMADA_CHART),
        values: karmadaValues(api, host.persistentStorage?.storageClassName),
        postrender: KARMADA_POST_RENDER,
      },
      { ...inHost, dependsOn: [...api.dependsOn, ...(host.persistentStorage?.ready ?? [])] },
    );

    const server = api
      .address({ name: `${name}-apiserver`, creator: release, id: `${NAMESPACE}/karmada-apiserver`, parent: this })
      .apply((endpoint) => serviceUrl("https", endpoint));
    // Written by the chart's pre-install job: not part of the release, so read it back.
    const admin = k8s.core.v1.Secret.get(`${name}-admin-kubeconfig`, readAfter(release, `${NAMESPACE}/karmada-kubeconfig`), {
      ...inHost,
      dependsOn: [release],
    });
    this.endpoint = server;
    this.kubeconfig = pulumi.secret(
      pulumi.all([server, admin.data]).apply(([url, data]) => rewriteKubeconfig(decode(data?.kubeconfig), url)),
    );
    this.provider = new k8s.Provider(`${name}-api`, { kubeconfig: this.kubeconfig }, { parent: this });
    this.templateOptions = { provider: this.provider, transforms: [skipAwait] };

    this.members = args.members.map(
      (member) => new KarmadaMember(`${name}-${member.name}`, { member, karmadaProvider: this.provider }, { parent: this }),
    );
    new k8s.apiextensions.CustomResource(`${name}-cluster-down`, clusterDownTaintPolicy(), { parent: this, provider: this.provider });
    this.registerOutputs({ endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}

/** Marks a Kubernetes object `pulumi.com/skipAwait`, so `pulumi up` does not wait for a status it never gets. */
export async function skipAwait(args: pulumi.ResourceTransformArgs): Promise<pulumi.ResourceTransformResult> {
  const metadata = (args.props.metadata ?? {}) as { annotations?: Record<string, string> };
  return {
    props: { ...args.props, metadata: { ...metadata, annotations: { ...metadata.annotations, "pulumi.com/skipAwait": "true" } } },
    opts: args.opts,
  };
}

/** Size of the Karmada etcd volume: its objects are small, but etcd keeps history until compaction. */
const ETCD_VOLUME = "8Gi";

/**
 * Chart values: pinned images, the API Service as its host answers, certificate hosts for it, and
 * etcd on a persistent volume where the host has network storage (the chart's default is a host
 * path: a rescheduled pod would lose every member, Secret and policy).
 */
export function karmadaValues(api: ServiceReach, storageClass?: string): Record<string, unknown> {
  const tag = { image: { tag: KARMADA_VERSION } };
  const { type, nodePort, annotations } = api.service;
  return {
    installMode: "host",
    karmadaImageVersion: KARMADA_VERSION,
    cfssl: { image: KARMADA_JOB_IMAGES.cfssl },
    kubectl: { image: KARMADA_JOB_IMAGES.kubectl },
    ...Object.fromEntries(COMPONENTS.map((component) => [component, tag])),
    webhook: { ...tag, podAnnotations: { "platform/post-render-sha256": POST_RENDER_SHA256 } },
    controllerManager: {
      ...tag,
      // The chart turns PropagateDeps off (the binary's default is on); without it the dependencies
      // distributor never runs, and a policy's `propagateDeps` (which application failover
      // requires) would propagate none of what its workload references.
      // Failover (off by default) runs the taint manager, which moves placements off a member
      // tainted NoExecute (see cluster-failover.ts), once eviction by such taints is allowed.
      featureGates: { PropagateDeps: true, Failover: true },
      extraCommandArgs: { "enable-no-execute-taint-eviction": "true" },
    },
    apiServer: {
      serviceType: type,
      ...(nodePort !== undefined ? { nodePort } : {}),
      ...(type === "LoadBalancer" ? { serviceAnnotations: annotations } : {}),
    },
    certs: { mode: "auto", auto: { hosts: [...new Set([...DEFAULT_CERT_HOSTS, ...api.tlsNames])] } },
    ...(storageClass ? { etcd: { internal: { storageType: "pvc", pvc: { storageClass, size: ETCD_VOLUME } } } } : {}),
  };
}

/** The chart's admin kubeconfig, pointed at a reachable server and rebuilt deterministically. */
export function rewriteKubeconfig(text: string, server: string): string {
  const { caData, clientCertificateData, clientKeyData } = readCertificateCredentials(text, "the karmada-kubeconfig Secret");
  return buildKubeconfig({ name: "karmada-apiserver", server, caData, user: { clientCertificateData, clientKeyData } });
}

function decode(b64: string | undefined): string {
  if (!b64) throw new Error("the karmada-kubeconfig Secret has no `kubeconfig` key");
  return Buffer.from(b64, "base64").toString("utf8");
}
