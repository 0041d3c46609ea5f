/** Clusters on the workstation's Docker, driven through the kind CLI: the dev fleet. */
export { KindCluster, type KindClusterArgs } from "./cluster";
export { internalEndpoint, type PortMapping, renderKindConfig } from "./config";
export { MetalLb, type MetalLbArgs, metalLbValues } from "./metallb";
export { entryProxyConfig, WorkstationEntry, type WorkstationEntryArgs } from "./entry";
export { KindNetwork, type KindNetworkArgs } from "./network";
export { nodePort, portMappings } from "./ports";
