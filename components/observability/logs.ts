import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type Cluster, type ObjectBucket, type ServiceShape, serviceUrl, serviceValues } from "../cluster";
import { ALLOY_CHART, chartSource, LOKI_CHART } from "../versions";
import { alloyLogsConfig, PUSH_PASSWORD_ENV } from "./alloy-config";
import { type GatewayUser, gatewayUser, HTPASSWD_KEY, htpasswd, MONITORING_NAMESPACE, passwordFingerprint, sourcesOnly } from "../management";
import { LOKI_READER, LOKI_WRITER, lokiAccessRules } from "./gateway-auth";

export interface FleetLogsArgs {
  /** The management cluster: Loki runs there, next to the Grafana that queries it. */
  host: Cluster;
  /**
   * Every cluster whose pod logs are collected (each runs an Alloy DaemonSet): the workload
   * clusters and, when listed, the management cluster itself.
   */
  clusters: Cluster[];
  /** How long Loki keeps logs, a Loki duration (`168h`, `30d`, `1w`). Default `168h`. */
  retention?: string;
  /** Size of Loki's volume (its WAL and index; the chunks too where there is no object store). Default `10Gi`. */
  volume?: string;
}

const NAMESPACE = "logging";
/** Release name and `fullnameOverride` of Loki: its Services and ServiceAccount are named after it. */
const LOKI = "loki";
const ALLOY = "alloy";
/** Loki's HTTP port (the chart's `loki.server.http_listen_port`). */
const LOKI_PORT = 3100;
/** Port of Loki's gateway Service (the chart's default `gateway.service.port`). */
const GATEWAY_PORT = 80;
/** The chart's gateway Service: `<fullname>-gateway` (loki chart 18.11.0 templates/gateway/service.yaml:5). */
export const LOKI_GATEWAY_SERVICE = `${LOKI}-gateway`;
/** The gateway's htpasswd Secret, and each collector's copy of the writer's password. */
const HTPASSWD_SECRET = "loki-gateway-htpasswd";
const PUSH_SECRET = "loki-push-credentials";
/**
 * Where Loki is queried from inside the management cluster (Grafana): its own Service (the
 * chart's fullname, port 3100), a ClusterIP the other clusters do not reach, so Grafana needs no
 * gateway credential.
 */
export const LOKI_QUERY_URL = `http://${LOKI}.${NAMESPACE}.svc.cluster.local:${LOKI_PORT}`;
/** Where the management cluster's own Alloy pushes: the gateway's Service, with the writer's credential. */
const IN_CLUSTER_PUSH_URL = `http://${LOKI_GATEWAY_SERVICE}.${NAMESPACE}.svc.cluster.local`;
const PUSH_PATH = "/loki/api/v1/push";
/** The first day of Loki's only schema period: a fixed past date, so every run renders the same config. */
const SCHEMA_FROM = "2024-04-01";

/**
 * The fleet's logs: Loki in one binary on the management cluster, its gateway reachable by the
 * other clusters; Grafana Alloy on every listed cluster, pushing each container's logs with its
 * cluster's name. Loki keeps chunks in the cloud's object store where there is one (a bucket
 * through IRSA, no keys), on its volume otherwise; the compactor deletes what is past retention.
 */
export class FleetLogs extends pulumi.ComponentResource {
  /** Where the other clusters' collectors push: Loki's gateway as the fleet reaches it. */
  readonly pushUrl: pulumi.Output<string>;
  /** Loki's URL inside the management cluster, for Grafana's data source (`lokiDataSource`). */
  readonly queryUrl: string;
  /** Loki's query API (`/loki/api/v1/...`) as the fleet reaches it: the gateway, with `reader`. */
  readonly fleetQueryUrl: pulumi.Output<string>;
  /** The gateway's query credential (`loki-reader`; password secret), for readers outside the management cluster. */
  readonly reader: { username: string; password: pulumi.Output<string> };

  constructor(name: string, args: FleetLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:FleetLogs", name, {}, opts);
    const { host } = args;
    const retention = args.retention ?? "168h";
    const volume = args.volume ?? "10Gi";
    // Retention and volume come checked from the plan (`platform:observability`).
    const names = args.clusters.map((c) => c.name);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) throw new Error(`FleetLogs ${name}: clusters listed twice: ${[...new Set(twice)].join(", ")}`);

