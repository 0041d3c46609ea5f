/**
 * Every image and chart version the platform deploys, in one place. Bump them here, together
 * with the value paths that the chart's values.yaml of the new version really reads.
 */

/** kind v0.32.0's default node image (Kubernetes 1.36.1), pinned by digest as kind's release notes require. */
export const KIND_NODE_IMAGE =
  "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

/** The kind CLI release the node image above was built for (documented prerequisite). */
export const KIND_VERSION = "v0.32.0";

/** EKS Kubernetes version of prod clusters (override: `platform:eks.kubernetesVersion`). */
export const EKS_KUBERNETES_VERSION = "1.35";

/**
 * EKS-managed add-ons for `EKS_KUBERNETES_VERSION`; pulumi-eks would otherwise take the most recent
 * at every create. Bump them with the Kubernetes version, after
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`.
 */
export const EKS_ADDON_VERSIONS = {
  vpcCni: "v1.21.1-eksbuild.3",
  kubeProxy: "v1.35.0-eksbuild.2",
  coredns: "v1.13.2-eksbuild.1",
  ebsCsiDriver: "v1.54.0-eksbuild.1",
};

/** A Helm chart at a pinned version: from a repository, or a packaged chart's URL (no repo). */
export interface ChartRef {
  chart: string;
  version?: string;
  repo?: string;
  /**
   * Seconds an install or upgrade may take: sized for image pulls while several kind clusters
   * boot on one host (the provider's default is 300). Default `RELEASE_TIMEOUT_SECONDS`.
   */
  timeout?: number;
}

/** Install and upgrade time of a chart whose images are pulled on a busy host. */
export const RELEASE_TIMEOUT_SECONDS = 600;

/** The chart source and install timeout of a `helm.v3.Release` for a pinned chart. */
export function chartSource(ref: ChartRef): { chart: string; version?: string; repositoryOpts?: { repo: string }; timeout: number } {
  return {
    chart: ref.chart,
    ...(ref.version ? { version: ref.version } : {}),
    ...(ref.repo ? { repositoryOpts: { repo: ref.repo } } : {}),
    timeout: ref.timeout ?? RELEASE_TIMEOUT_SECONDS,
  };
}

/** Karmada, installed from its release's packaged chart (the chart repository index lags releases). */
export const KARMADA_VERSION = "v1.18.2";
export const KARMADA_CHART: ChartRef = {
  chart: `https://github.com/karmada-io/karmada/releases/download/${KARMADA_VERSION}/karmada-chart-${KARMADA_VERSION}.tgz`,
  // Its install Jobs make certificates and CRDs before eight components start.
  timeout: 900,
};
/** Images of the Karmada chart's jobs; the chart defaults both to `latest`. */
export const KARMADA_JOB_IMAGES = {
  cfssl: { repository: "cfssl/cfssl", tag: "v1.6.5" },
  // bitnamisecure/kubectl publishes only `latest` for free; the legacy repository keeps versions.
  kubectl: { repository: "bitnamilegacy/kubectl", tag: "1.33.4" },
};

export const ARGOCD_VERSION = "v3.4.4";
export const ARGOCD_CHART: ChartRef = { chart: "argo-cd", version: "10.1.1", repo: "https://argoproj.github.io/argo-helm" };

export const KUBE_PROMETHEUS_STACK_CHART: ChartRef = {
  chart: "kube-prometheus-stack",
  version: "88.5.3",
  repo: "https://prometheus-community.github.io/helm-charts",
  // Admission-webhook Jobs, the operator, Prometheus, Alertmanager and Grafana, one after another.
  timeout: 900,
};

/** Istio, from the chart repository Istio publishes to since the Google Cloud Storage one's retirement. */
export const ISTIO_VERSION = "1.30.3";
export const ISTIO_CHART_REPO = "https://blob.istio.io/istio-release/charts";
/** Istio 1.30's default registry is being retired: pull images from Docker Hub explicitly. */
export const ISTIO_HUB = "docker.io/istio";
/** One of Istio's charts (`base`, `istiod`, `gateway`, `cni`, `ztunnel`) at the pinned version. */
export function istioChart(chart: string): ChartRef {
  return { chart, version: ISTIO_VERSION, repo: ISTIO_CHART_REPO };
}

export const METALLB_CHART: ChartRef = { chart: "metallb", version: "0.16.1", repo: "https://metallb.github.io/metallb" };

/** Gateway API CRDs (standard channel; Istio 1.30 builds against v1.5.1) for ambient's east-west gateway. */
export const GATEWAY_API_VERSION = "v1.5.1";
export const GATEWAY_API_CRDS = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`;

/** Images of the mesh check (`npm run mesh:check`): an echo server that reports its pod, and a curl client. */
export const MESH_CHECK_IMAGES = {
  server: "registry.k8s.io/e2e-test-images/agnhost:2.52",
  client: "curlimages/curl:8.11.1",
};

/** The management cluster's own git server, for fleets whose Argo CD reads no hosted repository. */
export const GIT_SERVER_IMAGE = "charmcli/soft-serve:v0.12.2";

/** The proxy a kind fleet's workstation entry runs in Docker, in front of the clusters' ingress gateways. */
export const ENTRY_PROXY_IMAGE = "nginx:1.29.3-alpine";

/**
 * The central Prometheus's authenticating gateway: nginx as the entry proxy's, in the
 * unprivileged build (non-root, port 8080) the Loki chart's gateway also runs.
 */
export const PROMETHEUS_GATEWAY_IMAGE = "nginxinc/nginx-unprivileged:1.29.3-alpine";

/** Fleet logs: Loki (one binary) on the management cluster, Grafana Alloy on every cluster. */
export const LOKI_CHART: ChartRef = { chart: "loki", version: "18.11.0", repo: "https://grafana-community.github.io/helm-charts" };
export const ALLOY_CHART: ChartRef = { chart: "alloy", version: "1.11.1", repo: "https://grafana.github.io/helm-charts" };

/** Fleet traces: Tempo (one binary) on the management cluster, an OpenTelemetry Collector per workload cluster. */
export const TEMPO_CHART: ChartRef = { chart: "tempo", version: "2.2.4", repo: "https://grafana-community.github.io/helm-charts" };
export const OTEL_COLLECTOR_CHART: ChartRef = {
  chart: "opentelemetry-collector",
  version: "0.170.0",
  repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
};
/** The Kubernetes distribution of the collector (the chart names no default), at the chart's app version. */
export const OTEL_COLLECTOR_IMAGE = { repository: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s", tag: "0.158.0" };

/** Mesh topology: Kiali's server chart (its image tag is stamped at packaging: pinned here too). */
export const KIALI_VERSION = "v2.29.0";
export const KIALI_CHART: ChartRef = { chart: "kiali-server", version: "2.29.0", repo: "https://kiali.org/helm-charts" };

/** Cost per cluster. */
export const OPENCOST_CHART: ChartRef = { chart: "opencost", version: "2.5.17", repo: "https://opencost.github.io/opencost-helm-chart" };

/** Backups of the management cluster: Velero with the AWS (S3 API) plugin of its release line. */
export const VELERO_CHART: ChartRef = { chart: "velero", version: "12.1.0", repo: "https://vmware-tanzu.github.io/helm-charts" };
export const VELERO_AWS_PLUGIN_IMAGE = "velero/velero-plugin-for-aws:v1.14.3";
/** The S3-compatible store backups go to where the cloud has none (kind). */
export const SEAWEEDFS_CHART: ChartRef = { chart: "seaweedfs", version: "4.44.0", repo: "https://seaweedfs.github.io/seaweedfs/helm" };
