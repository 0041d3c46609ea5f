import type { MeshSettings } from "../../plan";
import { MONITORING_NAMESPACE, PROMETHEUS_RELEASE } from "../management";

/** Where OpenCost runs in every cluster. */
export const OPENCOST_NAMESPACE = "opencost";
/** The reader's credential in a cluster's OpenCost namespace, under the keys the chart reads (opencost chart 2.5.17 `opencost.prometheus.username_key`, `password_key`). */
export const OPENCOST_PROMETHEUS_SECRET = "prometheus-reader";
export const OPENCOST_USERNAME_KEY = "DB_BASIC_AUTH_USERNAME";
export const OPENCOST_PASSWORD_KEY = "DB_BASIC_AUTH_PW";

/**
 * OpenCost in one cluster: its own cluster's costs out of the central Prometheus, which holds
 * every cluster's series under `cluster` (OpenCost OSS is single-cluster: one per cluster, each
 * filtered to its own). Its price metrics are scraped by the cluster's own Prometheus (a
 * ServiceMonitor of the `kps` release) and so reach the central one too. Without a cloud
 * (kind), OpenCost's default on-demand prices apply. Across the fleet it queries the central
 * Prometheus's gateway with the reader's credential (`authenticated`): the chart then reads both
 * keys of `OPENCOST_PROMETHEUS_SECRET` into the environment (`secret_name`; it makes no Secret of
 * its own while `username` and `password` are empty). Default: in-cluster, no credential.
 */
export function openCostValues(cluster: string, prometheusUrl: string, authenticated = false): Record<string, unknown> {
  return {
    opencost: {
      exporter: {
        defaultClusterId: cluster,
        extraEnv: { PROM_CLUSTER_ID_LABEL: "cluster", CURRENT_CLUSTER_ID_FILTER_ENABLED: "true" },
      },
      prometheus: {
        internal: { enabled: false },
        external: { enabled: true, url: prometheusUrl },
        ...(authenticated ? { secret_name: OPENCOST_PROMETHEUS_SECRET, username_key: OPENCOST_USERNAME_KEY, password_key: OPENCOST_PASSWORD_KEY } : {}),
      },
      metrics: {
        serviceMonitor: { enabled: true, additionalLabels: { release: PROMETHEUS_RELEASE } },
        // kube-prometheus-stack already scrapes kube-state-metrics: no second copy of its series.
        kubeStateMetrics: { emitKsmV1MetricsOnly: true },
      },
      ui: { enabled: false },
    },
  };
}

/** Bytes per second between two clusters, by protocol and direction (one recording rule per counter). */
const PAIR_BYTES = "cluster_pair:istio_bytes:rate5m";
const CROSS_BYTES = "cluster_pair:istio_cross_cluster_bytes:rate5m";
const CROSS_REGION_BYTES = "cluster_pair:istio_cross_region_bytes:rate5m";
const CROSS_USD = "cluster_pair:istio_cross_cluster_transfer_usd:hourly";
/** The price of a GB from one cluster to another: one constant series per ordered pair of the fleet's clusters. */
const PAIR_PRICE = "platform:cluster_pair_transfer_price:usd_per_gb";

/** What a GB costs between clusters: across regions, or between two clusters of one region. */
export interface TransferPrices {
  crossRegionUsdPerGb: number;
  sameRegionUsdPerGb: number;
}
/** Hours in an average month: the alert projects the hourly spend over it. */
const HOURS_PER_MONTH = 730;

/**
 * The PrometheusRule on the central Prometheus that prices cross-cluster mesh traffic. Every
 * counter is taken as its source reports it (`reporter="source"`: each call counted once), by
 * `source_cluster` and `destination_cluster`; a pair is cross-cluster when the two differ (the
 * right side of `unless` is every same-cluster pair, made with `label_replace`: PromQL compares
 * a label with constants only). HTTP bodies are not in sidecars' TCP counters, so with sidecars
 * the request and response byte sums are added; in ambient, ztunnel's TCP counters hold all.
 * USD per hour = bytes/s × 3600 / 1e9 × the pair's price per GB (across regions, or within one);
 * the cross-region share is recorded on its own, and the USD series say `cross_region`.
 */
/** A recording or alerting rule of a PrometheusRule group. */
export interface PrometheusRuleEntry {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function transferCostRule(
  mode: MeshSettings["mode"],
  clusters: readonly { name: string; region: string }[],
  pricesOf: TransferPrices,
  monthlyAlertUsd: number,
) {
  const counters = [
    { name: "istio_tcp_sent_bytes_total", labels: { protocol: "tcp", direction: "sent" } },
    { name: "istio_tcp_received_bytes_total", labels: { protocol: "tcp", direction: "received" } },
    ...(mode === "sidecar"
      ? [
          { name: "istio_request_bytes_sum", labels: { protocol: "http", direction: "request" } },
          { name: "istio_response_bytes_sum", labels: { protocol: "http", direction: "response" } },
        ]
      : []),
  ];
  const pair = "source_cluster, destination_cluster";
  // The fleet's regions are known here, not in Istio's metrics: each ordered pair gets its price
  // (and whether it crosses regions) as a constant series, which the byte rates are joined with.
  const prices = clusters.flatMap((source) =>
    clusters
      .filter((destination) => destination.name !== source.name)
      .map((destination) => {
        const crossRegion = source.region !== destination.region;
        return {
          record: PAIR_PRICE,
          labels: { source_cluster: source.name, destination_cluster: destination.name, cross_region: String(crossRegion) },
          expr: `vector(${crossRegion ? pricesOf.crossRegionUsdPerGb : pricesOf.sameRegionUsdPerGb})`,
        };
      }),
  );
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "mesh-transfer-cost", namespace: MONITORING_NAMESPACE, labels: { release: PROMETHEUS_RELEASE } },
    spec: {
      groups: [
        {
          name: "mesh-cross-cluster-transfer",
          interval: "1m",
          rules: <PrometheusRuleEntry[]>[
            ...counters.map((c) => ({
              record: PAIR_BYTES,
              labels: c.labels,
              expr: `sum by (${pair}) (rate(${c.name}{reporter="source"}[5m]))`,
            })),
            {
              record: CROSS_BYTES,
              expr:
                `sum by (${pair}) (${PAIR_BYTES}{source_cluster!="unknown", destination_cluster!="unknown"}) ` +
                `unless on (${pair}) ` +
                `label_replace(sum by (source_cluster) (${PAIR_BYTES}), "destination_cluster", "$1", "source_cluster", "(.+)")`,
            },
            ...prices,
            {
              record: CROSS_REGION_BYTES,
              expr: `${CROSS_BYTES} and on (${pair}) ${PAIR_PRICE}{cross_region="true"}`,
            },
            {
              record: CROSS_USD,
              expr: `${CROSS_BYTES} * 3600 / 1e9 * on (${pair}) group_left (cross_region) ${PAIR_PRICE}`,
            },
            {
              alert: "HighCrossClusterTransferCost",
              expr: `sum(${CROSS_USD}) * ${HOURS_PER_MONTH} > ${monthlyAlertUsd}`,
              for: "1h",
              labels: { severity: "warning" },
              annotations: {
                summary: "Cross-cluster mesh traffic is projected to cost {{ $value | humanize }} USD this month",
                description:
                  `Over ${monthlyAlertUsd} USD (${pricesOf.crossRegionUsdPerGb} USD/GB across regions, ${pricesOf.sameRegionUsdPerGb} within one): ` +
                  `see ${CROSS_USD} for the pairs of clusters, cross_region="true" for those between regions.`,
              },
            },
          ],
        },
      ],
    },
  };
}
