/**
 * A real Karmada control plane as local processes, standing in for the pods of the Karmada chart
 * (which KWOK only pretends to run): etcd, karmada-apiserver (a kube-apiserver), karmada-webhook,
 * the aggregated API server, karmada-controller-manager and karmada-scheduler built from karmada
 * v1.18.2, and the kube-controller-manager the chart runs beside them (namespaces, garbage
 * collection). Each runs with the flags the chart rendered for it in the program's release (the
 * program's feature gates, extra arguments and post-renderer included), but for those naming
 * paths and addresses inside its pod; the webhook configurations are the chart's own. Not run:
 * the components the program leaves off (scheduler estimator, descheduler, search, metrics
 * adapter); members are reached through the simulation's tunnel (tunnel.ts).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { request as httpsRequest } from "https";
import { join } from "path";
import { etcdArgs } from "../engines/support/api-server";
import { parseAllDocuments } from "yaml";
import { WATCH_LIST_OFF } from "./cluster";
import type { SimBinaries } from "./fleet";
import { type Kube, kubeFromKubeconfig, type KubeObject } from "./kube";
import { base64File, certificateAuthority, firstAddress, kubeconfigFlags, kubeconfigText, leafCertificate, serviceAccountKeys } from "./pki";
import { freePort, startProcess, stopRecorded, waitFor } from "./processes";
import { containerCommand, renderedFlags } from "./release";

const SERVICE_RANGE = "10.96.0.0/12";
const AGGREGATED_SERVICE = "karmada-aggregated-apiserver";
const READY_TIMEOUT_MS = 180_000;

export interface KarmadaPlane {
  /**
   * The values the chart's pre-install job fills its placeholders with (`{{ ca_crt }}`…), base64:
   * the CA, and one certificate (the chart's `karmada.crt`) that serves and is the admin client.
   */
  placeholders: Record<string, string>;
  /** A client of the Karmada API on its loopback port. */
  kube: Kube;
}

/** What the plane takes from the chart's release in the host cluster. */
export interface KarmadaRelease {
  /** The release's rendered (and post-rendered) objects: each component's flags. */
  objects: any[];
  /** The static resources the chart's jobs apply to the Karmada API (its `<name>-static-resources` ConfigMap), CA placeholder included. */
  staticResources: Record<string, string>;
}

/** Flags naming paths, ports and addresses inside a component's pod: set here for a local process. */
const POD_FLAGS = [
  "kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig", "bind-address", "secure-port", "cert-dir", "metrics-bind-address",
  "health-probe-bind-address", "client-ca-file", "cluster-signing-cert-file", "cluster-signing-key-file", "root-ca-file",
  "service-account-private-key-file", "service-account-key-file", "service-account-signing-key-file", "etcd-cafile", "etcd-certfile",
  "etcd-keyfile", "etcd-servers", "etcd-prefix", "tls-cert-file", "tls-private-key-file", "proxy-client-cert-file", "proxy-client-key-file",
  "requestheader-client-ca-file", "scheduler-estimator-ca-file", "scheduler-estimator-cert-file", "scheduler-estimator-key-file", "v",
];

/**
 * Starts the plane in `dir`, karmada-apiserver on 127.0.0.1:`port`, answering to `hosts` too (the
 * cluster's node names), each component with the flags the chart rendered for it, and waits
 * (bounded) until Karmada's webhook and API groups serve.
 */
