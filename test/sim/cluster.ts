/**
 * One simulated kind cluster: etcd, kube-apiserver, kube-controller-manager and kube-scheduler,
 * built from k8s.io/kubernetes, and KWOK, which plays the kubelet of fake nodes (pods become
 * Running and Ready, Job pods Succeeded, without running anything). It is made from the very kind
 * config the program renders: its name, API port, pod and service ranges, nodes and their labels,
 * and port mappings. Differences from kind, on purpose: no admission webhooks (nothing would
 * answer them), no CNI, kube-proxy or CoreDNS, and a default StorageClass whose volumes the
 * simulation's provisioner binds (controllers.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { etcdArgs } from "../engines/support/api-server";
import { parse } from "yaml";
import { clusterDir, type SimBinaries } from "./fleet";
import { kubeFromKubeconfig } from "./kube";
import { inventory } from "./leftovers";
import { createDefaultStorageClass, nodeNames, registerNodes } from "./nodes";
import { certificateAuthority, firstAddress, kubeconfigFlags, kubeconfigText, leafCertificate, serviceAccountKeys } from "./pki";
import { freePort, startProcess, stopRecorded, waitFor } from "./processes";

/** What the simulation reads of a kind config (kind.x-k8s.io/v1alpha4). */
export interface KindConfig {
  name: string;
  networking: { apiServerAddress?: string; apiServerPort: number; podSubnet: string; serviceSubnet: string };
  nodes: { role: "control-plane" | "worker"; labels?: Record<string, string>; extraPortMappings?: { containerPort: number; hostPort: number; listenAddress?: string }[] }[];
}

/** What the fleet keeps of a running simulated cluster. */
export interface ClusterRecord {
  name: string;
  config: KindConfig;
  /** The admin kubeconfig, as `kind get kubeconfig` prints it. */
  kubeconfig: string;
  /** The API server, on loopback. */
  server: string;
  nodes: string[];
}

/**
 * Every API server here: Debian's etcd 3.4 has no watch progress requests, so the WatchList
 * streaming lists of recent Kubernetes are refused and clients (kwok, controllers) fall back to
 * relisting with growing back-off, which turns seconds into minutes.
 */
export const WATCH_LIST_OFF = "--feature-gates=WatchList=false";

/** How long a simulated cluster may take to serve and have its nodes Ready (kind's `--wait`). */
const READY_TIMEOUT_MS = 180_000;

export function parseKindConfig(text: string): KindConfig {
  const config = parse(text) as KindConfig;
  if (config?.networking?.apiServerPort === undefined) throw new Error("kind config: networking.apiServerPort is required in the simulation");
  return config;
}

