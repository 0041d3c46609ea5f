/**
 * Stand-in charts for the simulated fleet: the charts no registry reachable from CI serves, at
 * their pinned name and version, carrying only what the rest of the program needs of them under
 * KWOK: the CRDs of the pinned release that the program's own objects use, and the objects it
 * reads back, waits on or names (Services with a Deployment behind each, so that a release's wait
 * means something: KWOK makes the pods Ready). Templates read the program's values only at paths
 * the real chart reads (test/sim/charts.test.ts holds them to test/fixtures/chart-keys).
 */

/** A Service, and the Deployment behind it whose pods carry `selector`. */
export interface Workload {
  /** Template text of both objects' name. */
  name: string;
  /** Pod labels and the Service's selector (values may be template text). */
  selector: Record<string, string>;
  /** Template text of the Service's `type` (default ClusterIP); none: no Service, only the Deployment. */
  type?: string;
  /** Template lines of the Service's `ports:` items, at column 2. */
  ports?: string;
  /** Template lines of the Service's further metadata (labels, annotations), at column 2. */
  metadata?: string;
}

/** What a stand-in chart carries. */
export interface StandIn {
  /** Why it is a stand-in and what it carries: its Chart.yaml annotation and the docs' table. */
  carries: string;
  /**
   * CRD files from a module of test/engines/versions.json's `crdModules`, where the real chart has
   * them: in `crds/`, rendered from a template, or in the `crds/` of a subchart `crds` (Helm keeps
   * no subchart in the release it stores, whose Secret holds at most 1 MiB).
   */
  crds?: { module: string; in: "crds" | "templates" | "subchart" };
  /** Defaults of the value paths the templates read (the real chart's). */
  values?: Record<string, unknown>;
  /** The chart's fullname helper (`<release>` when it contains the chart's name, else `<release>-<chart>`), with `fullnameOverride` when the real chart has that value. */
  fullname?: "override" | "plain";
  workloads?: Workload[];
  /** Further template files (name → text). */
  templates?: Record<string, string>;
}

/** The annotation of a stand-in's Chart.yaml. */
export const STAND_IN_ANNOTATION = "platform.sim/stand-in";

const FULLNAME = '{{ include "standin.fullname" . }}';
const INSTANCE = "{{ .Release.Name }}";

/** One Service port (target port the same unless given). */
function port(name: string, at: string | number, target: string | number = at, nodePort?: string): string {
  const lines = [`  - name: ${name}`, `    port: ${at}`, `    targetPort: ${target}`, "    protocol: TCP"];
  if (nodePort) lines.push(`    {{- with ${nodePort} }}`, "    nodePort: {{ . }}", "    {{- end }}");
  return lines.join("\n");
}

/** Annotations from a map value, when it has any. */
function annotations(path: string): string {
  return [`  {{- with ${path} }}`, "  annotations:", "    {{- toYaml . | nindent 4 }}", "  {{- end }}"].join("\n");
}

