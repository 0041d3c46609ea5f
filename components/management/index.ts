/** The management plane: Karmada, Argo CD and fleet monitoring on the management cluster. */
export { ARGOCD_MANAGER_RULES, ArgoCd, type ArgoCdArgs, argoCdClusterSecret, argoCdValues } from "./argocd";
export { type AccessRule, accessMap, type GatewayUser, gatewayUser, HTPASSWD_KEY, htpasswd, passwordFingerprint, refuseForbidden } from "./basic-auth";
export { fleetOverviewDashboard } from "./fleet-dashboard";
export * from "./karmada";
export { alertmanagerConfig } from "./alerting";
export {
  agentValues,
  centralValues,
  Monitoring,
  type MonitoringArgs,
  MONITORING_NAMESPACE,
  PROMETHEUS_RELEASE,
} from "./monitoring";
export { CENTRAL_OUT_OF_ORDER_WINDOW, METRICS_OUTAGE_BUFFER_HOURS, REMOTE_WRITE_QUEUE } from "./outage-buffer";
export { PROMETHEUS_GATEWAY, PROMETHEUS_READER, PROMETHEUS_WRITER, prometheusAccessRules, prometheusGatewayConfig, PrometheusGateway, type PrometheusGatewayArgs } from "./prometheus-gateway";
export { retentionSize } from "./prometheus-storage";
export { type PolicySource, sourcesOnly } from "./source-policy";
export { ManagementPlane, type ManagementPlaneArgs } from "./plane";
