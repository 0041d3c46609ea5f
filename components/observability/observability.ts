import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshSettings, ObservabilitySettings } from "../../plan";
import type { Cluster } from "../cluster";
import { chartSource, OPENCOST_CHART } from "../versions";
import { OPENCOST_NAMESPACE, OPENCOST_PASSWORD_KEY, OPENCOST_PROMETHEUS_SECRET, OPENCOST_USERNAME_KEY, openCostValues, transferCostRule } from "./cost";
import { FleetLogs } from "./logs";
import { meshMonitors } from "./mesh-metrics";
import { FleetTopology, KIALI_NAMESPACE } from "./topology";
import { FleetTraces } from "./traces";

/** The fleet's metrics (components/management/monitoring.ts), as the other signals build on them. */
export interface FleetMetrics {
  /** The central Prometheus inside the management cluster. */
  queryUrl: string;
  /** The central Prometheus as the other clusters reach it: its gateway, with `reader`. */
  fleetQueryUrl: pulumi.Output<string>;
  /** The gateway's query credential (password secret). */
  reader: { username: string; password: pulumi.Output<string> };
  /** The central release (its rule selector and CRDs). */
  central: pulumi.Resource;
  /** Each workload cluster's agent release (its monitor CRDs), by cluster. */
  agents: Record<string, pulumi.Resource>;
}

/** The management cluster's namespaces whose pods query the central Prometheus in-cluster: Kiali's and OpenCost's. */
export const PROMETHEUS_READER_NAMESPACES = [KIALI_NAMESPACE, OPENCOST_NAMESPACE];

export interface FleetObservabilityArgs {
  management: Cluster;
  workloads: Cluster[];
  mesh: MeshSettings;
  settings: ObservabilitySettings;
  metrics: FleetMetrics;
  /** Istio in each workload cluster, by cluster: what mesh objects there wait for. */
  istio: Record<string, pulumi.Resource>;
}

/**
 * Everything beyond metrics, in one place: logs (Loki, Alloy on every cluster), traces (Tempo,
 * a collector per workload cluster, Istio's Telemetry), the mesh's topology (Kiali over the
 * central Prometheus, with the agents now scraping Istio), and cost (OpenCost per cluster, the
 * price of cross-cluster traffic as a rule and an alert on the central Prometheus).
 */
export class FleetObservability extends pulumi.ComponentResource {
  readonly logs: FleetLogs;
  readonly traces: FleetTraces;
  readonly topology: FleetTopology;

  constructor(name: string, args: FleetObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:FleetObservability", name, {}, opts);
    const { management, workloads, settings, metrics } = args;
    const child = { parent: this };
    this.logs = new FleetLogs(
      `${name}-logs`,
      { host: management, clusters: [management, ...workloads], retention: settings.logs.retention, volume: settings.logs.volume },
      child,
    );
    this.traces = new FleetTraces(
      `${name}-traces`,
      {
        host: management,
        clusters: workloads,
        meshMode: args.mesh.mode,
        retention: settings.traces.retention,
        samplingPercent: settings.traces.samplingPercent,
        meshReady: Object.values(args.istio),
      },
      child,
    );
    this.topology = new FleetTopology(
      `${name}-topology`,
      { host: management, clusters: workloads, prometheusUrl: metrics.queryUrl, tracingUrl: this.traces.queryUrl },
      child,
    );

    // The management cluster's OpenCost reads its own Prometheus; the others reach its gateway, as the reader.
    for (const cluster of [management, ...workloads]) {
      const onHost = cluster.name === management.name;
      const inCluster = { parent: this, provider: cluster.provider };
      const namespace = new k8s.core.v1.Namespace(`${name}-${cluster.name}-opencost-namespace`, { metadata: { name: OPENCOST_NAMESPACE } }, inCluster);
      const prometheusUrl = onHost ? pulumi.output(metrics.queryUrl) : metrics.fleetQueryUrl;
      const credentials = onHost
        ? []
        : [
            new k8s.core.v1.Secret(
              `${name}-${cluster.name}-opencost-prometheus-reader`,
              {
                metadata: { name: OPENCOST_PROMETHEUS_SECRET, namespace: namespace.metadata.name },
                stringData: { [OPENCOST_USERNAME_KEY]: metrics.reader.username, [OPENCOST_PASSWORD_KEY]: metrics.reader.password },
              },
              inCluster,
            ),
          ];
      new k8s.helm.v3.Release(
        `${name}-${cluster.name}-opencost`,
        {
          name: "opencost",
          namespace: namespace.metadata.name,
          ...chartSource(OPENCOST_CHART),
          values: prometheusUrl.apply((url) => openCostValues(cluster.name, url, !onHost)),
        },
        // Its ServiceMonitor needs the Prometheus operator's CRDs there.
        { ...inCluster, dependsOn: [onHost ? metrics.central : metrics.agents[cluster.name], ...credentials] },
      );
    }
    new k8s.apiextensions.CustomResource(
      `${name}-transfer-cost`,
      transferCostRule(
        args.mesh.mode,
        workloads.map((c) => ({ name: c.name, region: c.spec.region })),
        { crossRegionUsdPerGb: settings.cost.transferUsdPerGb, sameRegionUsdPerGb: settings.cost.sameRegionTransferUsdPerGb },
        settings.cost.monthlyTransferAlertUsd,
      ),
      { parent: this, provider: management.provider, dependsOn: [metrics.central] },
    );
    for (const cluster of workloads) {
      for (const monitor of meshMonitors(args.mesh.mode)) {
        new k8s.apiextensions.CustomResource(`${name}-${cluster.name}-${monitor.metadata.name}`, monitor, {
          parent: this,
          provider: cluster.provider,
          dependsOn: [metrics.agents[cluster.name], args.istio[cluster.name]],
        });
      }
    }
    this.registerOutputs({});
  }
}
