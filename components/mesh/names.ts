/** Istio's root namespace in every workload cluster: istiod, the gateways, mesh-wide rules. */
export const ISTIO_NAMESPACE = "istio-system";
