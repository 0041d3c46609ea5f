import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AppPlan, MeshSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { FLEET_INGRESS, FLEET_WAYPOINT, ISTIO_NAMESPACE } from "../mesh";
import { namespaceLabels, type PodSecurityLevel } from "./baseline";

/** The app's Service name as every cluster of the mesh resolves it. */
export const serviceHost = (app: AppPlan): string => `${app.name}.${app.name}.svc.cluster.local`;

/** The host name users ask the ingress gateways for. */
export const ingressHost = (app: AppPlan, domain: string): string => `${app.name}.${domain}`;

/**
 * The app's route at a cluster's ingress gateway: its host name to its Service, wherever in the
 * mesh its pods are (the gateway fails over as any caller does).
 */
export function ingressRoute(app: AppPlan, domain: string) {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: `app-${app.name}`, namespace: ISTIO_NAMESPACE },
    spec: {
      hosts: [ingressHost(app, domain)],
      gateways: [FLEET_INGRESS],
      http: [{ route: [{ destination: { host: serviceHost(app), port: { number: app.port } } }] }],
    },
  };
}

/**
 * Labels of the app's namespace and Service in the stack's mesh mode. In ambient, ztunnel only
 * sends a call across clusters for a Service labelled `istio.io/global`, in the caller's cluster.
 */
export function meshLabels(
  mode: MeshSettings["mode"],
  podSecurity?: PodSecurityLevel,
): { namespace: Record<string, string>; service: Record<string, string> } {
  return { namespace: namespaceLabels(mode, podSecurity), service: mode === "ambient" ? AMBIENT_SERVICE_LABELS : {} };
}

/**
 * An app Service's labels in ambient mode: global (other clusters' callers and the waypoint see
 * its endpoints everywhere), and served by the shared waypoint in `istio-system` for calls in the
 * mesh and from the ingress gateway (which otherwise sends to local endpoints only).
 */
const AMBIENT_SERVICE_LABELS = {
  "istio.io/global": "true",
  "istio.io/use-waypoint": FLEET_WAYPOINT,
  "istio.io/use-waypoint-namespace": ISTIO_NAMESPACE,
  "istio.io/ingress-use-waypoint": "true",
};

/**
 * How a caller's proxy (its sidecar; in ambient, the waypoint) treats the app's endpoints across
 * clusters: an endpoint failing in a row is ejected (every endpoint of a lost cluster may be), and
 * calls stay in the caller's cluster while it has healthy endpoints, then go to another.
 * Istio applies failover priorities only with outlier detection set.
 */
export function destinationRule(app: AppPlan): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: object } {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: `app-${app.name}`, namespace: ISTIO_NAMESPACE },
    spec: {
      host: serviceHost(app),
      trafficPolicy: {
        loadBalancer: { localityLbSetting: { enabled: true, failoverPriority: ["topology.istio.io/cluster"] } },
        outlierDetection: { consecutive5xxErrors: 3, interval: "5s", baseEjectionTime: "30s", maxEjectionPercent: 100 },
      },
    },
  };
}

/**
 * In every workload cluster, the app's route at the ingress gateway and its DestinationRule;
 * made there in Istio's root namespace (whose rules apply to every namespace):
 * the Karmada API has no Istio CRDs, and the app's namespace appears in a cluster only once the
 * app is synced there.
 */
export function callerTraffic(
  parent: pulumi.Resource,
  name: string,
  app: AppPlan,
  domain: string,
  callers: readonly Cluster[],
  ready: pulumi.Input<pulumi.Resource>[],
): void {
  for (const cluster of callers) {
    const inCluster = { parent, provider: cluster.provider, dependsOn: ready };
    new k8s.apiextensions.CustomResource(`${name}-ingress-${cluster.name}`, ingressRoute(app, domain), inCluster);
    new k8s.apiextensions.CustomResource(`${name}-traffic-${cluster.name}`, destinationRule(app), inCluster);
  }
}
