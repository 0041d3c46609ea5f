import { type ServiceShape, serviceValues } from "../cluster";
import { ISTIO_NAMESPACE } from "./names";

/** The apps' ingress gateway of a workload cluster: its release, Service and `istio: ingressgateway` pods. */
export const INGRESS_GATEWAY = "istio-ingressgateway";
/** The Istio Gateway every app's route binds to (`istio-system/fleet-ingress`). */
export const FLEET_INGRESS = `${ISTIO_NAMESPACE}/fleet-ingress`;
/** Plain HTTP from users, and the status port a health check (Route 53, the workstation's entry) asks. */
export const INGRESS_PORTS = { http: 80, status: 15021 };

/**
 * The `gateway` chart as the apps' ingress: named so that its pods carry `istio: ingressgateway`,
 * its Service as the cluster answers for the public, with HTTP and the status port only (the
 * chart's default also opens 443, which nothing here serves).
 */
export function ingressGatewayValues(service: ServiceShape): Record<string, unknown> {
  return {
    name: INGRESS_GATEWAY,
    service: {
      ...serviceValues(service),
      ports: [
        { name: "status-port", port: INGRESS_PORTS.status, protocol: "TCP", targetPort: INGRESS_PORTS.status },
        { name: "http2", port: INGRESS_PORTS.http, protocol: "TCP", targetPort: INGRESS_PORTS.http },
      ],
    },
  };
}

/**
 * The listener of the ingress gateway: HTTP on port 80 for any host. Each app binds a route for
 * its own `<app>.<domain>`; a host no app claims gets Istio's 404.
 */
export function fleetIngressGateway() {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: FLEET_INGRESS.split("/")[1], namespace: ISTIO_NAMESPACE },
    spec: {
      selector: { istio: "ingressgateway" },
      servers: [{ port: { number: INGRESS_PORTS.http, name: "http", protocol: "HTTP" }, hosts: ["*"] }],
    },
  };
}

/** The waypoint every app Service of an ambient mesh uses, the same name in every cluster (Istio requires it). */
export const FLEET_WAYPOINT = "fleet-waypoint";

/**
 * Ambient mode's shared waypoint, in Istio's root namespace: the L7 proxy that applies each app's
 * DestinationRule (outlier detection, failover to another cluster) to calls in the mesh. It
 * admits Services of every namespace (without `allowedRoutes`, only its own), and Istio copies
 * the infrastructure labels to the waypoint's Service: `istio.io/global` lets other clusters use it.
 */
export function fleetWaypoint() {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: FLEET_WAYPOINT, namespace: ISTIO_NAMESPACE, labels: { "istio.io/waypoint-for": "service" } },
    spec: {
      gatewayClassName: "istio-waypoint",
      infrastructure: { labels: { "istio.io/global": "true" } },
      listeners: [{ name: "mesh", port: 15008, protocol: "HBONE", allowedRoutes: { namespaces: { from: "All" } } }],
    },
  };
}
