// Apps declared once and placed on workload clusters, through Karmada or an Argo CD ApplicationSet.
export * from "./api";
export { PlacedApp, type PlacedAppArgs, type PlacementApi } from "./placed-app";
export { GitOpsApp, type GitOpsAppArgs, type GitOpsApi, applicationSet } from "./gitops-app";
export { namespaceLabels, networkPolicies, podSecurityLabels } from "./baseline";
export { destinationRule, ingressHost, ingressRoute, meshLabels, serviceHost } from "./traffic";
export { deploymentOverride, envList, overridePolicy, propagationPolicy, servicePolicy } from "./policies";
