/**
 * What runs in a kind cluster's containers that the simulation has to do itself, as small
 * reconcilers polling each simulated cluster: MetalLB's controller (a LoadBalancer Service gets an
 * address from the cluster's IPAddressPools), the local-path provisioner (a claim on the default
 * StorageClass gets a volume on its selected node; a released one is deleted), and the effects of
 * the chart Jobs KWOK holds (job-effects.ts), whose pods are then completed.
 */
import { existsSync, readdirSync } from "fs";
import { join } from "path";
import { readRecord } from "./cluster";
import { STORAGE_PROVISIONER } from "./nodes";
import { type Kube, kubeFromKubeconfig } from "./kube";
import { sleep } from "./processes";

/** A Job KWOK holds: `effect` runs once per Job (by uid) before its pods are completed. */
export interface JobEffect {
  job: string;
  namespace: string;
  effect(cluster: string, kube: Kube): Promise<void>;
}

export interface Controllers {
  /** Errors the reconcilers met (a reconcile is retried; these say why a wait would time out). */
  errors: string[];
  stop(): Promise<void>;
}

const INTERVAL_MS = 1000;

export function startControllers(state: string, effects: JobEffect[]): Controllers {
  let running = true;
  const errors: string[] = [];
  const done = new Set<string>();
  const loop = (async () => {
    while (running) {
      const dir = join(state, "clusters");
      for (const name of existsSync(dir) ? readdirSync(dir) : []) {
        const record = readRecord(name, state);
        if (!record) continue;
        const kube = kubeFromKubeconfig(record.kubeconfig);
        for (const [what, step] of [
          ["load balancers", () => assignAddresses(kube)],
          ["volumes", () => provisionVolumes(kube)],
          ["jobs", () => runJobEffects(name, kube, effects, done)],
        ] as const) {
          try {
            await step();
          } catch (error) {
            const line = `${name} ${what}: ${(error as Error).message}`;
            if (errors[errors.length - 1] !== line) {
              errors.push(line);
              process.stderr.write(`[sim controllers] ${line}\n`);
            }
          }
        }
      }
      await sleep(INTERVAL_MS);
    }
  })();
  return {
    errors,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** MetalLB's allocation: the next free address of the cluster's pools, or the one the Service asks for. */
async function assignAddresses(kube: Kube): Promise<void> {
  const services = (await kube.list("/api/v1/services")).filter((s) => s.spec.type === "LoadBalancer");
  const pending = services.filter((s) => !s.status?.loadBalancer?.ingress?.length);
  if (pending.length === 0) return;
  const pools = await kube.list("/apis/metallb.io/v1beta1/ipaddresspools");
  const used = new Set(services.flatMap((s) => (s.status?.loadBalancer?.ingress ?? []).map((i: { ip: string }) => i.ip)));
  const free = pools.flatMap((p) => (p.spec.addresses as string[]).flatMap(addressesOf)).filter((ip) => !used.has(ip));
  for (const service of pending) {
    const asked = service.metadata.annotations?.["metallb.io/loadBalancerIPs"] ?? service.metadata.annotations?.["metallb.universe.tf/loadBalancerIPs"];
    const ip = asked ?? free.shift();
    // No pool (MetalLB not installed yet), or an exhausted one: the Service stays pending, as with MetalLB.
    if (!ip) continue;
    used.add(ip);
    const path = `/api/v1/namespaces/${service.metadata.namespace}/services/${service.metadata.name}/status`;
    const res = await kube.call("PATCH", path, { status: { loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } } }, "application/merge-patch+json");
    if (res.status !== 200) throw new Error(`PATCH ${path}: ${res.status}`);
  }
}

/** The addresses of a MetalLB pool entry: a CIDR (`a.b.c.d/n`) or a range (`a.b.c.d-e.f.g.h`). */
export function addressesOf(entry: string): string[] {
  const toInt = (ip: string) => ip.split(".").reduce((n, p) => n * 256 + Number(p), 0);
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
  let first: number;
  let last: number;
  if (entry.includes("-")) {
    [first, last] = entry.split("-").map((s) => toInt(s.trim()));
  } else {
    const [ip, bits] = entry.split("/");
    const size = 2 ** (32 - Number(bits));
    first = (toInt(ip) & ~(size - 1)) >>> 0;
    last = first + size - 1;
  }
  return Array.from({ length: last - first + 1 }, (_, i) => toIp(first + i));
}

/** The local-path provisioner's part: a volume for each claim bound to a node, deleted once released. */
async function provisionVolumes(kube: Kube): Promise<void> {
  const claims = await kube.list("/api/v1/persistentvolumeclaims");
  for (const claim of claims) {
    const node = claim.metadata.annotations?.["volume.kubernetes.io/selected-node"];
    const provisioner = claim.metadata.annotations?.["volume.kubernetes.io/storage-provisioner"];
    if (claim.status?.phase !== "Pending" || !node || provisioner !== STORAGE_PROVISIONER || claim.spec.volumeName) continue;
    const res = await kube.call("POST", "/api/v1/persistentvolumes", {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: `pvc-${claim.metadata.uid}`, annotations: { "pv.kubernetes.io/provisioned-by": STORAGE_PROVISIONER } },
      spec: {
        capacity: { storage: claim.spec.resources.requests.storage },
        accessModes: claim.spec.accessModes,
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: claim.spec.storageClassName,
        claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid },
        hostPath: { path: `/var/local-path-provisioner/${claim.metadata.namespace}_${claim.metadata.name}`, type: "DirectoryOrCreate" },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }] } },
      },
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`volume for ${claim.metadata.namespace}/${claim.metadata.name}: ${res.status}`);
  }
  const volumes = await kube.list("/api/v1/persistentvolumes");
  for (const volume of volumes) {
    if (volume.metadata.annotations?.["pv.kubernetes.io/provisioned-by"] !== STORAGE_PROVISIONER) continue;
    if (volume.status?.phase === "Released" || volume.status?.phase === "Failed") await kube.call("DELETE", `/api/v1/persistentvolumes/${volume.metadata.name}`);
  }
}

