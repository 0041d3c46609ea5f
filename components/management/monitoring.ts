import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AlertReceiver } from "../../plan";
import { type Cluster, type ServiceShape, serviceUrl, serviceValues } from "../cluster";
import { chartSource, KUBE_PROMETHEUS_STACK_CHART } from "../versions";
import { fleetOverviewDashboard } from "./fleet-dashboard";
import { AGENT_WAL_VOLUME, CENTRAL_OUT_OF_ORDER_WINDOW, METRICS_OUTAGE_BUFFER_HOURS, REMOTE_WRITE_QUEUE } from "./outage-buffer";

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
}

/**
 * The central Prometheus fills at most 90% of its volume (the rest for the WAL and compaction),
 * in Prometheus's size units, which are powers of 1024 (its `GB` is a GiB).
 */
export function retentionSize(volume: string): string {
  const match = /^([0-9]+)(Mi|Gi|Ti)$/.exec(volume);
  if (!match) throw new Error(`${volume} is not a storage size such as 50Gi`);
  const gib = Number(match[1]) * { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[match[2] as "Mi" | "Gi" | "Ti"];
  return `${Math.max(1, Math.floor(gib * 0.9))}GB`;
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
/** Prometheus's Service port. */
const PROMETHEUS_PORT = 9090;
/** How long the central Prometheus keeps samples, and its volume: the default of `observability.metrics`. */
const RETENTION = { time: "15d", volume: "50Gi" };

/**
 * Fleet-wide metrics: kube-prometheus-stack on the management cluster with the remote-write
 * receiver on, Grafana with a fleet dashboard and Alertmanager grouping by cluster; a trimmed
 * kube-prometheus-stack in agent mode on every workload cluster. All are `helm.v3.Release`s:
 * the chart's admission-webhook certificate Jobs are Helm hooks, which a Release runs.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** Where workload clusters remote-write. */
  readonly remoteWriteUrl: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;
  /** Grafana's `admin` password (secret). */
  readonly grafanaAdminPassword: pulumi.Output<string>;
  /** The central Prometheus's query API as the fleet's other clusters reach it. */
  readonly fleetQueryUrl: pulumi.Output<string>;
  /** The central Prometheus's query API inside the management cluster. */
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
        values: centralValues(host, prometheus.service, pulumi.output(args.receivers ?? []), args.retention ?? RETENTION, args.dataSources ?? []),
      },
      { ...inHost, dependsOn: [grafanaAdmin, dashboard, ...prometheus.dependsOn, ...(host.persistentStorage?.ready ?? [])] },
    ));
    const address = prometheus.address({ name: `${name}-prometheus`, creator: central, id: `${NAMESPACE}/${FULLNAME}-prometheus`, parent: this });
    this.remoteWriteUrl = address.apply((endpoint) => serviceUrl("http", endpoint, "/api/v1/write"));
    this.fleetQueryUrl = address.apply((endpoint) => serviceUrl("http", endpoint));
    this.grafanaUrl = pulumi.output("http://localhost:3000");

    for (const cluster of args.clusters) {
      const inCluster = { parent: this, provider: cluster.provider };
      const agentNamespace = new k8s.core.v1.Namespace(`${name}-${cluster.name}-namespace`, { metadata: { name: NAMESPACE } }, inCluster);
      this.agents[cluster.name] = new k8s.helm.v3.Release(
        `${name}-${cluster.name}-agent`,
        { ...releaseArgs(agentNamespace), values: agentValues(cluster, this.remoteWriteUrl) },
        { ...inCluster, dependsOn: cluster.persistentStorage?.ready ?? [] },
      );
    }
    this.registerOutputs({
      remoteWriteUrl: this.remoteWriteUrl,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
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

/** The management stack: remote-write receiver, Grafana from a Secret we own, alert routing by cluster. */
export function centralValues(
  host: Cluster,
  service: ServiceShape,
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
      service: serviceValues(service),
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

/** The central Prometheus on a volume of the host's StorageClass, filled up to a bound. */
function prometheusStorage(storageClassName: string, volume: string) {
  return { retentionSize: retentionSize(volume), storageSpec: volumeClaim(storageClassName, volume) };
}

/** The operator's `storage` for a claim of `volume` in a StorageClass. */
function volumeClaim(storageClassName: string, volume: string) {
  return {
    volumeClaimTemplate: {
      spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: volume } } },
    },
  };
}

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
        remoteWrite: [{ url: remoteWriteUrl, queueConfig: REMOTE_WRITE_QUEUE }],
        additionalArgs: [{ name: "storage.agent.retention.max-time", value: `${METRICS_OUTAGE_BUFFER_HOURS}h` }],
        ...(cluster.persistentStorage ? { storageSpec: volumeClaim(cluster.persistentStorage.storageClassName, AGENT_WAL_VOLUME) } : {}),
      },
    },
  };
}

/**
 * The chart's default inhibitions, each also matching on `cluster`: without it a critical alert
 * in one cluster silences the same warning in every other.
 */
const INHIBIT_RULES = [
  { source_matchers: ["severity = critical"], target_matchers: ["severity =~ warning|info"], equal: ["cluster", "namespace", "alertname"] },
  { source_matchers: ["severity = warning"], target_matchers: ["severity = info"], equal: ["cluster", "namespace", "alertname"] },
  { source_matchers: ["alertname = InfoInhibitor"], target_matchers: ["severity = info"], equal: ["cluster", "namespace"] },
  { target_matchers: ["alertname = InfoInhibitor"] },
];

/** Alertmanager's config: grouped by cluster and alert, every alert sent to every configured webhook. */
export function alertmanagerConfig(receivers: AlertReceiver[]) {
  return {
    inhibit_rules: INHIBIT_RULES,
    route: {
      group_by: ["cluster", "alertname"],
      receiver: "null",
      routes: [
        // The always-firing Watchdog proves the pipeline works; it pages nobody.
        { receiver: "null", matchers: ['alertname = "Watchdog"'] },
        ...receivers.map((r) => ({ receiver: r.name, continue: true })),
      ],
    },
    receivers: [
      { name: "null" },
      ...receivers.map((r) => ({ name: r.name, webhook_configs: [{ url: r.webhookUrl, send_resolved: true }] })),
    ],
  };
}
