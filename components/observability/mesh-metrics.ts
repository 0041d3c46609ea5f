import type { MeshSettings } from "../../plan";
import { PROMETHEUS_RELEASE } from "../management";

/**
 * What each workload cluster's Prometheus agent must scrape for the mesh's traffic to show up
 * centrally (Kiali's graph, the transfer cost): every Envoy (sidecars, gateways, waypoints) on its
 * `http-envoy-prom` port, istiod, and in ambient mode ztunnel. The agents select monitors by the
 * `release` label of their chart. Istio's metrics carry `source_cluster` and `destination_cluster`.
 */
export function meshMonitors(mode: MeshSettings["mode"]) {
  const metadata = (name: string) => ({ name, namespace: "istio-system", labels: { release: PROMETHEUS_RELEASE } });
  return [
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: metadata("istio-proxies"),
      // Every pod of every namespace; only those with the named port become targets.
      spec: {
        namespaceSelector: { any: true },
        selector: {},
        podMetricsEndpoints: [{ port: "http-envoy-prom", path: "/stats/prometheus", interval: "30s" }],
      },
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: metadata("istiod"),
      spec: { selector: { matchLabels: { istio: "pilot" } }, endpoints: [{ port: "http-monitoring", interval: "30s" }] },
    },
    ...(mode === "ambient"
      ? [
          {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata: metadata("ztunnel"),
            spec: { selector: { matchLabels: { app: "ztunnel" } }, podMetricsEndpoints: [{ port: "ztunnel-stats", path: "/metrics", interval: "30s" }] },
          },
        ]
      : []),
  ];
}
