import type { MeshSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { MONITORING_NAMESPACE } from "../management";
import { meshEnrollmentLabels } from "../mesh";

type MeshMode = MeshSettings["mode"];
/** How strictly an app's pods are admitted: `restricted` where the app and the mesh mode allow it. */
export type PodSecurityLevel = "baseline" | "restricted";

/**
 * Pod Security Admission for an app's namespace, at the strictest level its pods pass. In
 * sidecar mode the injected `istio-init` container adds NET_ADMIN and NET_RAW (no Istio CNI
 * there), which `baseline` forbids, so only audit records what `restricted` would refuse. In
 * ambient mode pods are left as they are (ztunnel captures their traffic), so the app's own
 * level is enforced; below `restricted`, that level is warned and audited.
 */
export function podSecurityLabels(mode: MeshMode, level: PodSecurityLevel = "baseline"): Record<string, string> {
  const psa = "pod-security.kubernetes.io";
  return mode === "ambient"
    ? { [`${psa}/enforce`]: level, [`${psa}/warn`]: "restricted", [`${psa}/audit`]: "restricted" }
    : { [`${psa}/enforce`]: "privileged", [`${psa}/audit`]: "restricted" };
}

/** Labels of an app's namespace: in the mesh, and under Pod Security. */
export function namespaceLabels(mode: MeshMode, level?: PodSecurityLevel): Record<string, string> {
  return { ...meshEnrollmentLabels(mode), ...podSecurityLabels(mode, level) };
}

/** A NetworkPolicy as the API takes it. */
export interface NetworkPolicyObject {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: Record<string, never>;
    policyTypes: ("Ingress" | "Egress")[];
    ingress?: { from: object[]; ports?: NetworkPolicyPort[] }[];
    egress?: { to: object[]; ports?: NetworkPolicyPort[] }[];
  };
}

/** A port by number, or by the name of a container port. */
type NetworkPolicyPort = { protocol: "TCP"; port: number | string };

/** Istio's ports an app pod must be reachable on or reach (istio.io, application requirements). */
const HBONE = 15008;
const EAST_WEST_MTLS = 15443;
/** Envoy's Prometheus port in a sidecar (`http-envoy-prom`). */
const ENVOY_STATS = 15090;

/** Where ztunnel's kubelet-probe traffic comes from in ambient mode. */
const AMBIENT_PROBE_SOURCE = "169.254.7.127/32";
/**
 * The app's container port, by name: what a policy matches (after the Service's port mapping).
 * The platform names a karmada app's port so; an argocd app's overlays must too.
 */
export const APP_PORT_NAME = "http";

const tcp = (...ports: (number | string)[]) => ports.map((port) => ({ protocol: "TCP" as const, port }));
const inCluster = { namespaceSelector: {} };
const anywhere = { ipBlock: { cidr: "0.0.0.0/0" } };

/**
 * The pod ranges of the clusters that share a mesh network with another: Istio sends traffic
 * between such clusters straight to the other cluster's pods, on the pod's own port, with no
 * east-west gateway (`pilot/pkg/xds/endpoints/ep_filters.go`, 1.30). Empty when every cluster has
 * its own network.
 */
export function sameNetworkPodRanges(clusters: readonly Pick<Cluster, "spec">[]): string[] {
  const byNetwork = new Map<string, string[]>();
  for (const { spec } of clusters) byNetwork.set(spec.network, [...(byNetwork.get(spec.network) ?? []), spec.podCidr]);
  return [...byNetwork.values()].filter((ranges) => ranges.length > 1).flat();
}

/**
 * The app namespace's NetworkPolicies: everything denied, then what the mesh and the app need.
 * Pods of the same cluster (the app's callers, the gateways, istiod, CoreDNS) reach the app's
 * port (and HBONE, in ambient: calls from other clusters arrive through the local east-west
 * gateway) and are reached on any port; from outside the cluster only the mesh's own way in and out
 * is open: the remote east-west gateways' port (15443 with sidecars, HBONE 15008 in ambient), and
 * in ambient the kubelet's probes, which ztunnel sends from a link-local address. With sidecars,
 * the cluster's Prometheus (namespace `monitoring`) scrapes each sidecar's Envoy on 15090; in
 * ambient the mesh's metrics come from ztunnel and the waypoints, outside the app's namespace. Traffic from the
 * pod's own node (the kubelet's probes with sidecars) is always admitted by kind's and EKS's
 * policy agents. Pods of clusters on a shared mesh network (`sameNetworkRanges`) call the app's
 * pods directly: with sidecars on its container port (ingress by the port's name, egress by the
 * app's `port`, since a name means nothing for a pod of another cluster), in ambient over HBONE.
 */
export function networkPolicies(app: { name: string; port: number }, mode: MeshMode, sameNetworkRanges: readonly string[]): NetworkPolicyObject[] {
  const metadata = (name: string) => ({ name, namespace: app.name });
  const ambient = mode === "ambient";
  const peers = sameNetworkRanges.map((cidr) => ({ ipBlock: { cidr } }));
  const fromPeers = peers.length === 0 ? [] : [{ from: peers, ports: tcp(ambient ? HBONE : APP_PORT_NAME) }];
  // Ambient's HBONE goes anywhere already; a sidecar calls a peer's pod on the app's port.
  const toPeers = peers.length === 0 || ambient ? [] : [{ to: peers, ports: tcp(app.port) }];
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata("mesh"),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: ambient
          ? [
              { from: [inCluster], ports: tcp(APP_PORT_NAME, HBONE) },
              { from: [{ ipBlock: { cidr: AMBIENT_PROBE_SOURCE } }] },
              ...fromPeers,
            ]
          : [
              { from: [inCluster], ports: tcp(APP_PORT_NAME) },
              // The cluster's Prometheus scrapes each sidecar's Envoy stats (the mesh's traffic metrics).
              { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE } } }], ports: tcp(ENVOY_STATS) },
              ...fromPeers,
            ],
        egress: [{ to: [inCluster] }, { to: [anywhere], ports: tcp(ambient ? HBONE : EAST_WEST_MTLS) }, ...toPeers],
      },
    },
  ];
}
