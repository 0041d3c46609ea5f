/**
 * A simulated cluster's nodes, as kind makes them: named and labelled from the kind config, the
 * control plane tainted when there are workers, each a fake node KWOK plays the kubelet of; and
 * kind's default StorageClass, whose volumes the simulation's provisioner binds (controllers.ts).
 */
import type { KindConfig } from "./cluster";
import type { Kube } from "./kube";

/** kind's node names: `<name>-control-plane`, then `<name>-control-plane2`…, `<name>-worker`, `<name>-worker2`…. */
export function nodeNames(config: KindConfig): { name: string; role: string; labels: Record<string, string> }[] {
  const counts: Record<string, number> = {};
  return config.nodes.map((node) => {
    const n = (counts[node.role] = (counts[node.role] ?? 0) + 1);
    return { name: `${config.name}-${node.role}${n > 1 ? n : ""}`, role: node.role, labels: node.labels ?? {} };
  });
}

/** The fake nodes, as kind's would be: names, roles, labels; the control plane tainted when there are workers. */
export async function registerNodes(kube: Kube, config: KindConfig): Promise<void> {
  const nodes = nodeNames(config);
  const workers = nodes.some((n) => n.role === "worker");
  for (const node of nodes) {
    const controlPlane = node.role === "control-plane";
    const body = {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: node.name,
        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        labels: {
          ...node.labels,
          "kubernetes.io/hostname": node.name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "type": "kwok",
          ...(controlPlane ? { "node-role.kubernetes.io/control-plane": "" } : {}),
        },
      },
      spec: controlPlane && workers ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] } : {},
      status: {
        allocatable: { cpu: "32", memory: "256Gi", pods: "250", "ephemeral-storage": "1Ti" },
        capacity: { cpu: "32", memory: "256Gi", pods: "250", "ephemeral-storage": "1Ti" },
        nodeInfo: { architecture: "amd64", operatingSystem: "linux", kubeletVersion: "fake", kubeProxyVersion: "fake" },
      },
    };
    const res = await kube.call("POST", "/api/v1/nodes", body);
    if (res.status !== 201) throw new Error(`${config.name}: node ${node.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}

/** kind's default StorageClass, by name and binding mode; the simulation's provisioner answers it. */
export const STORAGE_PROVISIONER = "rancher.io/local-path";

export async function createDefaultStorageClass(kube: Kube): Promise<void> {
  const res = await kube.call("POST", "/apis/storage.k8s.io/v1/storageclasses", {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: STORAGE_PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  });
  if (res.status !== 201) throw new Error(`default StorageClass: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}
