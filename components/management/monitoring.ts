import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AlertReceiver } from "../../plan";
import { type Cluster, serviceUrl } from "../cluster";
import { chartSource, KUBE_PROMETHEUS_STACK_CHART } from "../versions";
import { alertmanagerConfig } from "./alerting";
import { fleetOverviewDashboard } from "./fleet-dashboard";
import { AGENT_WAL_VOLUME, CENTRAL_OUT_OF_ORDER_WINDOW, METRICS_OUTAGE_BUFFER_HOURS, REMOTE_WRITE_QUEUE } from "./outage-buffer";
import { PROMETHEUS_GATEWAY, PrometheusGateway } from "./prometheus-gateway";
import { prometheusStorage, volumeClaim } from "./prometheus-storage";
import { sourcesOnly } from "./source-policy";

export interface MonitoringArgs {
  /** The management cluster: Prometheus (remote-write receiver), Grafana, Alertmanager. */
  host: Cluster;
  /** Workload clusters: each runs a Prometheus agent remote-writing with its `cluster` label. */
  clusters: Cluster[];
  /** Alertmanager webhook receivers (secret). Default: none, alerts go nowhere. */
  receivers?: pulumi.Input<AlertReceiver[]>;
  /** How long the central Prometheus keeps samples, and its volume where the host has volumes. Default 15d on 50Gi. */
  retention?: { time: string; volume: string };
  /** Grafana data sources beyond Prometheus (logs, traces). Default none. */
  dataSources?: Record<string, unknown>[];
  /**
   * Namespaces of the host whose pods query Prometheus in-cluster, without credential (Kiali,
   * OpenCost), besides its own (Grafana, the gateway). Default none: other pods are refused.
   */
  readers?: string[];
}

/** Where every cluster's Prometheus runs: what scrapes the apps' pods. */
export const MONITORING_NAMESPACE = "monitoring";
const NAMESPACE = MONITORING_NAMESPACE;
/**
 * The release of every cluster's Prometheus, and its fullname, so Services have known names
 * (`kps-prometheus`); monitors and rules select by `release: kps`.
 */
export const PROMETHEUS_RELEASE = "kps";
const FULLNAME = PROMETHEUS_RELEASE;
const GRAFANA_ADMIN_SECRET = "grafana-admin";
/** Prometheus's Service port, and its gateway's. */
const PROMETHEUS_PORT = 9090;
/** The writer's credential in each agent's namespace, where its `remoteWrite.basicAuth` reads it. */
const REMOTE_WRITE_SECRET = "prometheus-remote-write";
/** How long the central Prometheus keeps samples, and its volume: the default of `observability.metrics`. */
const RETENTION = { time: "15d", volume: "50Gi" };

