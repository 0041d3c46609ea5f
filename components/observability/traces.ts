import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshMode } from "../../plan";
import type { Cluster, ObjectBucket } from "../cluster";
import { chartSource, OTEL_COLLECTOR_CHART, TEMPO_CHART } from "../versions";
import { collectorValues, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "./collector";

export interface FleetTracesArgs {
  /** The management cluster: Tempo runs there, next to the Grafana that queries it. */
  host: Cluster;
  /** Workload clusters: each runs an OpenTelemetry Collector that its mesh sends spans to. */
  clusters: Cluster[];
  /**
   * The mesh's data plane. Both modes get the same objects; in `ambient` spans come only from
   * waypoints and gateways (ztunnel is L4), in `sidecar` from every sidecar too.
   */
  meshMode: MeshMode;
  /** How long Tempo keeps traces (a Go duration). Default `"72h"`. */
  retention?: string;
  /** Share of requests traced, mesh-wide, in percent: `traces.samplingPercent`, whose default (1) is the plan's. */
  samplingPercent: number;
  /** What each Telemetry waits for: the mesh (Istio's CRDs, istiod with `tracingMeshConfig()`). Default none. */
  meshReady?: pulumi.Resource[];
}

const NAMESPACE = "tracing";
/** Tempo's release; its fullname is the release name, which contains the chart's name. */
const TEMPO = "tempo";
/** Tempo's HTTP API (queries), on the chart's Service (templates/_ports.tpl, `tempo-prom-metrics`). */
const TEMPO_QUERY_PORT = 3200;
/** Our Service in front of Tempo's OTLP gRPC receiver, for the other clusters. */
const TEMPO_OTLP_SERVICE = "tempo-otlp";
const COLLECTOR_RELEASE = "otel";
/** The name istiod's meshConfig and the Telemetry objects know the collector by. */
export const TRACING_PROVIDER = "otel-tracing";

/**
 * A chart's `<chart>.fullname` helper without overrides (tempo and opentelemetry-collector have
 * the same one): the release name if it contains the chart's name, else `<release>-<chart>`.
 */
export function helmFullname(release: string, chart: string): string {
  return (release.includes(chart) ? release : `${release}-${chart}`).slice(0, 63).replace(/-+$/, "");
}

/** The collector's Service in its own cluster (named after the chart's fullname: templates/service.yaml). */
export const COLLECTOR_HOST = `${helmFullname(COLLECTOR_RELEASE, OTEL_COLLECTOR_CHART.chart)}.${NAMESPACE}.svc.cluster.local`;
/** Tempo's query API inside the management cluster: Grafana's and Kiali's. */
export const TEMPO_QUERY_URL = `http://${helmFullname(TEMPO, TEMPO_CHART.chart)}.${NAMESPACE}.svc.cluster.local:${TEMPO_QUERY_PORT}`;

/**
 * Fleet traces: Tempo (one binary) on the management cluster, behind a Service the workload
 * clusters reach; an OpenTelemetry Collector on every workload cluster that stamps spans with
 * the cluster's name and forwards them to Tempo; and, per workload cluster, the mesh-wide
 * Telemetry that turns Istio's tracing on, created once its collector exists (istiod drops a
 * tracing provider whose Service it cannot find).
 */
export class FleetTraces extends pulumi.ComponentResource {
  /** `host:port` of Tempo's OTLP gRPC receiver, as the workload clusters reach it. */
  readonly otlpEndpoint: pulumi.Output<string>;
  /** Tempo's query API inside the management cluster, for Grafana (`tempoDataSource`). */
  readonly queryUrl: string;
  /** What emits spans in this mesh mode. */
  readonly spanSources: string[];

  constructor(name: string, args: FleetTracesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:FleetTraces", name, {}, opts);
    const { host } = args;
    const inHost = { parent: this, provider: host.provider };
    this.queryUrl = TEMPO_QUERY_URL;
    this.spanSources = args.meshMode === "ambient" ? ["waypoints", "gateways"] : ["sidecars", "gateways"];

    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: NAMESPACE } }, inHost);
    // The chart's ServiceAccount is named after its fullname (templates/_helpers.tpl, serviceAccountName).
    const bucket = host.objectStorage?.bucket({ purpose: "traces", namespace: NAMESPACE, serviceAccount: TEMPO });
    new k8s.helm.v3.Release(
      `${name}-tempo`,
      {
        name: TEMPO,
        namespace: namespace.metadata.name,
        ...chartSource(TEMPO_CHART),
        values: tempoValues(host, args.retention ?? "72h", bucket),
      },
      { ...inHost, dependsOn: [namespace, ...(bucket?.ready ?? []), ...(host.persistentStorage?.ready ?? [])] },
    );

    // The chart has no nodePort value: the Service the cluster's answer describes is ours. It
    // selects the pods, not the release: a cloud load balancer comes up while Tempo installs.
    const reach = host.reach({ service: "tempo", port: OTLP_GRPC_PORT, audience: "fleet" });
    const { type, nodePort, annotations } = reach.service;
    const otlp = new k8s.core.v1.Service(
      `${name}-tempo-otlp`,
      {
        metadata: { name: TEMPO_OTLP_SERVICE, namespace: NAMESPACE, ...(type === "LoadBalancer" ? { annotations } : {}) },
        spec: {
          type,
          selector: tempoSelector(),
          ports: [{ name: "grpc-otlp", protocol: "TCP", port: OTLP_GRPC_PORT, targetPort: OTLP_GRPC_PORT, ...(nodePort === undefined ? {} : { nodePort }) }],
        },
      },
      { ...inHost, dependsOn: [namespace, ...reach.dependsOn] },
    );
    this.otlpEndpoint = reach
      .address({ name: `${name}-tempo-otlp-address`, creator: otlp, id: `${NAMESPACE}/${TEMPO_OTLP_SERVICE}`, parent: this })
      .apply(({ host: at, port }) => `${at}:${port}`);

    for (const cluster of args.clusters) {
      const inCluster = { parent: this, provider: cluster.provider };
      const clusterNamespace = new k8s.core.v1.Namespace(`${name}-${cluster.name}-namespace`, { metadata: { name: NAMESPACE } }, inCluster);
      const collector = new k8s.helm.v3.Release(
        `${name}-${cluster.name}-collector`,
        {
          name: COLLECTOR_RELEASE,
          namespace: clusterNamespace.metadata.name,
          ...chartSource(OTEL_COLLECTOR_CHART),
          values: collectorValues(cluster.name, this.otlpEndpoint),
        },
        { ...inCluster, dependsOn: [clusterNamespace] },
      );
      new k8s.apiextensions.CustomResource(`${name}-${cluster.name}-telemetry`, meshTelemetry(args.samplingPercent), {
        ...inCluster,
        dependsOn: [collector, ...(args.meshReady ?? [])],
      });
    }
    this.registerOutputs({ otlpEndpoint: this.otlpEndpoint, queryUrl: this.queryUrl, spanSources: this.spanSources });
  }
}