/** The stand-in charts, by chart name (the pinned versions come from components/versions.ts). */
export const STAND_INS: Record<string, StandIn> = {
  "argo-cd": {
    carries: "Argo CD's CRDs (Application, ApplicationSet, AppProject) as the chart's templates; the argocd-server Service (type from server.service) and a Deployment",
    crds: { module: "argocd", in: "templates" },
    values: { server: { service: { type: "ClusterIP", annotations: {} } } },
    fullname: "override",
    workloads: [
      {
        name: `${FULLNAME}-server`,
        selector: { "app.kubernetes.io/name": `${FULLNAME}-server`, "app.kubernetes.io/instance": INSTANCE },
        type: "{{ .Values.server.service.type }}",
        ports: [port("http", 80, 8080), port("https", 443, 8080)].join("\n"),
        metadata: annotations(".Values.server.service.annotations"),
      },
    ],
  },
  "kube-prometheus-stack": {
    carries: "prometheus-operator's CRDs in the crds/ of a subchart `crds`, as the real chart has them (in the chart's own crds/, Helm's release Secret would pass 1 MiB) (the release's operator version); Prometheus's Service `<fullname>-prometheus`, which the program's gateway and data sources name, and a Deployment with Prometheus's pod labels",
    crds: { module: "prometheusOperator", in: "subchart" },
    values: { prometheus: { service: { port: 9090 } } },
    fullname: "override",
    workloads: [
      {
        name: `${FULLNAME}-prometheus`,
        selector: { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": `${FULLNAME}-prometheus` },
        ports: port("http-web", "{{ .Values.prometheus.service.port }}", 9090),
      },
    ],
  },
  base: {
    carries: "Istio's CRDs (istio.io/api at the release) rendered from a template, and istio-reader-service-account, which remote secrets use",
    crds: { module: "istio", in: "templates" },
    templates: {
      "reader-serviceaccount.yaml": [
        "apiVersion: v1",
        "kind: ServiceAccount",
        "metadata:",
        "  name: istio-reader-service-account",
        "  namespace: {{ .Release.Namespace }}",
        "",
      ].join("\n"),
    },
  },
  istiod: {
    carries: "the istiod Service and a Deployment (what the gateways and the tracing Telemetry wait for); no webhooks: the simulation's API servers run none",
    workloads: [
      {
        name: "istiod",
        selector: { app: "istiod", istio: "pilot" },
        ports: [port("grpc-xds", 15010), port("https-dns", 15012), port("https-webhook", 443, 15017), port("http-monitoring", 15014)].join("\n"),
      },
    ],
  },
  gateway: {
    carries: "the gateway's Service, named after `name` (the program reads its load-balancer address back), type and ports from service (the network gateway's ports when networkGateway is set), and a Deployment",
    values: {
      name: "",
      networkGateway: "",
      networkGatewayPorts: {},
      service: {
        type: "LoadBalancer",
        annotations: {},
        ports: [
          { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
          { name: "http2", port: 80, protocol: "TCP", targetPort: 80 },
          { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
        ],
      },
    },
    workloads: [
      {
        name: "{{ .Values.name | default .Release.Name }}",
        selector: { app: "{{ .Values.name | default .Release.Name }}", istio: '{{ .Values.name | default .Release.Name | trimPrefix "istio-" }}' },
        type: "{{ .Values.service.type }}",
        ports: [
          "{{- if .Values.networkGateway }}",
          "{{- range $name, $p := .Values.networkGatewayPorts }}",
          "  - name: {{ $name }}",
          "    port: {{ $p.port }}",
          "    targetPort: {{ $p.targetPort }}",
          "    protocol: TCP",
          "{{- end }}",
          "{{- else }}",
          "{{ toYaml .Values.service.ports | indent 2 }}",
          "{{- end }}",
        ].join("\n"),
        metadata: [
          "  {{- with .Values.networkGateway }}",
          "  labels:",
          '    topology.istio.io/network: "{{ . }}"',
          "  {{- end }}",
          annotations(".Values.service.annotations"),
        ].join("\n"),
      },
    ],
  },
  cni: { carries: "nothing: the program reads nothing of it, and its node agent does nothing on KWOK's nodes" },
  ztunnel: { carries: "nothing: the program reads nothing of it, and its node proxy does nothing on KWOK's nodes" },
  loki: {
    carries: "the gateway Service `<fullname>-gateway` (type, port, nodePort from gateway.service: the fleet's push address) and Loki's own Service (Grafana's data source), each with a Deployment",
    values: { gateway: { service: { type: "ClusterIP", port: 80, annotations: {} } }, loki: { server: { http_listen_port: 3100 } } },
    fullname: "override",
    workloads: [
      {
        name: `${FULLNAME}-gateway`,
        selector: { "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": INSTANCE, "app.kubernetes.io/component": "gateway" },
        type: "{{ .Values.gateway.service.type }}",
        ports: port("http-metrics", "{{ .Values.gateway.service.port }}", 8080, ".Values.gateway.service.nodePort"),
        metadata: annotations(".Values.gateway.service.annotations"),
      },
      {
        name: FULLNAME,
        selector: { "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": INSTANCE, "app.kubernetes.io/component": "single-binary" },
        ports: port("http-metrics", "{{ .Values.loki.server.http_listen_port }}"),
      },
    ],
  },
  alloy: { carries: "nothing: the program reads nothing of it, and its collector does nothing on KWOK's nodes" },
  tempo: {
    carries: "Tempo's Service (Grafana's and Kiali's query URL) and a Deployment with Tempo's pod labels, which the program's own OTLP Service selects",
    values: { tempo: { server: { http_listen_port: 3200 } } },
    fullname: "override",
    workloads: [
      {
        name: FULLNAME,
        selector: { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/instance": INSTANCE },
        ports: port("tempo-prom-metrics", "{{ .Values.tempo.server.http_listen_port }}"),
      },
    ],
  },
  "opentelemetry-collector": {
    carries: "the collector's Service (istiod's tracing provider names it; the Telemetry waits for the release) and a Deployment",
    fullname: "override",
    workloads: [
      {
        name: FULLNAME,
        selector: { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": INSTANCE, component: "standalone-collector" },
        ports: [port("otlp", 4317), port("otlp-http", 4318)].join("\n"),
      },
    ],
  },
  "kiali-server": {
    carries: "the kiali Service (named deployment.instance_name, type from deployment.service_type: the console the program reads back) and a Deployment",
    values: { deployment: { instance_name: "kiali", service_type: "", service_annotations: {} }, server: { port: 20001 } },
    workloads: [
      {
        name: "{{ .Values.deployment.instance_name }}",
        selector: { "app.kubernetes.io/name": "kiali", "app.kubernetes.io/instance": "{{ .Values.deployment.instance_name }}" },
        type: '{{ .Values.deployment.service_type | default "ClusterIP" }}',
        ports: port("http", "{{ .Values.server.port }}"),
        metadata: annotations(".Values.deployment.service_annotations"),
      },
    ],
  },
  opencost: { carries: "nothing: the program reads nothing of it" },
  velero: {
    carries: "Velero's CRDs in crds/ (the real chart applies them from a hook Job, which runs nothing on KWOK): the program's Schedule and the destroy-time finalizer clean-up need them served; the server's Deployment",
    crds: { module: "velero", in: "crds" },
    fullname: "override",
    workloads: [{ name: FULLNAME, selector: { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": INSTANCE } }],
  },
  seaweedfs: {
    carries: "the all-in-one Service `<fullname>-all-in-one` on the S3 port (Velero's backup location) and a Deployment",
    values: { s3: { port: 8333 } },
    fullname: "plain",
    workloads: [
      {
        name: `${FULLNAME}-all-in-one`,
        selector: { "app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/instance": INSTANCE, "app.kubernetes.io/component": "seaweedfs-all-in-one" },
        ports: port("swfs-s3", "{{ .Values.allInOne.s3.port | default .Values.s3.port }}", 8333),
      },
    ],
  },
};
