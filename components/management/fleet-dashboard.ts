/**
 * The Grafana dashboard provisioned on the management cluster: pods, CPU and memory of every
 * cluster, its cost and what it pays to send to other clusters, and its logs beside its metrics,
 * all selectable by a `cluster` variable fed by the `cluster` label every signal carries.
 */
export function fleetOverviewDashboard(): Record<string, unknown> {
  const datasource = { type: "prometheus", uid: "prometheus" };
  const panel = (id: number, title: string, expr: string, unit: string, x: number, y: number, legend = "{{cluster}}") => ({
    id,
    title,
    type: "timeseries",
    datasource,
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: "A", datasource, expr, legendFormat: legend }],
  });
  return {
    uid: "platform-fleet-overview",
    title: "Fleet overview",
    tags: ["platform", "multi-cluster"],
    timezone: "browser",
    schemaVersion: 39,
    version: 1,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [
        {
          name: "cluster",
          label: "Cluster",
          type: "query",
          datasource,
          query: { query: "label_values(up, cluster)", refId: "cluster" },
          definition: "label_values(up, cluster)",
          refresh: 2,
          multi: true,
          includeAll: true,
          current: { text: "All", value: "$__all" },
        },
      ],
    },
    panels: [
      {
        id: 1,
        title: "Clusters reporting",
        type: "stat",
        datasource,
        gridPos: { h: 4, w: 24, x: 0, y: 0 },
        targets: [{ refId: "A", datasource, expr: 'count(count by (cluster) (up{cluster=~"$cluster"}))' }],
      },
      panel(2, "Running pods by cluster", 'sum by (cluster) (kube_pod_status_phase{phase="Running", cluster=~"$cluster"})', "short", 0, 4),
      panel(
        3,
        "CPU usage by cluster",
        'sum by (cluster) (rate(container_cpu_usage_seconds_total{container!="", cluster=~"$cluster"}[5m]))',
        "cores",
        12,
        4,
      ),
      panel(
        4,
        "Memory working set by cluster",
        'sum by (cluster) (container_memory_working_set_bytes{container!="", cluster=~"$cluster"})',
        "bytes",
        0,
        12,
      ),
      // OpenCost's price of each cluster's nodes, per hour.
      panel(5, "Cost per hour by cluster", 'sum by (cluster) (node_total_hourly_cost{cluster=~"$cluster"})', "currencyUSD", 12, 12),
      panel(
        6,
        "Cross-cluster transfer cost per hour, by sending cluster",
        'sum by (source_cluster) (cluster_pair:istio_cross_cluster_transfer_usd:hourly{source_cluster=~"$cluster"})',
        "currencyUSD",
        0,
        20,
        "{{source_cluster}}",
      ),
      {
        id: 7,
        title: "Logs of the selected clusters",
        type: "logs",
        datasource: { type: "loki", uid: "loki" },
        gridPos: { h: 10, w: 24, x: 0, y: 28 },
        targets: [{ refId: "A", datasource: { type: "loki", uid: "loki" }, expr: '{cluster=~"$cluster"}' }],
      },
    ],
  };
}
