import type { MeshSettings } from "../../plan";
import { meshEnrollmentLabels } from "../mesh";

/**
 * Pod Security Admission for an app's namespace, at the strictest level its pods pass. In
 * sidecar mode the injected `istio-init` container adds NET_ADMIN and NET_RAW (no Istio CNI
 * there), which `baseline` forbids, so only audit records what `restricted` would refuse. In
 * ambient mode pods are left as they are (ztunnel captures their traffic), so `baseline` is
 * enforced; `restricted` is warned, as an app running as root fails it.
 */
export function podSecurityLabels(mode: MeshSettings["mode"]): Record<string, string> {
  const level = "pod-security.kubernetes.io";
  return mode === "ambient"
    ? { [`${level}/enforce`]: "baseline", [`${level}/warn`]: "restricted", [`${level}/audit`]: "restricted" }
    : { [`${level}/enforce`]: "privileged", [`${level}/audit`]: "restricted" };
}

/** Labels of an app's namespace: in the mesh, and under Pod Security. */
export function namespaceLabels(mode: MeshSettings["mode"]): Record<string, string> {
  return { ...meshEnrollmentLabels(mode), ...podSecurityLabels(mode) };
}
