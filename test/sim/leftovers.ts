/**
 * What a cluster still holds when it is deleted: every object in a namespace outside Kubernetes'
 * own, and every namespace and CRD, except what Kubernetes itself makes in any namespace (its
 * default ServiceAccount, root CA ConfigMap, Events, endpoint objects, leases). The `kind` stand-in
 * writes it before a delete, so the cycle can tell a clean destroy from one that left things behind.
 */
import type { Kube } from "./kube";

const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "default"];
const AUTOMATIC = new Set(["events", "endpoints", "endpointslices", "leases", "controllerrevisions", "pods", "replicasets"]);

export interface Leftover {
  kind: string;
  namespace?: string;
  name: string;
}

export async function leftovers(kube: Kube): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const groups = [{ path: "/api/v1" }, ...((await kube.get("/apis")).groups as { preferredVersion: { groupVersion: string } }[]).map((g) => ({ path: `/apis/${g.preferredVersion.groupVersion}` }))];
  for (const { path } of groups) {
    const resources = ((await kube.get(path)).resources as { name: string; kind: string; namespaced: boolean; verbs: string[] }[]).filter(
      (r) => !r.name.includes("/") && r.verbs.includes("list"),
    );
    for (const r of resources) {
      if (r.namespaced && !AUTOMATIC.has(r.name)) {
        for (const item of await kube.list(`${path}/${r.name}`)) {
          const { name, namespace } = item.metadata;
          if (SYSTEM_NAMESPACES.includes(namespace)) continue;
          if (r.name === "serviceaccounts" && name === "default") continue;
          if (r.name === "configmaps" && name === "kube-root-ca.crt") continue;
          found.push({ kind: r.kind, namespace, name });
        }
      } else if (r.name === "namespaces" || r.name === "customresourcedefinitions") {
        for (const item of await kube.list(`${path}/${r.name}`)) {
          if (!SYSTEM_NAMESPACES.includes(item.metadata.name)) found.push({ kind: r.kind, name: item.metadata.name });
        }
      }
    }
  }
  return found;
}