/** Runs each held Job's effect once, then completes its running pods (the job controller then completes the Job). */
async function runJobEffects(cluster: string, kube: Kube, effects: JobEffect[], done: Set<string>): Promise<void> {
  for (const e of effects) {
    const job = await kube.call("GET", `/apis/batch/v1/namespaces/${e.namespace}/jobs/${e.job}`);
    if (job.status !== 200) continue;
    const key = `${cluster}/${job.body.metadata.uid}`;
    if (!done.has(key)) {
      await e.effect(cluster, kube);
      done.add(key);
    }
    const pods = await kube.list(`/api/v1/namespaces/${e.namespace}/pods?labelSelector=${encodeURIComponent(`job-name=${e.job}`)}`);
    for (const pod of pods.filter((p) => p.status?.phase === "Running")) {
      const now = new Date().toISOString();
      const terminated = (name: string) => ({ name, ready: false, restartCount: 0, image: "", imageID: "", state: { terminated: { exitCode: 0, reason: "Completed", startedAt: now, finishedAt: now } } });
      const status = {
        phase: "Succeeded",
        conditions: [{ type: "Ready", status: "False", reason: "PodCompleted", lastTransitionTime: now }, { type: "ContainersReady", status: "False", reason: "PodCompleted", lastTransitionTime: now }],
        containerStatuses: pod.spec.containers.map((c: { name: string }) => terminated(c.name)),
      };
      const path = `/api/v1/namespaces/${e.namespace}/pods/${pod.metadata.name}/status`;
      const res = await kube.call("PATCH", path, { status }, "application/merge-patch+json");
      if (res.status !== 200) throw new Error(`PATCH ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
  }
}