    const inHost = { parent: this, provider: host.provider };
    const gateway = host.reach({ service: "loki", port: GATEWAY_PORT, audience: "fleet" });
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: NAMESPACE } }, inHost);
    // The chart's ServiceAccount is its fullname when `serviceAccount.name` is unset (templates/_helpers.tpl:166-180).
    const bucket = host.objectStorage?.bucket({ purpose: "logs", namespace: NAMESPACE, serviceAccount: LOKI });
    // The gateway answers the fleet only with a credential: the collectors' to push, the reader's to query.
    const writer = gatewayUser(`${name}-writer-password`, LOKI_WRITER, this);
    const reader = gatewayUser(`${name}-reader-password`, LOKI_READER, this);
    this.reader = { username: reader.name, password: reader.password };
    const users = new k8s.core.v1.Secret(
      `${name}-gateway-htpasswd`,
      { metadata: { name: HTPASSWD_SECRET, namespace: namespace.metadata.name }, stringData: { [HTPASSWD_KEY]: htpasswd([writer, reader]) } },
      inHost,
    );
    const loki = new k8s.helm.v3.Release(
      `${name}-loki`,
      {
        name: LOKI,
        namespace: namespace.metadata.name,
        ...chartSource(LOKI_CHART),
        values: lokiValues({ gateway: gateway.service, retention, volume, storageClassName: host.persistentStorage?.storageClassName, bucket }),
      },
      { ...inHost, dependsOn: [users, ...gateway.dependsOn, ...(host.persistentStorage?.ready ?? []), ...(bucket?.ready ?? [])] },
    );
    // Loki answers its gateway and itself on every port, Grafana on its HTTP port, nobody else:
    // the fleet goes through the gateway's credentials (the chart labels every pod with its release).
    new k8s.networking.v1.NetworkPolicy(
      `${name}-loki-sources`,
      sourcesOnly("loki-sources", NAMESPACE, { "app.kubernetes.io/name": LOKI, "app.kubernetes.io/component": "single-binary" }, [
        { pods: { "app.kubernetes.io/instance": LOKI } },
        { namespace: MONITORING_NAMESPACE, ports: [LOKI_PORT] },
      ]),
      { ...inHost, dependsOn: [namespace] },
    );
    this.queryUrl = LOKI_QUERY_URL;
    const address = gateway.address({ name: `${name}-gateway`, creator: loki, id: `${NAMESPACE}/${LOKI_GATEWAY_SERVICE}`, parent: this });
    this.pushUrl = address.apply((endpoint) => serviceUrl("http", endpoint, PUSH_PATH));
    this.fleetQueryUrl = address.apply((endpoint) => serviceUrl("http", endpoint));

    for (const cluster of args.clusters) {
      const inCluster = { parent: this, provider: cluster.provider };
      const onHost = cluster.name === host.name;
      // The host already has the namespace, Loki's: a second Namespace object would fight over it.
      const alloyNamespace = onHost
        ? namespace
        : new k8s.core.v1.Namespace(`${name}-${cluster.name}-namespace`, { metadata: { name: NAMESPACE } }, inCluster);
      // The management cluster pushes to the gateway's Service directly, not around through its fleet address.
      const pushUrl = onHost ? pulumi.output(`${IN_CLUSTER_PUSH_URL}${PUSH_PATH}`) : this.pushUrl;
      const credentials = pushCredentials(`${name}-${cluster.name}-push-credentials`, alloyNamespace, writer, inCluster);
      new k8s.helm.v3.Release(
        `${name}-${cluster.name}-alloy`,
        {
          name: ALLOY,
          namespace: alloyNamespace.metadata.name,
          ...chartSource(ALLOY_CHART),
          values: alloyValues(pushUrl.apply((url) => alloyLogsConfig(cluster.name, url, LOKI_WRITER)), passwordFingerprint(writer.password)),
        },
        { ...inCluster, dependsOn: [credentials] },
      );
    }
    this.registerOutputs({ pushUrl: this.pushUrl, queryUrl: this.queryUrl, fleetQueryUrl: this.fleetQueryUrl, reader: this.reader });
  }
}

