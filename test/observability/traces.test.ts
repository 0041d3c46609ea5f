import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import { readFileSync } from "fs";
import { join } from "path";
import type { BucketRequest, Cluster, ServiceRead } from "../../components/cluster";
import { FleetTraces, meshTelemetry, tempoDataSource, tracingMeshConfig } from "../../components/observability/traces";
import { unknownValuePaths } from "../support/chart-values";
import { crdProblems } from "../support/crd-schema";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram, valueOf } from "../support/harness";
import { validateK8s, validateModel } from "../support/k8s-schema";

// Fleet traces: Tempo on mgmt, a collector per workload cluster, Istio's Telemetry after it.
const WORKLOADS = ["west", "east"];
// values.schema.json of open-telemetry/opentelemetry-helm-charts at tag opentelemetry-collector-0.170.0.
const OTEL_SCHEMA = join(__dirname, "..", "fixtures", "chart-schemas", "opentelemetry-collector@0.170.0.json");
const TELEMETRY_CRD = "telemetry.istio.io_telemetries@1.30.3";
// tempo-2.2.4 templates/_helpers.tpl: fullname = release (it contains "tempo"); selector labels.
const TEMPO_PODS = { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/instance": "tempo" };
// opentelemetry-collector-0.170.0 templates/_helpers.tpl: "otel" lacks the chart's name → "<release>-<chart>".
const COLLECTOR_FQDN = "otel-opentelemetry-collector.tracing.svc.cluster.local";

/**
 * Problems of a Telemetry against Istio's CRD. Istio's schemas declare only `spec` and `status`
 * at the root: the API server itself admits `apiVersion`, `kind` and `metadata` on every CRD.
 */
function telemetryProblems(object: object): string[] {
  const implicit = ["apiVersion", "kind", "metadata"].map((k) => `/ must NOT have additional properties: ${k}`);
  return crdProblems(TELEMETRY_CRD, object as { apiVersion: string; kind: string }).filter((p) => !implicit.includes(p));
}

type Run = { resources: Recorded[]; otlpEndpoint: string; queryUrl: string; spanSources: string[] };

async function run(host: () => Cluster, meshMode: "sidecar" | "ambient", waitForMesh = false): Promise<Run> {
  let traces!: FleetTraces;
  const { resources } = await runProgram({
    stack: "dev",
    program: () => {
      const clusters = WORKLOADS.map((w) => fakeCluster(w));
      const meshReady = waitForMesh ? [new pulumi.ComponentResource("test:index:Ready", "mesh")] : undefined;
      traces = new FleetTraces("platform-traces", { host: host(), clusters, meshMode, samplingPercent: 25, meshReady });
    },
  });
  return { resources, otlpEndpoint: await valueOf(traces.otlpEndpoint), queryUrl: traces.queryUrl, spanSources: traces.spanSources };
}

const release = (r: Run, name: string) => named(r.resources, "kubernetes:helm.sh/v3:Release", name);

/**
 * The problems `helm install` reports from the chart's values.schema.json (top level closed).
 * Helm validates the values coalesced over the chart's defaults: the one required key we leave
 * to them is `apiVersion` (values.yaml: `apps/v1`).
 */
function otelSchemaProblems(values: object): string[] {
  const schema = JSON.parse(readFileSync(OTEL_SCHEMA, "utf8"));
  delete schema.$schema; // `json-schema.org/schema#` (latest draft) is no meta-schema Ajv 8 registers
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  const ok = validate({ apiVersion: "apps/v1", ...values });
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

describe("on a kind-like host (no buckets, no StorageClass)", () => {
  let r: Run;
  beforeAll(async () => {
    r = await run(() => fakeCluster("mgmt", { role: "management" }), "sidecar");
  });

  test("Tempo: one binary in `tracing`, OTLP on, 72h, traces on an emptyDir at /var/tempo", () => {
    const tempo = release(r, "platform-traces-tempo");
    expect(tempo.providers).toEqual(["mgmt-k8s"]);
    expect(plain(tempo.inputs)).toMatchObject({ name: "tempo", namespace: "tracing", chart: "tempo", version: "2.2.4" });
    expect(tempo.inputs.repositoryOpts).toEqual({ repo: "https://grafana-community.github.io/helm-charts" });
    const values = plain(tempo.inputs.values);
    expect(values).toEqual({
      tempo: {
        retention: "72h",
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
        storage: { trace: { backend: "local" } },
        extraVolumeMounts: [{ name: "storage", mountPath: "/var/tempo" }],
      },
      extraVolumes: [{ name: "storage", emptyDir: {} }],
    });
    expect(unknownValuePaths(values, "tempo@2.2.4")).toEqual([]);
    expect(tempo.dependsOn).toEqual(["platform-traces-namespace"]);
    expect(plain(named(r.resources, "kubernetes:core/v1:Namespace", "platform-traces-namespace").inputs).metadata).toEqual({ name: "tracing" });
  });

  test("the workload clusters reach Tempo's OTLP gRPC port through our Service of the reach's shape", () => {
    const service = named(r.resources, "kubernetes:core/v1:Service", "platform-traces-tempo-otlp");
    validateK8s(service);
    expect(service.providers).toEqual(["mgmt-k8s"]);
    expect(plain(service.inputs)).toEqual({
      apiVersion: "v1", kind: "Service",
      metadata: { name: "tempo-otlp", namespace: "tracing" },
      spec: {
        type: "NodePort",
        selector: TEMPO_PODS,
        // fakeReach answers 30000 + port % 1000.
        ports: [{ name: "grpc-otlp", protocol: "TCP", port: 4317, targetPort: 4317, nodePort: 30317 }],
      },
    });
    expect(r.otlpEndpoint).toBe("mgmt.reach.example:4317");
    // tempo-2.2.4 templates/service.yaml + _ports.tpl: Service `tempo`, port 3200.
    expect(r.queryUrl).toBe("http://tempo.tracing.svc.cluster.local:3200");
    expect(r.spanSources).toEqual(["sidecars", "gateways"]);
  });

  test("a collector per workload cluster, valid for the chart's schema, stamping its cluster and exporting to Tempo", () => {
    expect(ofType(r.resources, "kubernetes:helm.sh/v3:Release").filter((x) => x.name.endsWith("-collector")).map((x) => x.providers)).toEqual(
      WORKLOADS.map((w) => [`${w}-k8s`]),
    );
    for (const w of WORKLOADS) {
      const collector = release(r, `platform-traces-${w}-collector`);
      expect(plain(collector.inputs)).toMatchObject({ name: "otel", namespace: "tracing", chart: "opentelemetry-collector", version: "0.170.0" });
      expect(collector.dependsOn).toEqual([`platform-traces-${w}-namespace`]);
      const values = plain(collector.inputs.values);
      expect(unknownValuePaths(values, "opentelemetry-collector@0.170.0")).toEqual([]);
      expect(otelSchemaProblems(values)).toEqual([]);
      expect(values).toMatchObject({
        mode: "deployment",
        image: { repository: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s", tag: "0.158.0" },
        command: { name: "otelcol-k8s" },
      });
      const config = values.alternateConfig;
      expect(config.processors.resource).toEqual({ attributes: [{ key: "k8s.cluster.name", value: w, action: "upsert" }] });
      // Spans wait on disk, bounded by size, retried until Tempo answers (the default gives up after 300 s).
      const queue = { enabled: true, storage: "file_storage", sizer: "bytes", queue_size: 512 * 1024 * 1024 };
      const exporter = { endpoint: "mgmt.reach.example:4317", tls: { insecure: true }, sending_queue: queue, retry_on_failure: { enabled: true, max_elapsed_time: 0 } };
      expect(config.exporters).toEqual({ otlp_grpc: exporter });
      expect(config.extensions.file_storage).toEqual({ directory: "/var/lib/otelcol/file_storage" });
      expect(values.extraVolumeMounts).toEqual([{ name: "send-queue", mountPath: "/var/lib/otelcol/file_storage" }]);
      expect(values.extraVolumes).toEqual([{ name: "send-queue", emptyDir: { sizeLimit: "1Gi" } }]);
      expect(config.service).toEqual({
        extensions: ["health_check", "file_storage"],
        pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "resource", "batch"], exporters: ["otlp_grpc"] } },
      });
      expect(Object.keys(config.receivers)).toEqual(["otlp"]);
    }
  });

  test("the chart's schema refuses a misspelt top-level key and an empty mode", () => {
    const values = plain(release(r, "platform-traces-west-collector").inputs.values);
    expect(otelSchemaProblems({ ...values, alternateConfg: {} })).not.toEqual([]);
    expect(otelSchemaProblems({ ...values, mode: "deploy" })).not.toEqual([]);
  });

  test("each workload cluster's Telemetry turns tracing on after its collector, valid for Istio 1.30's CRD", () => {
    for (const w of WORKLOADS) {
      const telemetry = named(r.resources, "kubernetes:telemetry.istio.io/v1:Telemetry", `platform-traces-${w}-telemetry`);
      expect(telemetry.providers).toEqual([`${w}-k8s`]);
      expect(telemetry.dependsOn).toEqual([`platform-traces-${w}-collector`]);
      const object = plain(telemetry.inputs);
      expect(object).toEqual({
        apiVersion: "telemetry.istio.io/v1", kind: "Telemetry",
        metadata: { name: "mesh-default", namespace: "istio-system" },
        spec: { tracing: [{ providers: [{ name: "otel-tracing" }], randomSamplingPercentage: 25 }] },
      });
      validateModel("@kubernetes-models/istio/telemetry.istio.io/v1", "Telemetry", object);
      expect(telemetryProblems(object)).toEqual([]);
    }
    const bad = meshTelemetry(10) as any;
    expect(telemetryProblems({ ...bad, spec: { tracing: [{ provider: [{ name: "otel-tracing" }] }] } })).not.toEqual([]);
    expect(telemetryProblems({ ...bad, spec: { tracing: [{ randomSamplingPercentage: 150 }] } })).not.toEqual([]);
  });

  test("istiod's provider names the collector Service the chart renders, kept cluster-local", () => {
    const collector = plain(release(r, "platform-traces-west-collector").inputs);
    const config = tracingMeshConfig();
    expect(config).toEqual({
      extensionProviders: [{ name: "otel-tracing", opentelemetry: { service: COLLECTOR_FQDN, port: 4317 } }],
      serviceSettings: [{ settings: { clusterLocal: true }, hosts: ["*.tracing.svc.cluster.local"] }],
    });
    expect(COLLECTOR_FQDN).toBe(`${collector.name}-${collector.chart}.${collector.namespace}.svc.cluster.local`);
    expect(COLLECTOR_FQDN.endsWith(config.serviceSettings[0].hosts[0].slice(1))).toBe(true);
  });

  test("Grafana's Tempo data source links to Loki by cluster and namespace", () => {
    expect(tempoDataSource(r.queryUrl)).toEqual({
      name: "Tempo", type: "tempo", uid: "tempo", access: "proxy", url: "http://tempo.tracing.svc.cluster.local:3200",
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
    });
  });
});

