/**
 * A real Karmada control plane as local processes, standing in for the pods of the Karmada chart
 * (which KWOK only pretends to run): etcd, karmada-apiserver (a kube-apiserver), the aggregated API
 * server, karmada-controller-manager and karmada-scheduler built from karmada v1.18.2, and the
 * kube-controller-manager the chart runs beside them (namespaces, garbage collection). Flags follow
 * the chart's templates at v1.18.2; the controller manager's feature gates and extra arguments
 * come from the program's own chart values (karmadaValues). Differences: no karmada-webhook
 * (webhook admission off), no scheduler estimator, descheduler, search or metrics adapter, and
 * members reached through the simulation's tunnel (tunnel.ts).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { parseAllDocuments } from "yaml";
import { karmadaValues } from "../../components/management/karmada/control-plane";
import { freePort, firstAddress, kubeconfigText } from "./cluster";
import type { SimBinaries } from "./fleet";
import { type Kube, kubeFromKubeconfig } from "./kube";
import { base64File, certificateAuthority, leafCertificate, serviceAccountKeys } from "./pki";
import { startProcess, stopRecorded, waitFor } from "./processes";

/** karmada-apiserver's in-cluster name, which the chart's kubeconfig Secret points at. */
const IN_CLUSTER_SERVER = "https://karmada-apiserver.karmada-system.svc.cluster.local:5443";
const SERVICE_RANGE = "10.96.0.0/12";
const AGGREGATED_SERVICE = "karmada-aggregated-apiserver";
const READY_TIMEOUT_MS = 180_000;

export interface KarmadaPlane {
  /** The admin kubeconfig as the chart's pre-install job writes it into `karmada-kubeconfig`. */
  chartKubeconfig: string;
  /** A client of the Karmada API on its loopback port. */
  kube: Kube;
}

/**
 * Starts the plane in `dir`, karmada-apiserver on 127.0.0.1:`port`, answering to `hosts` too (the
 * names the program's certificate hosts add), and waits (bounded) until Karmada's API groups serve.
 */
