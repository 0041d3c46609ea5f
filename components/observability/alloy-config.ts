/** The environment variable Alloy reads the gateway's writer password from (a Secret's key, never the config). */
export const PUSH_PASSWORD_ENV = "LOKI_PUSH_PASSWORD";

/**
 * Grafana Alloy's configuration for one cluster's pod logs (Alloy v1.18 syntax). Each pod of the
 * DaemonSet discovers the pods of its own node (`HOSTNAME` is the node's name: the alloy chart
 * sets it from `spec.nodeName`), tails their containers through the Kubernetes API (no hostPath,
 * no privilege), labels each stream with its namespace, pod and container, and pushes it to Loki
 * with the cluster's name as `cluster`, the label the fleet's metrics carry too, authenticated
 * as `username` with the password in `PUSH_PASSWORD_ENV`.
 *
 * The chart passes this text through Helm's `tpl` (alloy chart 1.11.1 templates/configmap.yaml),
 * so it must never contain `{{`: that would start a template action and break the render.
 */
export function alloyLogsConfig(cluster: string, pushUrl: string, username: string): string {
  const text = `// Pods of this node only: every pod of the DaemonSet tails its own node.
discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
}

loki.source.kubernetes "pods" {
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.fleet.receiver]
}

// Retried without end (0 = never give up): while Loki is away the send queue fills and then
// blocks the tailers, instead of dropping a batch after 10 tries (about 8.5 min).
loki.write "fleet" {
  endpoint {
    url                 = ${alloyString(pushUrl)}
    max_backoff_retries = 0
    basic_auth {
      username = ${alloyString(username)}
      password = sys.env(${alloyString(PUSH_PASSWORD_ENV)})
    }
  }
  external_labels = { cluster = ${alloyString(cluster)} }
}
`;
  if (text.includes("{{")) throw new Error(`the Alloy config of ${cluster} contains "{{", which Helm's tpl would read as a template action`);
  return text;
}

/** An Alloy string literal: Alloy's strings take the same double-quoted escapes as JSON's. */
function alloyString(value: string): string {
  return JSON.stringify(value);
}
