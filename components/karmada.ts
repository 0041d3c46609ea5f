import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "./cluster";
import { Exposure, loadBalancerAnnotations, loadBalancerAddress, readAfter } from "./exposure";
import { KarmadaMember } from "./karmada-member";
import { buildKubeconfig, readCertificateCredentials } from "./kubeconfig";
import { KARMADA_API_NODE_PORT } from "./ports";
import { chartSource, KARMADA_CHART, KARMADA_JOB_IMAGES, KARMADA_VERSION } from "./versions";

export interface KarmadaArgs {
  /** The cluster that hosts Karmada's control plane. */
  host: Cluster;
  /** Workload clusters to register in push mode. */
  members: Cluster[];
  /** How the karmada-apiserver is reached from outside the host: node port (kind) or internal NLB. */
  exposure: Exposure;
  /** With a node port: the host port on 127.0.0.1 that the kind port mapping forwards to it. */
  hostPort?: number;
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
   * template never reports the rollout status Pulumi would otherwise wait for.
   */
  readonly templateOptions: pulumi.CustomResourceOptions;

  constructor(name: string, args: KarmadaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Karmada", name, {}, opts);
    const { host, exposure } = args;
    const inHost = { parent: this, provider: host.provider };

    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "karmada",
        namespace: NAMESPACE,
        createNamespace: true,
        ...chartSource(KARMADA_CHART),
        values: karmadaValues(host, exposure),
        timeout: 900,
      },
      inHost,
    );

    const server =
      exposure.kind === "nodePort"
        ? pulumi.output(`https://127.0.0.1:${requireHostPort(args.hostPort)}`)
        : pulumi.interpolate`https://${loadBalancerAddress(`${name}-apiserver`, readAfter(release, `${NAMESPACE}/karmada-apiserver`), {
            ...inHost,
            dependsOn: [release],
          })}:${API_PORT}`;
    // Written by the chart's pre-install job: not part of the release, so read it back.
    const admin = k8s.core.v1.Secret.get(`${name}-admin-kubeconfig`, readAfter(release, `${NAMESPACE}/karmada-kubeconfig`), {
      ...inHost,
      dependsOn: [release],
    });
    this.endpoint = server;
    this.kubeconfig = pulumi.secret(
      pulumi.all([server, admin.data]).apply(([url, data]) => rewriteKubeconfig(decode(data?.kubeconfig), url)),
    );
    this.provider = new k8s.Provider(
      `${name}-api`,
      // Like its host's: a dev cluster deleted by hand must not block `pulumi destroy`.
      { kubeconfig: this.kubeconfig, deleteUnreachable: host.spec.provider === "kind" },
      { parent: this },
    );
    this.templateOptions = { provider: this.provider, transformations: [skipAwait] };

    for (const member of args.members) {
      new KarmadaMember(
        `${name}-${member.name}`,
        { member, karmadaProvider: this.provider },
        { parent: this },
      );
    }
    this.registerOutputs({ endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}

/** Marks a Kubernetes object `pulumi.com/skipAwait`, so `pulumi up` does not wait for a status it never gets. */
export function skipAwait(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult {
  const metadata = pulumi.output(args.props.metadata as k8s.types.input.meta.v1.ObjectMeta | undefined).apply((m) => ({
    ...m,
    annotations: { ...m?.annotations, "pulumi.com/skipAwait": "true" },
  }));
  return { props: { ...args.props, metadata }, opts: args.opts };
}

/** Chart values: pinned images, the API exposure, and certificate hosts for it. */
export function karmadaValues(host: Cluster, exposure: Exposure): Record<string, unknown> {
  const tag = { image: { tag: KARMADA_VERSION } };
  const extraHosts =
    exposure.kind === "nodePort"
      ? [`${host.name}-control-plane`]
      : // The NLB's name is only known after install; one label matches any NLB of the region.
        [`*.elb.${host.spec.region}.amazonaws.com`];
  return {
    installMode: "host",
    karmadaImageVersion: KARMADA_VERSION,
    cfssl: { image: KARMADA_JOB_IMAGES.cfssl },
    kubectl: { image: KARMADA_JOB_IMAGES.kubectl },
    ...Object.fromEntries(COMPONENTS.map((component) => [component, tag])),
    apiServer:
      exposure.kind === "nodePort"
        ? { serviceType: "NodePort", nodePort: KARMADA_API_NODE_PORT }
        : { serviceType: "LoadBalancer", serviceAnnotations: loadBalancerAnnotations(exposure) },
    certs: { mode: "auto", auto: { hosts: [...DEFAULT_CERT_HOSTS, ...extraHosts] } },
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

function requireHostPort(port: number | undefined): number {
  if (port === undefined) throw new Error("Karmada with a node port needs the host port the kind cluster forwards");
  return port;
}
