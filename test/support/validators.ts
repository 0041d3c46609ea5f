import type { KarmadaCluster } from "../../components/management";

/**
 * The checks karmada-apiserver applies to a `Cluster` (karmada-io/karmada
 * pkg/apis/cluster/validation/validation.go at the pinned version), plus the typed shape.
 * Returns what is wrong; empty when valid.
 */
export function karmadaClusterProblems(object: KarmadaCluster): string[] {
  const problems: string[] = [];
  const { metadata, spec } = object;
  if (object.apiVersion !== "cluster.karmada.io/v1alpha1" || object.kind !== "Cluster") problems.push("wrong apiVersion/kind");
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(metadata.name) || metadata.name.length > 48) {
    problems.push(`name ${metadata.name} is not a DNS label of at most 48 characters`);
  }
  if (spec.syncMode !== "Push" && spec.syncMode !== "Pull") problems.push(`syncMode ${spec.syncMode}`);
  if (spec.apiEndpoint !== undefined) {
    try {
      const url = new URL(spec.apiEndpoint);
      if (!url.host || url.username || url.search || url.hash) problems.push(`apiEndpoint ${spec.apiEndpoint}`);
    } catch {
      problems.push(`apiEndpoint ${spec.apiEndpoint} is not a URL`);
    }
  }
  for (const ref of [spec.secretRef, spec.impersonatorSecretRef]) {
    if (ref && (!ref.name || !ref.namespace)) problems.push("a secret reference lacks its name or namespace");
  }
  const allowed = new Set([
    "syncMode", "apiEndpoint", "secretRef", "impersonatorSecretRef", "insecureSkipTLSVerification",
    "proxyURL", "provider", "region", "zones", "id", "taints", "resourceModels", "proxyHeader",
  ]);
  for (const key of Object.keys(spec)) if (!allowed.has(key)) problems.push(`unknown field spec.${key}`);
  return problems;
}