/**
 * Fleet-wide metrics: kube-prometheus-stack on the management cluster with the remote-write
 * receiver on, reached by the fleet only through its gateway (basic auth: the agents' writer,
 * the fleet's reader) and in-cluster only by its gateway and the listed readers; Grafana with a fleet dashboard and Alertmanager grouping by cluster; a trimmed
 * kube-prometheus-stack in agent mode on every workload cluster. All are `helm.v3.Release`s:
 * the chart's admission-webhook certificate Jobs are Helm hooks, which a Release runs.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** Where workload clusters remote-write, as `prometheus-writer`. */
  readonly remoteWriteUrl: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;
  /** Grafana's `admin` password (secret). */
  readonly grafanaAdminPassword: pulumi.Output<string>;
  /** The central Prometheus's query API as the fleet's other clusters reach it, with `reader`. */
  readonly fleetQueryUrl: pulumi.Output<string>;
  /** The gateway's query credential (`prometheus-reader`; password secret). */
  readonly reader: { username: string; password: pulumi.Output<string> };
  /** The central Prometheus's query API inside the management cluster, without credential. */
  readonly queryUrl = `http://${FULLNAME}-prometheus.${NAMESPACE}.svc.cluster.local:${PROMETHEUS_PORT}`;
  /** The central release: its CRDs and rule selector, what rules for it wait for. */
  readonly central: k8s.helm.v3.Release;
  /** Each workload cluster's agent release, by cluster: its CRDs, what monitors there wait for. */
  readonly agents: Record<string, k8s.helm.v3.Release> = {};

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:Monitoring", name, {}, opts);
    const { host } = args;
    const prometheus = host.reach({ service: "prometheus", port: PROMETHEUS_PORT, audience: "fleet" });
    const inHost = { parent: this, provider: host.provider };

    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: NAMESPACE } }, inHost);
    const password = new random.RandomPassword(`${name}-grafana-password`, { length: 24, special: false }, { parent: this });
    this.grafanaAdminPassword = pulumi.secret(password.result);
    const grafanaAdmin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace: namespace.metadata.name },
        stringData: { "admin-user": "admin", "admin-password": this.grafanaAdminPassword },
      },
      inHost,
    );
    const dashboard = new k8s.core.v1.ConfigMap(
      `${name}-fleet-dashboard`,
      {
        metadata: { name: "fleet-overview-dashboard", namespace: namespace.metadata.name, labels: { grafana_dashboard: "1" } },
        data: { "fleet-overview.json": JSON.stringify(fleetOverviewDashboard()) },
      },
      inHost,
    );
    const central = (this.central = new k8s.helm.v3.Release(
      `${name}-central`,
      {
        ...releaseArgs(namespace),
        values: centralValues(host, pulumi.output(args.receivers ?? []), args.retention ?? RETENTION, args.dataSources ?? []),
      },
      { ...inHost, dependsOn: [grafanaAdmin, dashboard, ...(host.persistentStorage?.ready ?? [])] },
    ));
    new k8s.networking.v1.NetworkPolicy(
      `${name}-prometheus-sources`,
      sourcesOnly("prometheus-sources", NAMESPACE, { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": `${FULLNAME}-prometheus` }, [
        // Its own namespace on every port: Grafana, the gateway, its own scrape of its config reloader.
        { namespace: NAMESPACE },
        ...(args.readers ?? []).map((namespace) => ({ namespace, ports: [PROMETHEUS_PORT] })),
      ]),
      { ...inHost, dependsOn: [namespace] },
    );
    const gateway = new PrometheusGateway(
      `${name}-gateway`,
      {
        host,
        namespace: NAMESPACE,
        ready: [namespace],
        service: prometheus.service,
        port: PROMETHEUS_PORT,
        upstream: this.queryUrl,
        dependsOn: [central, ...prometheus.dependsOn],
      },
      { parent: this },
    );
    this.reader = { username: gateway.reader.name, password: gateway.reader.password };
    const address = prometheus.address({ name: `${name}-prometheus`, creator: gateway.service, id: `${NAMESPACE}/${PROMETHEUS_GATEWAY}`, parent: this });
    this.remoteWriteUrl = address.apply((endpoint) => serviceUrl("http", endpoint, "/api/v1/write"));
    this.fleetQueryUrl = address.apply((endpoint) => serviceUrl("http", endpoint));
    this.grafanaUrl = pulumi.output("http://localhost:3000");

    for (const cluster of args.clusters) {
      const inCluster = { parent: this, provider: cluster.provider };
      const agentNamespace = new k8s.core.v1.Namespace(`${name}-${cluster.name}-namespace`, { metadata: { name: NAMESPACE } }, inCluster);
      const credentials = new k8s.core.v1.Secret(
        `${name}-${cluster.name}-writer-credentials`,
        {
          metadata: { name: REMOTE_WRITE_SECRET, namespace: agentNamespace.metadata.name },
          stringData: { username: gateway.writer.name, password: gateway.writer.password },
        },
        inCluster,
      );
      this.agents[cluster.name] = new k8s.helm.v3.Release(
        `${name}-${cluster.name}-agent`,
        { ...releaseArgs(agentNamespace), values: agentValues(cluster, this.remoteWriteUrl) },
        { ...inCluster, dependsOn: [credentials, ...(cluster.persistentStorage?.ready ?? [])] },
      );
    }
    this.registerOutputs({
      remoteWriteUrl: this.remoteWriteUrl,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
      reader: this.reader,
    });
  }
}

