import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AlertReceiver } from "../../plan";
import { type Cluster, type ServiceShape, serviceUrl, serviceValues } from "../cluster";
import { chartSource, KUBE_PROMETHEUS_STACK_CHART } from "../versions";
import { fleetOverviewDashboard } from "./fleet-dashboard";

export interface MonitoringArgs {
  /** The management cluster: Prometheus (remote-write receiver), Grafana, Alertmanager. */
  host: Cluster;
  /** Workload clusters: each runs a Prometheus agent remote-writing with its `cluster` label. */
  clusters: Cluster[];
  /** Alertmanager webhook receivers (secret). Default: none, alerts go nowhere. */
  receivers?: pulumi.Input<AlertReceiver[]>;
}

const NAMESPACE = "monitoring";
/** Release names are fixed by `fullnameOverride`, so Services have known names (`kps-prometheus`). */
const FULLNAME = "kps";
const GRAFANA_ADMIN_SECRET = "grafana-admin";
/** Prometheus's Service port. */
const PROMETHEUS_PORT = 9090;
/** How long the central Prometheus keeps samples; with a volume, also how much of it it may fill. */
const RETENTION = { time: "15d", volume: "50Gi", size: "45GB" };

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
    const central = new k8s.helm.v3.Release(
      `${name}-central`,
      {
        ...releaseArgs(namespace),
        values: centralValues(host, prometheus.service, pulumi.output(args.receivers ?? [])),
      },
      { ...inHost, dependsOn: [grafanaAdmin, dashboard, ...prometheus.dependsOn, ...(host.persistentStorage?.ready ?? [])] },
    );
    this.remoteWriteUrl = prometheus
      .address({ name: `${name}-prometheus`, creator: central, id: `${NAMESPACE}/${FULLNAME}-prometheus`, parent: this })
      .apply((endpoint) => serviceUrl("http", endpoint, "/api/v1/write"));
    this.grafanaUrl = pulumi.output("http://localhost:3000");

    for (const cluster of args.clusters) {
      const inCluster = { parent: this, provider: cluster.provider };
      const agentNamespace = new k8s.core.v1.Namespace(`${name}-${cluster.name}-namespace`, { metadata: { name: NAMESPACE } }, inCluster);
      new k8s.helm.v3.Release(
        `${name}-${cluster.name}-agent`,
        { ...releaseArgs(agentNamespace), values: agentValues(cluster, this.remoteWriteUrl) },
        inCluster,
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
export function centralValues(host: Cluster, service: ServiceShape, receivers: pulumi.Output<AlertReceiver[]>) {
  return {
    fullnameOverride: FULLNAME,
    ...UNREACHABLE_CONTROL_PLANE,
    grafana: { admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" } },
    prometheus: {
      service: serviceValues(service),
      prometheusSpec: {
        enableRemoteWriteReceiver: true,
        externalLabels: { cluster: host.name },
        scrapeClasses: clusterScrapeClass(host),
        retention: RETENTION.time,
        ...(host.persistentStorage ? prometheusStorage(host.persistentStorage.storageClassName) : {}),
      },
    },
    alertmanager: { config: receivers.apply(alertmanagerConfig) },
  };
}

/** The central Prometheus on a volume of the host's StorageClass, filled up to a bound. */
function prometheusStorage(storageClassName: string) {
  return {
    retentionSize: RETENTION.size,
    storageSpec: {
      volumeClaimTemplate: {
        spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: RETENTION.volume } } },
      },
    },
  };
}

/** A workload cluster's Prometheus agent: no Grafana, Alertmanager or rules; everything remote-written. */
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
        remoteWrite: [{ url: remoteWriteUrl }],
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
