/** The management plane: Karmada, Argo CD and fleet monitoring on the management cluster. */
export { ARGOCD_MANAGER_RULES, ArgoCd, type ArgoCdArgs, argoCdClusterSecret, argoCdValues } from "./argocd";
export { fleetOverviewDashboard } from "./fleet-dashboard";
export * from "./karmada";
export {
  agentValues,
  alertmanagerConfig,
  CENTRAL_OUT_OF_ORDER_WINDOW,
  centralValues,
  METRICS_OUTAGE_BUFFER_HOURS,
  Monitoring,
  type MonitoringArgs,
  MONITORING_NAMESPACE,
  PROMETHEUS_RELEASE,
  REMOTE_WRITE_QUEUE,
  retentionSize,
} from "./monitoring";
export { ManagementPlane, type ManagementPlaneArgs } from "./plane";
