// Fleet observability beyond metrics: logs, traces, mesh topology and cost, on the management cluster.
export { OPENCOST_NAMESPACE, openCostValues, type PrometheusRuleEntry, transferCostRule } from "./cost";
export { FleetLogs, type FleetLogsArgs, LOKI_QUERY_URL, lokiDataSource } from "./logs";
export { meshMonitors } from "./mesh-metrics";
export { type FleetMetrics, FleetObservability, type FleetObservabilityArgs, PROMETHEUS_READER_NAMESPACES } from "./observability";
export { FleetTopology, type FleetTopologyArgs, KIALI_NAMESPACE, KIALI_READER_RULES, kialiRemoteSecret, kialiValues } from "./topology";
export { FleetTraces, type FleetTracesArgs, meshTelemetry, TEMPO_QUERY_URL, tempoDataSource, tracingMeshConfig } from "./traces";
