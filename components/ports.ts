/** Node ports the platform reserves on kind clusters (the range is 30000-32767). */

/** NodePort of the karmada-apiserver Service on the management cluster. */
export const KARMADA_API_NODE_PORT = 32443;

/** NodePort of the management Prometheus, where workload clusters remote-write (dev). */
export const PROMETHEUS_NODE_PORT = 30090;