export async function startKarmada(dir: string, port: number, hosts: string[], bin: SimBinaries, tunnelPort: number): Promise<KarmadaPlane> {
  mkdirSync(dir, { recursive: true });
  const pki = join(dir, "pki");
  const ca = certificateAuthority(pki, "server-ca", "karmada");
  const frontProxyCa = certificateAuthority(pki, "front-proxy-ca", "front-proxy-ca");
  const serving = leafCertificate(pki, "apiserver", ca, {
    commonName: "karmada-apiserver",
    usage: "server",
    dnsNames: ["localhost", "karmada-apiserver.karmada-system.svc", "karmada-apiserver.karmada-system.svc.cluster.local", ...hosts.filter((h) => !/^[0-9.]+$/.test(h))],
    ipAddresses: ["127.0.0.1", firstAddress(SERVICE_RANGE)],
  });
  const aggregatedServing = leafCertificate(pki, "aggregated", ca, {
    commonName: AGGREGATED_SERVICE,
    usage: "server",
    dnsNames: ["localhost", `${AGGREGATED_SERVICE}.karmada-system.svc`],
    ipAddresses: ["127.0.0.1"],
  });
  const frontProxyClient = leafCertificate(pki, "front-proxy-client", frontProxyCa, { commonName: "front-proxy-client", usage: "client" });
  const admin = leafCertificate(pki, "admin", ca, { commonName: "system:admin", organization: "system:masters", usage: "client" });
  const sa = serviceAccountKeys(pki);
  const server = `https://127.0.0.1:${port}`;
  const adminKubeconfig = kubeconfigText("karmada-apiserver", server, ca.cert, admin);
  const kubeconfig = join(dir, "admin.kubeconfig");
  writeFileSync(kubeconfig, adminKubeconfig, { mode: 0o600 });

  const [etcdClient, etcdPeer, aggregatedPort] = [await freePort(), await freePort(), await freePort()];
  const probes = async () => [`--metrics-bind-address=127.0.0.1:${await freePort()}`, `--health-probe-bind-address=127.0.0.1:${await freePort()}`];
  startProcess(dir, "etcd", bin.etcd, [
    `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
    "--unsafe-no-fsync",
  ]);
  startProcess(dir, "karmada-apiserver", bin.karmadaApiserver, [
    "--allow-privileged=true",
    "--authorization-mode=Node,RBAC",
    `--client-ca-file=${ca.cert}`,
    // The chart's, plus webhook admission: karmada-webhook does not run here.
    "--disable-admission-plugins=StorageObjectInUseProtection,ServiceAccount,MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
    "--enable-bootstrap-token-auth=true",
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${sa.pub}`,
    `--service-account-signing-key-file=${sa.key}`,
    `--service-cluster-ip-range=${SERVICE_RANGE}`,
    `--proxy-client-cert-file=${frontProxyClient.cert}`,
    `--proxy-client-key-file=${frontProxyClient.key}`,
    "--requestheader-allowed-names=front-proxy-client",
    `--requestheader-client-ca-file=${frontProxyCa.cert}`,
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-username-headers=X-Remote-User",
    `--tls-cert-file=${serving.cert}`,
    `--tls-private-key-file=${serving.key}`,
    "--enable-priority-and-fairness=false",
  ]);
  const kube = kubeFromKubeconfig(adminKubeconfig);
  await waitFor("karmada-apiserver ready", READY_TIMEOUT_MS, async () => ((await kube.call("GET", "/readyz")).status === 200 ? true : undefined));
  await installCrdsAndAggregation(kube, bin.karmadaModule, aggregatedPort, ca.cert);

  startProcess(dir, "karmada-aggregated-apiserver", bin.karmadaAggregatedApiserver, [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    "--etcd-prefix=/registry",
    `--tls-cert-file=${aggregatedServing.cert}`,
    `--tls-private-key-file=${aggregatedServing.key}`,
    "--audit-log-path=-",
    "--tls-min-version=VersionTLS13",
    "--bind-address=127.0.0.1",
    `--secure-port=${aggregatedPort}`,
  ]);
  startProcess(dir, "kube-controller-manager", bin.kubeControllerManager, [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    "--secure-port=0",
    `--client-ca-file=${ca.cert}`,
    "--cluster-name=karmada",
    `--cluster-signing-cert-file=${ca.cert}`,
    `--cluster-signing-key-file=${ca.key}`,
    // The chart's kubeControllerManager.controllers default.
    "--controllers=namespace,garbagecollector,serviceaccount-token,ttl-after-finished,bootstrapsigner,tokencleaner,csrcleaner,csrsigning,clusterrole-aggregation",
    "--leader-elect=false",
    `--root-ca-file=${ca.cert}`,
    `--service-account-private-key-file=${sa.key}`,
    `--service-cluster-ip-range=${SERVICE_RANGE}`,
    "--use-service-account-credentials=true",
  ]);
  // Members are reached at their internal endpoints, through the tunnel; Karmada's own API on loopback is never proxied.
  const proxied = { ...process.env, HTTPS_PROXY: `http://127.0.0.1:${tunnelPort}`, NO_PROXY: "127.0.0.1,localhost" };
  startProcess(dir, "karmada-controller-manager", bin.karmadaControllerManager, [
    `--kubeconfig=${kubeconfig}`,
    "--cluster-status-update-frequency=10s",
    "--leader-elect=false",
    ...(await probes()),
    ...controllerManagerFlags(),
  ], proxied);
  startProcess(dir, "karmada-scheduler", bin.karmadaScheduler, [
    `--kubeconfig=${kubeconfig}`,
    "--leader-elect=false",
    ...(await probes()),
    "--enable-scheduler-estimator=false",
  ]);
  await waitFor("Karmada's cluster API (the aggregated API server)", READY_TIMEOUT_MS, async () =>
    (await kube.call("GET", "/apis/cluster.karmada.io/v1alpha1/clusters")).status === 200 ? true : undefined,
  );
  const chartKubeconfig = kubeconfigText("karmada-apiserver", IN_CLUSTER_SERVER, ca.cert, admin);
  return { chartKubeconfig, kube };
}

export async function stopKarmada(dir: string): Promise<void> {
  await stopRecorded(dir);
}

/**
 * The feature gates and extra arguments the program gives karmada-controller-manager through the
 * chart (`controllerManager.featureGates`, `controllerManager.extraCommandArgs`), as the chart turns
 * them into flags.
 */
export function controllerManagerFlags(): string[] {
  const values = karmadaValues({ service: { type: "NodePort", nodePort: 0, annotations: {} }, tlsNames: [], dependsOn: [], address: () => undefined as never });
  const cm = values.controllerManager as { featureGates?: Record<string, boolean>; extraCommandArgs?: Record<string, string> };
  const gates = Object.entries(cm.featureGates ?? {}).map(([k, v]) => `${k}=${v}`);
  return [...(gates.length ? [`--feature-gates=${gates.join(",")}`] : []), ...Object.entries(cm.extraCommandArgs ?? {}).map(([k, v]) => `--${k}=${v}`)];
}

/** What the chart's post-install job does: Karmada's CRDs, its namespaces, and the aggregated API's registration. */
async function installCrdsAndAggregation(kube: Kube, module: string, aggregatedPort: number, caFile: string): Promise<void> {
  const create = async (path: string, body: unknown) => {
    const res = await kube.call("POST", path, body);
    if (res.status !== 201 && res.status !== 409) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  };
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
