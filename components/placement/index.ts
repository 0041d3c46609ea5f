// Apps declared once and placed on workload clusters through Karmada.
export * from "./api";
export { PlacedApp, type PlacedAppArgs, type PlacementApi } from "./placed-app";
export { namespaceLabels, podSecurityLabels } from "./baseline";
export { destinationRule, meshLabels, serviceHost } from "./traffic";
export { deploymentOverride, envList, overridePolicy, propagationPolicy, servicePolicy } from "./policies";