describe("on an EKS-like host (a bucket, a StorageClass, an NLB)", () => {
  let r: Run;
  const [buckets, reads]: [BucketRequest[], ServiceRead[]] = [[], []];
  const NLB = "tempo-otlp-0123.elb.eu-west-1.amazonaws.com";
  const ROLE = { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/mgmt-traces" };
  const LB = { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb", "service.beta.kubernetes.io/aws-load-balancer-internal": "true" };
  beforeAll(async () => {
    r = await run(() => {
      const ready = (name: string) => new pulumi.ComponentResource("test:index:Ready", name);
      return {
        ...fakeCluster("mgmt", { role: "management", provider: "aws", region: "eu-west-1" } as any),
        reach: () => ({ service: { type: "LoadBalancer", annotations: LB }, tlsNames: [], dependsOn: [ready("mgmt-drained")], address: (read) => (reads.push(read), pulumi.output({ host: NLB, port: 4317 })) }),
        persistentStorage: { storageClassName: "gp3", ready: [ready("mgmt-ebs-csi")] },
        objectStorage: {
          bucket: (request) => (buckets.push(request), { name: pulumi.output("mgmt-traces-1a2b"), region: "eu-west-1", serviceAccountAnnotations: pulumi.output<Record<string, string>>(ROLE), ready: [ready("mgmt-traces-role")] }),
        },
      } satisfies Cluster;
    }, "ambient", true);
  });

  test("Tempo keeps traces in the bucket its ServiceAccount may use, the WAL on a gp3 volume", () => {
    expect(buckets).toEqual([{ purpose: "traces", namespace: "tracing", serviceAccount: "tempo" }]);
    const tempo = release(r, "platform-traces-tempo");
    const values = plain(tempo.inputs.values);
    expect(values).toEqual({
      tempo: {
        retention: "72h",
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
        storage: { trace: { backend: "s3", s3: { bucket: "mgmt-traces-1a2b", endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" } } },
      },
      serviceAccount: { annotations: ROLE },
      persistence: { enabled: true, storageClassName: "gp3" },
    });
    // `tempo.storage` goes verbatim into tempo.yaml (values.yaml `config`: `storage: toYaml .Values.tempo.storage`);
    // statefulset.yaml reads `persistence.storageClassName` into its volumeClaimTemplate.
    expect(unknownValuePaths(values, "tempo@2.2.4", ["tempo.storage.trace.s3", "persistence.storageClassName"])).toEqual([]);
    expect(tempo.dependsOn).toEqual(["platform-traces-namespace", "mgmt-traces-role", "mgmt-ebs-csi"]);
  });

  test("the OTLP Service is an internal NLB read back from its status; collectors export there", () => {
    const service = named(r.resources, "kubernetes:core/v1:Service", "platform-traces-tempo-otlp");
    validateK8s(service);
    const inputs = plain(service.inputs);
    expect(inputs.metadata).toEqual({ name: "tempo-otlp", namespace: "tracing", annotations: LB });
    expect(inputs.spec).toEqual({ type: "LoadBalancer", selector: TEMPO_PODS, ports: [{ name: "grpc-otlp", protocol: "TCP", port: 4317, targetPort: 4317 }] });
    expect(service.dependsOn).toEqual(["platform-traces-namespace", "mgmt-drained"]);
    expect(reads.map((x) => [x.name, x.id, x.creator instanceof k8s.core.v1.Service])).toEqual([["platform-traces-tempo-otlp-address", "tracing/tempo-otlp", true]]);
    expect(r.otlpEndpoint).toBe(`${NLB}:4317`);
    for (const w of WORKLOADS) {
      const values = plain(release(r, `platform-traces-${w}-collector`).inputs.values);
      expect(values.alternateConfig.exporters.otlp_grpc.endpoint).toBe(`${NLB}:4317`);
      expect(otelSchemaProblems(values)).toEqual([]);
    }
    expect(r.spanSources).toEqual(["waypoints", "gateways"]);
  });

  test("each Telemetry also waits for the mesh it configures", () => {
    for (const w of WORKLOADS) {
      const telemetry = named(r.resources, "kubernetes:telemetry.istio.io/v1:Telemetry", `platform-traces-${w}-telemetry`);
      expect(telemetry.dependsOn).toEqual([`platform-traces-${w}-collector`, "mesh"]);
    }
  });
});
