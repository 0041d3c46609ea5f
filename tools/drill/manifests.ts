import { meshEnrollmentLabels } from "../../components/mesh";
import type { OverridePolicy } from "../../components/placement";
import { MESH_CHECK_IMAGES } from "../../components/versions";

export const DRILL_NAMESPACE = "drill";

/**
 * The drill's own OverridePolicy in the Karmada API: the app's Deployment at 0 replicas in the
 * failed cluster. Karmada applies overrides after dividing replicas, so it wins; deleting it
 * gives the copy back. The platform's own policies are left untouched.
 */
export function takeAway(app: string, failed: string): OverridePolicy {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "OverridePolicy",
    metadata: { name: `drill-${app}`, namespace: app },
    spec: {
      resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", namespace: app, name: app }],
      overrideRules: [{ targetCluster: { clusterNames: [failed] }, overriders: { plaintext: [{ path: "/spec/replicas", operator: "replace", value: 0 }] } }],
    },
  };
}

/** The client the drill calls from, in the failed cluster, in the mesh. */
export function client(mode: "sidecar" | "ambient"): Record<string, unknown>[] {
  const labels = { app: "drill-client" };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: DRILL_NAMESPACE, labels: meshEnrollmentLabels(mode) } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "client", namespace: DRILL_NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "client", image: MESH_CHECK_IMAGES.client, command: ["sleep", "infinity"] }] } },
      },
    },
  ];
}