function releaseArgs(namespace: k8s.core.v1.Namespace) {
  return {
    name: FULLNAME,
    namespace: namespace.metadata.name,
    ...chartSource(KUBE_PROMETHEUS_STACK_CHART),
  };
}

/**
 * Control-plane parts the platform's clusters never expose to a scrape: kind binds them to the
 * node's loopback, EKS runs them out of reach. Their monitors would only ever report them down.
 */
const UNREACHABLE_CONTROL_PLANE = {
  kubeControllerManager: { enabled: false },
  kubeScheduler: { enabled: false },
  kubeEtcd: { enabled: false },
  kubeProxy: { enabled: false },
};

/** Every target of a Prometheus gets `cluster=<name>`, so local series carry it too. */
function clusterScrapeClass(cluster: Cluster) {
  return [{ name: "cluster", default: true, relabelings: [{ action: "replace", targetLabel: "cluster", replacement: cluster.name }] }];
}

/**
 * The management stack: remote-write receiver, Grafana from a Secret we own, alert routing by
 * cluster. Prometheus's own Service stays the chart's ClusterIP: the fleet reaches the gateway.
 */
export function centralValues(
  host: Cluster,
  receivers: pulumi.Output<AlertReceiver[]>,
  retention: { time: string; volume: string } = RETENTION,
  dataSources: Record<string, unknown>[] = [],
) {
  return {
    fullnameOverride: FULLNAME,
    ...UNREACHABLE_CONTROL_PLANE,
    grafana: {
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
      ...(dataSources.length > 0 ? { additionalDataSources: dataSources } : {}),
    },
    prometheus: {
      prometheusSpec: {
        enableRemoteWriteReceiver: true,
        // Agents' backlogs arrive behind the head after an outage.
        tsdb: { outOfOrderTimeWindow: CENTRAL_OUT_OF_ORDER_WINDOW },
        externalLabels: { cluster: host.name },
        scrapeClasses: clusterScrapeClass(host),
        retention: retention.time,
        ...(host.persistentStorage ? prometheusStorage(host.persistentStorage.storageClassName, retention.volume) : {}),
      },
    },
    alertmanager: { config: receivers.apply(alertmanagerConfig) },
  };
}

/** The writer's credential, as the operator reads it from the agent's namespace (`BasicAuth`, SecretKeySelectors). */
const REMOTE_WRITE_AUTH = { username: { name: REMOTE_WRITE_SECRET, key: "username" }, password: { name: REMOTE_WRITE_SECRET, key: "password" } };

/**
 * A workload cluster's Prometheus agent: no Grafana, Alertmanager or rules; everything
 * remote-written. Its WAL keeps unsent samples for the outage buffer; where the cluster has
 * volumes it sits on one, so a long backlog does not fill the node's disk (an emptyDir counts
 * against the node's ephemeral storage, and the kubelet evicts the pod when that runs short).
 */
export function agentValues(cluster: Cluster, remoteWriteUrl: pulumi.Input<string>) {
  return {
    fullnameOverride: FULLNAME,
    ...UNREACHABLE_CONTROL_PLANE,
    grafana: { enabled: false },
    alertmanager: { enabled: false },
    defaultRules: { create: false },
    prometheus: {
      agentMode: true,
      prometheusSpec: {
        externalLabels: { cluster: cluster.name },
        scrapeClasses: clusterScrapeClass(cluster),
        remoteWrite: [{ url: remoteWriteUrl, basicAuth: REMOTE_WRITE_AUTH, queueConfig: REMOTE_WRITE_QUEUE }],
        additionalArgs: [{ name: "storage.agent.retention.max-time", value: `${METRICS_OUTAGE_BUFFER_HOURS}h` }],
        ...(cluster.persistentStorage ? { storageSpec: volumeClaim(cluster.persistentStorage.storageClassName, AGENT_WAL_VOLUME) } : {}),
      },
    },
  };
}
