// Apps declared once and placed on workload clusters through Karmada.
export * from "./api";
export { PlacedApp, type PlacedAppArgs, type PlacementApi } from "./placed-app";
export { envList, overridePolicy, propagationPolicy, servicePolicy } from "./policies";
