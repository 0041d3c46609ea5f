/**
 * What a cluster holds beyond what it held when it was made: every object of every kind the API
 * lists, but those Kubernetes makes by itself (events, endpoints, leases, pods and replica sets of
 * a controller, a namespace's default ServiceAccount and root CA ConfigMap, the APIService the
 * aggregator keeps for each served group version). The `kind` stand-in
 * records the inventory of a new cluster, and before a delete writes what is there beyond it, so
 * the cycle can tell a clean destroy from one that left things behind.
 */
import type { Kube } from "./kube";

const AUTOMATIC = new Set(["events", "endpoints", "endpointslices", "leases", "controllerrevisions", "pods", "replicasets"]);

export interface Leftover {
  kind: string;
  namespace?: string;
  name: string;
  /** The Helm annotations that say why Helm left it, when it has them. */
  helm?: { hook?: string; resourcePolicy?: string; release?: string };
}

const key = (o: Leftover) => `${o.kind}/${o.namespace ?? ""}/${o.name}`;

export async function inventory(kube: Kube): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const groups = ["/api/v1", ...((await kube.get("/apis")).groups as { preferredVersion: { groupVersion: string } }[]).map((g) => `/apis/${g.preferredVersion.groupVersion}`)];
  for (const path of groups) {
    const resources = ((await kube.get(path)).resources as { name: string; kind: string; verbs: string[] }[]).filter((r) => !r.name.includes("/") && r.verbs.includes("list") && !AUTOMATIC.has(r.name));
    for (const r of resources) {
      for (const item of await kube.list(`${path}/${r.name}`)) {
        const { name, namespace, annotations = {}, labels = {} } = item.metadata;
        if ((r.name === "serviceaccounts" && name === "default") || (r.name === "configmaps" && name === "kube-root-ca.crt")) continue;
        if (labels["kube-aggregator.kubernetes.io/automanaged"]) continue;
        const helm = { hook: annotations["helm.sh/hook"], resourcePolicy: annotations["helm.sh/resource-policy"], release: annotations["meta.helm.sh/release-name"] };
        found.push({ kind: r.kind, ...(namespace ? { namespace } : {}), name, ...(Object.values(helm).some(Boolean) ? { helm } : {}) });
      }
    }
  }
  return found;
}

/** The objects of `now` that `before` did not have. */
export function beyond(now: Leftover[], before: Leftover[]): Leftover[] {
  const had = new Set(before.map(key));
  return now.filter((o) => !had.has(key(o)));
}
