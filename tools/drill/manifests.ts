import { meshEnrollmentLabels } from "../../components/mesh";
import { deploymentOverride, type OverridePolicy } from "../../components/placement";
import { clientDeployment } from "../mesh-check/manifests";

export const DRILL_NAMESPACE = "drill";

/**
 * The name of the drill's OverridePolicy for `app`. Karmada applies the OverridePolicies that
 * select a Deployment by name in the order of their names, and the last one wins; an app's own
 * policy is named as the app, a DNS label of at most 63 characters, so a name that starts with
 * 63 `z`s sorts after every one of them.
 */
export function drillPolicyName(app: string): string {
  return `${"z".repeat(63)}.drill-${app}`;
}

/**
 * The drill's own OverridePolicy in the Karmada API: the app's Deployment at 0 replicas in the
 * failed cluster. Karmada applies overrides after dividing replicas, and this one last, so it
 * wins; deleting it gives the copy back. The platform's own policies are left untouched.
 */
export function takeAway(app: string, failed: string): OverridePolicy {
  return deploymentOverride(app, drillPolicyName(app), [
    { targetCluster: { clusterNames: [failed] }, overriders: { plaintext: [{ path: "/spec/replicas", operator: "replace", value: 0 }] } },
  ]);
}

/** The client the drill calls from, in the failed cluster, in the mesh. */
export function client(mode: "sidecar" | "ambient"): Record<string, unknown>[] {
  return [{ apiVersion: "v1", kind: "Namespace", metadata: { name: DRILL_NAMESPACE, labels: meshEnrollmentLabels(mode) } }, clientDeployment(DRILL_NAMESPACE)];
}