export function readRecord(name: string, state?: string): ClusterRecord | undefined {
  const file = join(clusterDir(name, state), "cluster.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/** Starts a simulated cluster from a kind config and waits (bounded) until it serves and its nodes are Ready. */
export async function createCluster(config: KindConfig, bin: SimBinaries): Promise<ClusterRecord> {
  const dir = clusterDir(config.name);
  if (existsSync(join(dir, "cluster.json"))) throw new Error(`a simulated cluster named ${config.name} exists`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    return await start(dir, config, bin);
  } catch (error) {
    // A failed create leaves nothing behind, as kind's does without --retain.
    await deleteCluster(config.name);
    throw error;
  }
}

async function start(dir: string, config: KindConfig, bin: SimBinaries): Promise<ClusterRecord> {
  const pki = join(dir, "pki");
  const nodes = nodeNames(config);
  const controlPlane = nodes.find((n) => n.role === "control-plane")!.name;
  const ca = certificateAuthority(pki, "ca", "kubernetes");
  const serviceIp = firstAddress(config.networking.serviceSubnet);
  const serving = leafCertificate(pki, "apiserver", ca, {
    commonName: "kube-apiserver",
    usage: "server",
    dnsNames: [controlPlane, `${config.name}-external-load-balancer`, "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
    ipAddresses: ["127.0.0.1", serviceIp],
  });
  const sa = serviceAccountKeys(pki);
  const client = (name: string, commonName: string, organization?: string) => leafCertificate(pki, name, ca, { commonName, organization, usage: "client" });
  const admin = client("admin", "kubernetes-admin", "system:masters");
  const server = `https://127.0.0.1:${config.networking.apiServerPort}`;
  const kubeconfigOf = (user: { cert: string; key: string }) => kubeconfigText(`kind-${config.name}`, server, ca.cert, user);
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };
  const adminConfig = write("admin.kubeconfig", kubeconfigOf(admin));
  const kcmConfig = write("controller-manager.kubeconfig", kubeconfigOf(client("controller-manager", "system:kube-controller-manager")));
  const schedulerConfig = write("scheduler.kubeconfig", kubeconfigOf(client("scheduler", "system:kube-scheduler")));

  const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
  startProcess(dir, "etcd", bin.etcd, etcdArgs(join(dir, "etcd"), etcdClient, etcdPeer));
  startProcess(dir, "kube-apiserver", bin.kubeApiserver, [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${config.networking.apiServerPort}`,
    `--client-ca-file=${ca.cert}`,
    `--tls-cert-file=${serving.cert}`,
    `--tls-private-key-file=${serving.key}`,
    "--authorization-mode=Node,RBAC",
    // Charts register admission webhooks whose pods never run here: nothing would answer them.
    "--disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
    "--allow-privileged=true",
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${sa.pub}`,
    `--service-account-signing-key-file=${sa.key}`,
    `--service-cluster-ip-range=${config.networking.serviceSubnet}`,
    "--enable-priority-and-fairness=false",
    "--profiling=false",
    WATCH_LIST_OFF,
  ]);
  const kube = kubeFromKubeconfig(readFileSync(adminConfig, "utf8"));
  await waitFor(`${config.name}: kube-apiserver ready`, READY_TIMEOUT_MS, async () => ((await kube.call("GET", "/readyz")).status === 200 ? true : undefined));

  startProcess(dir, "kube-controller-manager", bin.kubeControllerManager, [
    ...kubeconfigFlags(kcmConfig),
    "--bind-address=127.0.0.1",
    "--secure-port=0",
    "--leader-elect=false",
    "--use-service-account-credentials=true",
    `--service-account-private-key-file=${sa.key}`,
    `--root-ca-file=${ca.cert}`,
    `--cluster-signing-cert-file=${ca.cert}`,
    `--cluster-signing-key-file=${ca.key}`,
    "--allocate-node-cidrs=true",
    `--cluster-cidr=${config.networking.podSubnet}`,
    `--service-cluster-ip-range=${config.networking.serviceSubnet}`,
    "--controllers=*,bootstrapsigner,tokencleaner",
  ]);
  startProcess(dir, "kube-scheduler", bin.kubeScheduler, [
    ...kubeconfigFlags(schedulerConfig),
    "--bind-address=127.0.0.1",
    "--secure-port=0",
    "--leader-elect=false",
  ]);
  // kwok also reads ~/.kwok/kwok.yaml: a HOME of its own keeps a workstation's out.
  const kwokHome = join(dir, "kwok-home");
  mkdirSync(kwokHome, { recursive: true });
  startProcess(dir, "kwok", bin.kwok, [
    `--kubeconfig=${adminConfig}`,
    ...bin.kwokStages.map((f) => `--config=${f}`),
    "--manage-all-nodes=false",
    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
    // The lease kwokctl gives its heartbeat stage.
    "--node-lease-duration-seconds=40",
    `--cidr=${config.networking.podSubnet}`,
    "--node-ip=127.0.0.1",
  ], { ...process.env, HOME: kwokHome });

  await registerNodes(kube, config);
  await createDefaultStorageClass(kube);
  await waitFor(`${config.name}: nodes Ready`, READY_TIMEOUT_MS, async () => {
    const list = await kube.list("/api/v1/nodes");
    const ready = list.filter((n) => n.status?.conditions?.some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True"));
    return ready.length === nodes.length ? true : undefined;
  });
  await waitFor(`${config.name}: default ServiceAccount`, READY_TIMEOUT_MS, async () => ((await kube.call("GET", "/api/v1/namespaces/default/serviceaccounts/default")).status === 200 ? true : undefined));

  // What the cluster holds before anything is put in it: what a delete may find beyond it is left over.
  writeFileSync(join(dir, "baseline.json"), JSON.stringify(await inventory(kube)));
  const record: ClusterRecord = { name: config.name, config, kubeconfig: readFileSync(adminConfig, "utf8"), server, nodes: nodes.map((n) => n.name) };
  writeFileSync(join(dir, "cluster.json"), JSON.stringify(record, null, 2));
  return record;
}

/** Stops a simulated cluster's processes and removes its state; a cluster that is not there is no error. */
export async function deleteCluster(name: string): Promise<void> {
  const dir = clusterDir(name);
  await stopRecorded(dir);
  rmSync(dir, { recursive: true, force: true });
}