/** The labels of Tempo's pods (templates/_helpers.tpl, `tempo.selectorLabels`). */
export function tempoSelector(): Record<string, string> {
  return { "app.kubernetes.io/name": TEMPO_CHART.chart, "app.kubernetes.io/instance": TEMPO };
}

/**
 * Tempo, one binary, OTLP in: traces in the cloud's bucket where there is one (credentials from
 * the ServiceAccount's annotations), else on the node. The WAL (and local traces) sit on a volume
 * of the host's StorageClass when it has one; on kind on an emptyDir, which outlives a container
 * restart but not the pod: acceptable for a dev fleet's traces.
 */
export function tempoValues(host: Cluster, retention: string, bucket?: ObjectBucket) {
  const storage = host.persistentStorage;
  return {
    tempo: {
      retention,
      receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` }, http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } } },
      storage: {
        trace: bucket
          ? { backend: "s3", s3: { bucket: bucket.name, endpoint: `s3.${bucket.region}.amazonaws.com`, region: bucket.region } }
          : { backend: "local" },
      },
      ...(storage ? {} : { extraVolumeMounts: [{ name: "storage", mountPath: "/var/tempo" }] }),
    },
    ...(bucket ? { serviceAccount: { annotations: bucket.serviceAccountAnnotations } } : {}),
    ...(storage ? { persistence: { enabled: true, storageClassName: storage.storageClassName } } : { extraVolumes: [{ name: "storage", emptyDir: {} }] }),
  };
}

/**
 * What istiod's `meshConfig` must add on every workload cluster (merge into the istiod values):
 * the collector as an OpenTelemetry tracing provider, and the collectors' namespace kept
 * cluster-local. Without `clusterLocal`, each cluster's collector Service is one global service
 * of the multi-primary mesh, and a proxy's spans may reach another cluster's collector and be
 * stamped with that cluster's name.
 */
export function tracingMeshConfig() {
  return {
    extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: COLLECTOR_HOST, port: OTLP_GRPC_PORT } }],
    serviceSettings: [{ settings: { clusterLocal: true }, hosts: [`*.${NAMESPACE}.svc.cluster.local`] }],
  };
}

/**
 * The mesh-wide Telemetry (root namespace) that sends `samplingPercent` percent of requests'
 * spans to the `otel-tracing` provider. In sidecar mode every sidecar and gateway reports; in
 * ambient mode ztunnel is L4 only and reports no spans: they come from waypoints and gateways
 * alone, so a workload without a waypoint is traced only at the gateways. Apps must still
 * propagate the trace headers for spans to join into one trace.
 */
export function meshTelemetry(samplingPercent: number) {
  return {
    apiVersion: "telemetry.istio.io/v1",
    kind: "Telemetry",
    metadata: { name: "mesh-default", namespace: "istio-system" },
    spec: { tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: samplingPercent }] },
  };
}

/**
 * Tempo as a Grafana data source (an entry of kube-prometheus-stack's
 * `grafana.additionalDataSources`), linking spans to the Loki data source (uid `loki`) by
 * cluster and namespace: `k8s.cluster.name` is stamped by the collectors, `istio.namespace` by
 * Istio's proxies. Spans carry no pod name, so logs are not narrowed to a pod.
 */
export function tempoDataSource(queryUrl: string) {
  return {
    name: "Tempo", type: "tempo", uid: "tempo", access: "proxy", url: queryUrl,
    jsonData: {
      tracesToLogsV2: {
        datasourceUid: "loki",
        spanStartTimeShift: "-5m",
        spanEndTimeShift: "5m",
        tags: [{ key: "k8s.cluster.name", value: "cluster" }, { key: "istio.namespace", value: "namespace" }],
        filterByTraceID: false,
        filterBySpanID: false,
      },
    },
  };
}
