import type * as k8s from "@pulumi/kubernetes";

/** Who a `sourcesOnly` policy admits: pods of a namespace (default: the policy's own), on some ports (default: all). */
export interface PolicySource {
  /** Default: the policy's own namespace. */
  namespace?: string;
  /** Default: every pod of the namespace. */
  pods?: Record<string, string>;
  /** Default: every port. */
  ports?: number[];
}

/**
 * A NetworkPolicy that admits to the selected pods only the listed sources: every other
 * connection to them, from other namespaces or other clusters' pods routed to their IPs, is
 * refused. The kubelet's probes come from the node, which kindnet and the VPC CNI always admit.
 */
export function sourcesOnly(name: string, namespace: string, pods: Record<string, string>, sources: PolicySource[]): k8s.networking.v1.NetworkPolicyArgs {
  return {
    metadata: { name, namespace },
    spec: {
      podSelector: { matchLabels: pods },
      policyTypes: ["Ingress"],
      ingress: sources.map((s) => ({
        from: [
          {
            ...(s.namespace ? { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": s.namespace } } } : {}),
            ...(s.pods || !s.namespace ? { podSelector: { matchLabels: s.pods ?? {} } } : {}),
          },
        ],
        ...(s.ports ? { ports: s.ports.map((port) => ({ protocol: "TCP", port })) } : {}),
      })),
    },
  };
}
