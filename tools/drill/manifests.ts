import { meshEnrollmentLabels } from "../../components/mesh";
import { deploymentOverride, type OverridePolicy } from "../../components/placement";
import { clientDeployment } from "../mesh-check/manifests";

export const DRILL_NAMESPACE = "drill";

/**
 * The drill's own OverridePolicy in the Karmada API: the app's Deployment at 0 replicas in the
 * failed cluster. Karmada applies overrides after dividing replicas, so it wins; deleting it
 * gives the copy back. The platform's own policies are left untouched.
 */
export function takeAway(app: string, failed: string): OverridePolicy {
  return deploymentOverride(app, `drill-${app}`, [
    { targetCluster: { clusterNames: [failed] }, overriders: { plaintext: [{ path: "/spec/replicas", operator: "replace", value: 0 }] } },
  ]);
}

/** The client the drill calls from, in the failed cluster, in the mesh. */
export function client(mode: "sidecar" | "ambient"): Record<string, unknown>[] {
  return [{ apiVersion: "v1", kind: "Namespace", metadata: { name: DRILL_NAMESPACE, labels: meshEnrollmentLabels(mode) } }, clientDeployment(DRILL_NAMESPACE)];
}
