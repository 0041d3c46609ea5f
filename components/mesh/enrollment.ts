import type { MeshSettings } from "../../plan";

/**
 * Labels that put a namespace's pods in the mesh: Istio's sidecar injector only injects into
 * namespaces labelled `istio-injection: enabled` (istiod's default, no revisions), and ztunnel
 * only captures namespaces labelled `istio.io/dataplane-mode: ambient`.
 */
export function meshEnrollmentLabels(mode: MeshSettings["mode"]): Record<string, string> {
  return mode === "ambient" ? { "istio.io/dataplane-mode": "ambient" } : { "istio-injection": "enabled" };
}
