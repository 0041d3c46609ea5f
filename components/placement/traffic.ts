import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AppPlan, MeshSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { ISTIO_NAMESPACE } from "../mesh";
import { namespaceLabels, type PodSecurityLevel } from "./baseline";

/** The app's Service name as every cluster of the mesh resolves it. */
export const serviceHost = (app: AppPlan): string => `${app.name}.${app.name}.svc.cluster.local`;

/**
 * Labels of the app's namespace and Service in the stack's mesh mode. In ambient, ztunnel only
 * sends a call across clusters for a Service labelled `istio.io/global`, in the caller's cluster.
 */
export function meshLabels(
  mode: MeshSettings["mode"],
  podSecurity?: PodSecurityLevel,
): { namespace: Record<string, string>; service: Record<string, string> } {
  return { namespace: namespaceLabels(mode, podSecurity), service: mode === "ambient" ? { "istio.io/global": "true" } : {} };
}

/**
 * How a caller's sidecar treats the app's endpoints across clusters: an endpoint failing in a
 * row is ejected (every endpoint of a lost cluster may be), and calls stay in the caller's
 * locality while it has healthy endpoints. Istio applies locality failover only with outlier
 * detection set. Sidecar mode only: in ambient, ztunnel reads no DestinationRule.
 */
export function destinationRule(app: AppPlan): { apiVersion: string; kind: string; metadata: { name: string; namespace: string }; spec: object } {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: `app-${app.name}`, namespace: ISTIO_NAMESPACE },
    spec: {
      host: serviceHost(app),
      trafficPolicy: {
        loadBalancer: { localityLbSetting: { enabled: true } },
        outlierDetection: { consecutive5xxErrors: 3, interval: "5s", baseEjectionTime: "30s", maxEjectionPercent: 100 },
      },
    },
  };
}

/**
 * In sidecar mode, the app's DestinationRule in every caller's cluster, made there in Istio's root
 * namespace (whose rules apply to every namespace): the Karmada API has no Istio CRDs, and the
 * app's namespace appears in a cluster only once the app is synced there.
 */
export function callerTraffic(
  parent: pulumi.Resource,
  name: string,
  app: AppPlan,
  mode: MeshSettings["mode"],
  callers: readonly Cluster[],
  ready: pulumi.Input<pulumi.Resource>[],
): void {
  for (const cluster of mode === "sidecar" ? callers : []) {
    new k8s.apiextensions.CustomResource(`${name}-traffic-${cluster.name}`, destinationRule(app), {
      parent,
      provider: cluster.provider,
      dependsOn: ready,
    });
  }
}
