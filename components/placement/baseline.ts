import type { MeshSettings } from "../../plan";
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
    ingress?: { from: object[]; ports?: { protocol: "TCP"; port: number }[] }[];
    egress?: { to: object[]; ports?: { protocol: "TCP"; port: number }[] }[];
  };
}

/** Istio's ports an app pod must be reachable on or reach (istio.io, application requirements). */
const HBONE = 15008;
const SIDECAR_PROBES = [15020, 15021];
const EAST_WEST_MTLS = 15443;
/** Where ztunnel's kubelet-probe traffic comes from in ambient mode. */
const AMBIENT_PROBE_SOURCE = "169.254.7.127/32";

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP" as const, port }));
const inCluster = { namespaceSelector: {} };
const anywhere = { ipBlock: { cidr: "0.0.0.0/0" } };

/**
 * The app namespace's NetworkPolicies: everything denied, then what the mesh and the app need.
 * Pods of the same cluster (the app's callers, the gateways, istiod, CoreDNS) reach the app's
 * port (and HBONE, in ambient: calls from other clusters arrive through the local east-west
 * gateway) and are reached on any port; from outside the cluster only the mesh's own way in and out
 * is open: the remote east-west gateways' port (15443 with sidecars, HBONE 15008 in ambient) and
 * the kubelet's probes (from the nodes' range with sidecars, rewritten to 15020/15021; from
 * ztunnel's link-local address in ambient).
 */
export function networkPolicies(app: { name: string; port: number }, mode: MeshMode, nodeCidrs: readonly string[]): NetworkPolicyObject[] {
  const metadata = (name: string) => ({ name, namespace: app.name });
  const ambient = mode === "ambient";
  const nodes = [...new Set(nodeCidrs)].sort().map((cidr) => ({ ipBlock: { cidr } }));
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
              { from: [inCluster], ports: tcp(app.port, HBONE) },
              { from: [{ ipBlock: { cidr: AMBIENT_PROBE_SOURCE } }] },
            ]
          : [
              { from: [inCluster], ports: tcp(app.port) },
              { from: nodes, ports: tcp(app.port, ...SIDECAR_PROBES) },
            ],
        egress: [{ to: [inCluster] }, { to: [anywhere], ports: tcp(ambient ? HBONE : EAST_WEST_MTLS) }],
      },
    },
  ];
}
