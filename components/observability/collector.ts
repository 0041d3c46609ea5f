import type * as pulumi from "@pulumi/pulumi";
import { OTEL_COLLECTOR_IMAGE } from "../versions";

/** The OTLP receivers' ports, the collectors' and Tempo's: gRPC, HTTP. */
export const [OTLP_GRPC_PORT, OTLP_HTTP_PORT] = [4317, 4318];

/** Where the collector's persistent send queue lives (file_storage's default directory). */
const QUEUE_DIRECTORY = "/var/lib/otelcol/file_storage";
/**
 * The send queue's bound, in bytes of serialized spans: what a cluster holds while Tempo is
 * away. Past it new spans are refused (the proxies drop them); its volume has room for twice.
 */
export const COLLECTOR_QUEUE_BYTES = 512 * 1024 * 1024;
const QUEUE_VOLUME_LIMIT = "1Gi";

/** Collector ports the chart opens by default for receivers this config does not run. */
const UNUSED_COLLECTOR_PORTS = ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"];

/**
 * The collector of one workload cluster. The whole config is in `alternateConfig`: the chart's
 * default `config` is merged under ours, and its extra receivers could only be removed with
 * nulls, which `helm.v3.Release` drops.
 */
export function collectorValues(clusterName: string, otlpEndpoint: pulumi.Input<string>) {
  return {
    mode: "deployment",
    image: { repository: OTEL_COLLECTOR_IMAGE.repository, tag: OTEL_COLLECTOR_IMAGE.tag },
    command: { name: "otelcol-k8s" },
    ports: Object.fromEntries(UNUSED_COLLECTOR_PORTS.map((port) => [port, { enabled: false }])),
    // A memory limit makes the chart set GOMEMLIMIT, and gives memory_limiter its bound.
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    // The queue outlives a container restart (an OOM kill); not a new pod.
    extraVolumes: [{ name: "send-queue", emptyDir: { sizeLimit: QUEUE_VOLUME_LIMIT } }],
    extraVolumeMounts: [{ name: "send-queue", mountPath: QUEUE_DIRECTORY }],
    alternateConfig: collectorConfig(clusterName, otlpEndpoint),
  };
}

/**
 * OTLP in, the cluster's name stamped on every span, OTLP gRPC out to Tempo through a send queue
 * on disk, retried until Tempo answers: bounded by `COLLECTOR_QUEUE_BYTES`, not by time (the
 * exporter's default gives a batch up after 300 s, from a queue in memory).
 */
export function collectorConfig(clusterName: string, otlpEndpoint: pulumi.Input<string>) {
  return {
    extensions: {
      // The chart's probes call health_check on 13133 (and its NOTES require the extension).
      health_check: { endpoint: "${env:MY_POD_IP}:13133" },
      file_storage: { directory: QUEUE_DIRECTORY },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_GRPC_PORT}` }, http: { endpoint: `\${env:MY_POD_IP}:${OTLP_HTTP_PORT}` } } },
    },
    processors: {
      memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 },
      resource: { attributes: [{ key: "k8s.cluster.name", value: clusterName, action: "upsert" }] },
      batch: {},
    },
    exporters: {
      // Plain gRPC: the path stays inside the fleet's networks (kind's docker network, an
      // internal NLB admitting only the fleet's VPC ranges), and spans carry no secrets.
      otlp_grpc: {
        endpoint: otlpEndpoint,
        tls: { insecure: true },
        sending_queue: { enabled: true, storage: "file_storage", sizer: "bytes", queue_size: COLLECTOR_QUEUE_BYTES },
        retry_on_failure: { enabled: true, max_elapsed_time: 0 },
      },
    },
    service: {
      extensions: ["health_check", "file_storage"],
      pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "resource", "batch"], exporters: ["otlp_grpc"] } },
    },
  };
}