/** The writer's password in a cluster's logging namespace, where its Alloy reads it into the environment. */
function pushCredentials(name: string, namespace: k8s.core.v1.Namespace, writer: GatewayUser, opts: pulumi.CustomResourceOptions) {
  return new k8s.core.v1.Secret(name, { metadata: { name: PUSH_SECRET, namespace: namespace.metadata.name }, stringData: { password: writer.password } }, opts);
}

export interface LokiValuesArgs {
  /** The gateway Service's shape, as the host's `reach` answered. */
  gateway: ServiceShape;
  retention: string;
  volume: string;
  /** The volume's StorageClass; default: the cluster's default class. */
  storageClassName?: string;
  /** The object store's bucket for chunks and rules; default: the volume keeps them. */
  bucket?: ObjectBucket;
}

/**
 * Loki in one binary with one replica and no caches (the chart's memcached asks for ~9.6 GiB),
 * no canary or Helm test (the chart only allows them off together, templates/validate.yaml), one
 * tenant (no `X-Scope-OrgID` needed from collectors) and retention applied by the compactor.
 */
export function lokiValues(args: LokiValuesArgs) {
  const { bucket } = args;
  const objectStore = bucket ? "s3" : "filesystem";
  return {
    fullnameOverride: LOKI,
    deploymentMode: "Monolithic",
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      schemaConfig: {
        configs: [
          { from: SCHEMA_FROM, store: "tsdb", object_store: objectStore, schema: "v13", index: { prefix: "loki_index_", period: "24h" } },
        ],
      },
      // One bucket serves chunks and rules: the ruler keeps its objects under `rules/`, chunks under the tenant.
      storage: bucket
        ? { type: "s3", bucketNames: { chunks: bucket.name, ruler: bucket.name }, s3: { region: bucket.region } }
        : { type: "filesystem" },
      // Loki refuses retention without a store for delete requests.
      compactor: { retention_enabled: true, delete_request_store: objectStore },
      limits_config: { retention_period: args.retention },
    },
    ...(bucket ? { serviceAccount: { annotations: bucket.serviceAccountAnnotations } } : {}),
    singleBinary: {
      replicas: 1,
      persistence: { size: args.volume, ...(args.storageClassName ? { storageClass: args.storageClassName } : {}) },
    },
    // Simple-scalable targets default to 3 replicas each, which monolithic mode refuses.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    gateway: {
      service: { port: GATEWAY_PORT, ...serviceValues(args.gateway) },
      basicAuth: { enabled: true, existingSecret: HTPASSWD_SECRET },
      nginxConfig: lokiAccessRules(),
    },
  };
}

/**
 * Alloy as a DaemonSet with the logs pipeline; no PodLogs CRD, which nothing here uses. It
 * tolerates every taint: the logs of every node, control-plane nodes (kind's keep
 * `node-role.kubernetes.io/control-plane:NoSchedule`) and tainted node groups included. Alloy
 * reads the writer's password into its environment at start, and `loki.write` drops what Loki
 * refuses with a 401: the password's fingerprint on the pods rolls them when it changes.
 */
export function alloyValues(config: pulumi.Input<string>, credentialFingerprint: pulumi.Input<string>) {
  return {
    fullnameOverride: ALLOY,
    crds: { create: false },
    controller: { type: "daemonset", tolerations: [{ operator: "Exists" }], podAnnotations: { "platform/push-credential-sha256": credentialFingerprint } },
    alloy: {
      configMap: { content: config },
      extraEnv: [{ name: PUSH_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: PUSH_SECRET, key: "password" } } }],
    },
  };
}

/**
 * Grafana's data source for the fleet's logs, for kube-prometheus-stack's
 * `grafana.additionalDataSources` (which passes it through `tpl`: no `{{` in it). The fixed uid
 * lets dashboards and other data sources link to it.
 */
export function lokiDataSource(queryUrl: string = LOKI_QUERY_URL) {
  return { name: "Loki", type: "loki", uid: "loki", access: "proxy", url: queryUrl, editable: false };
}
