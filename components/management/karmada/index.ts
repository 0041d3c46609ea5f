/** Karmada: its control plane on the management cluster, and member clusters registered in push mode. */
export * from "./api";
export { CLUSTER_DOWN_TAINT, clusterDownTaintPolicy, clusterDownToleration } from "./cluster-failover";
export { Karmada, type KarmadaArgs, karmadaValues, rewriteKubeconfig, skipAwait } from "./control-plane";
export { KARMADA_CONTROLLER_RULES, karmadaCluster, KarmadaMember, type KarmadaMemberArgs } from "./member";