export async function startKarmada(dir: string, port: number, hosts: string[], bin: SimBinaries, tunnelPort: number, release: KarmadaRelease): Promise<KarmadaPlane> {
  mkdirSync(dir, { recursive: true });
  const pki = join(dir, "pki");
  const ca = certificateAuthority(pki, "server-ca", "karmada");
  const frontProxyCa = certificateAuthority(pki, "front-proxy-ca", "front-proxy-ca");
  // As the chart's job makes it: one certificate for every server of the plane and the admin client.
  const karmada = leafCertificate(pki, "karmada", ca, {
    commonName: "system:admin",
    organization: "system:masters",
    usage: "both",
    dnsNames: ["localhost", ...["apiserver", "aggregated-apiserver", "webhook"].flatMap((c) => [`karmada-${c}.karmada-system.svc`, `karmada-${c}.karmada-system.svc.cluster.local`]), ...hosts],
    ipAddresses: ["127.0.0.1", firstAddress(SERVICE_RANGE)],
  });
  const webhookDir = join(pki, "webhook");
  mkdirSync(webhookDir, { recursive: true });
  copyFileSync(karmada.cert, join(webhookDir, "tls.crt"));
  copyFileSync(karmada.key, join(webhookDir, "tls.key"));
  const frontProxyClient = leafCertificate(pki, "front-proxy-client", frontProxyCa, { commonName: "front-proxy-client", organization: "system:masters", usage: "client" });
  const sa = serviceAccountKeys(pki);
  const server = `https://127.0.0.1:${port}`;
  const adminKubeconfig = kubeconfigText("karmada-apiserver", server, ca.cert, karmada);
  const kubeconfig = join(dir, "admin.kubeconfig");
  writeFileSync(kubeconfig, adminKubeconfig, { mode: 0o600 });
  const flags = (deployment: string) => renderedFlags(containerCommand(release.objects, `karmada-${deployment}`), POD_FLAGS);
  const probes = async () => [`--metrics-bind-address=127.0.0.1:${await freePort()}`, `--health-probe-bind-address=127.0.0.1:${await freePort()}`];

  const [etcdClient, etcdPeer, aggregatedPort, webhookPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  startProcess(dir, "etcd", bin.etcd, etcdArgs(join(dir, "etcd"), etcdClient, etcdPeer));
  startProcess(dir, "karmada-apiserver", bin.karmadaApiserver, [
    ...flags("apiserver"),
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    `--client-ca-file=${ca.cert}`,
    `--tls-cert-file=${karmada.cert}`,
    `--tls-private-key-file=${karmada.key}`,
    `--service-account-key-file=${sa.pub}`,
    `--service-account-signing-key-file=${sa.key}`,
    `--proxy-client-cert-file=${frontProxyClient.cert}`,
    `--proxy-client-key-file=${frontProxyClient.key}`,
    `--requestheader-client-ca-file=${frontProxyCa.cert}`,
    WATCH_LIST_OFF,
  ]);
  const kube = kubeFromKubeconfig(adminKubeconfig);
  await waitFor("karmada-apiserver ready", READY_TIMEOUT_MS, async () => ((await kube.call("GET", "/readyz")).status === 200 ? true : undefined));
  await installCrdsAndAggregation(kube, bin.karmadaModule, aggregatedPort, ca.cert);

  startProcess(dir, "karmada-webhook", bin.karmadaWebhook, [
    ...flags("webhook"), `--kubeconfig=${kubeconfig}`, "--bind-address=127.0.0.1", `--secure-port=${webhookPort}`, `--cert-dir=${webhookDir}`, ...(await probes()),
  ]);
  await waitFor("karmada-webhook serving", READY_TIMEOUT_MS, () => answers(webhookPort));
  await applyStaticResources(kube, release.staticResources, base64File(ca.cert), webhookPort);

  startProcess(dir, "karmada-aggregated-apiserver", bin.karmadaAggregatedApiserver, [
    ...flags("aggregated-apiserver"),
    ...kubeconfigFlags(kubeconfig),
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    `--tls-cert-file=${karmada.cert}`,
    `--tls-private-key-file=${karmada.key}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${aggregatedPort}`,
  ]);
  startProcess(dir, "kube-controller-manager", bin.kubeControllerManager, [
    ...flags("kube-controller-manager"),
    ...kubeconfigFlags(kubeconfig),
    "--bind-address=127.0.0.1",
    "--secure-port=0",
    `--client-ca-file=${ca.cert}`,
    `--cluster-signing-cert-file=${ca.cert}`,
    `--cluster-signing-key-file=${ca.key}`,
    `--root-ca-file=${ca.cert}`,
    `--service-account-private-key-file=${sa.key}`,
  ]);
  // Members are reached at their internal endpoints, through the tunnel; Karmada's own API on loopback is never proxied.
  const proxied = { ...process.env, HTTPS_PROXY: `http://127.0.0.1:${tunnelPort}`, NO_PROXY: "127.0.0.1,localhost" };
  startProcess(dir, "karmada-controller-manager", bin.karmadaControllerManager, [...flags("controller-manager"), `--kubeconfig=${kubeconfig}`, ...(await probes())], proxied);
  startProcess(dir, "karmada-scheduler", bin.karmadaScheduler, [...flags("scheduler"), `--kubeconfig=${kubeconfig}`, ...(await probes())]);
  await waitFor("Karmada's cluster API (the aggregated API server)", READY_TIMEOUT_MS, async () =>
    (await kube.call("GET", "/apis/cluster.karmada.io/v1alpha1/clusters")).status === 200 ? true : undefined,
  );
  const placeholders = {
    ca_crt: base64File(ca.cert), ca_key: base64File(ca.key), crt: base64File(karmada.cert), key: base64File(karmada.key),
    front_proxy_ca_crt: base64File(frontProxyCa.cert), front_proxy_crt: base64File(frontProxyClient.cert), front_proxy_key: base64File(frontProxyClient.key),
  };
  return { placeholders, kube };
}

/** Whether something serves TLS on the loopback port (any HTTP answer: karmada-webhook has no health path). */
function answers(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const req = httpsRequest({ host: "127.0.0.1", port, path: "/", rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/**
 * What the chart's jobs apply to the Karmada API from its static resources: the webhook
 * configurations (their CA filled in, their URLs the local webhook's), the system namespace,
 * the cluster roles and bootstrap-token RBAC. Its APIService is ours (installCrdsAndAggregation).
 */
async function applyStaticResources(kube: Kube, resources: Record<string, string>, caBundle: string, webhookPort: number): Promise<void> {
  for (const [file, text] of Object.entries(resources)) {
    if (file.includes("apiservice")) continue;
    const filled = text.replace(/\{\{ ca_crt \}\}/g, caBundle).replace(/https:\/\/karmada-webhook\.karmada-system\.svc:443/g, `https://localhost:${webhookPort}`);
    for (const object of parseAllDocuments(filled).map((d) => d.toJS()).filter(Boolean)) await kube.put(collectionPath(object), object);
  }
}

/** The REST collection of an object (the kinds the static resources hold). */
function collectionPath(object: { apiVersion: string; kind: string; metadata: { namespace?: string } }): string {
  const plural: Record<string, string> = {
    Namespace: "namespaces", ClusterRole: "clusterroles", ClusterRoleBinding: "clusterrolebindings", Role: "roles", RoleBinding: "rolebindings",
    MutatingWebhookConfiguration: "mutatingwebhookconfigurations", ValidatingWebhookConfiguration: "validatingwebhookconfigurations", ConfigMap: "configmaps",
  };
  if (!plural[object.kind]) throw new Error(`Karmada's static resources hold a ${object.kind}, which the simulation does not apply`);
  const base = object.apiVersion === "v1" ? "/api/v1" : `/apis/${object.apiVersion}`;
  return `${base}${object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : ""}/${plural[object.kind]}`;
}

export async function stopKarmada(dir: string): Promise<void> {
  await stopRecorded(dir);
}

/** What the chart's post-install job does: Karmada's CRDs, its namespaces, and the aggregated API's registration. */
async function installCrdsAndAggregation(kube: Kube, module: string, aggregatedPort: number, caFile: string): Promise<void> {
  // A restarted plane keeps its etcd: what names a port is replaced, the rest created once.
  const create = (path: string, body: KubeObject) => kube.put(path, body);
  const crds = yamlFiles(join(module, "charts", "karmada", "_crds", "bases")).flatMap((f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS()).filter((d) => d?.kind === "CustomResourceDefinition"));
  for (const crd of crds) await create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  await waitFor("Karmada's CRDs established", READY_TIMEOUT_MS, async () => {
    const list = await kube.list("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    const established = list.filter((c) => c.status?.conditions?.some((x: { type: string; status: string }) => x.type === "Established" && x.status === "True"));
    return established.length >= crds.length ? true : undefined;
  });
  for (const ns of ["karmada-system", "karmada-cluster"]) await create("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  // As the chart registers it: a Service in Karmada's own API, ExternalName, which the aggregator dials.
  await create("/api/v1/namespaces/karmada-system/services", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: AGGREGATED_SERVICE, namespace: "karmada-system" },
    spec: { type: "ExternalName", externalName: "localhost", ports: [{ port: aggregatedPort, protocol: "TCP" }] },
  });
  await create("/apis/apiregistration.k8s.io/v1/apiservices", {
    apiVersion: "apiregistration.k8s.io/v1",
    kind: "APIService",
    metadata: { name: "v1alpha1.cluster.karmada.io" },
    spec: {
      group: "cluster.karmada.io",
      version: "v1alpha1",
      groupPriorityMinimum: 2000,
      versionPriority: 10,
      service: { namespace: "karmada-system", name: AGGREGATED_SERVICE, port: aggregatedPort },
      caBundle: base64File(caFile),
    },
  });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? yamlFiles(path) : entry.endsWith(".yaml") ? [path] : [];
  });
}
