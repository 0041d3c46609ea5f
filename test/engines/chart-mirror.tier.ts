import { execFile, execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { promisify } from "util";
import { GATEWAY_API_CRDS } from "../../components/versions";
import { caseConfig, recordGraph } from "../support/graph";
import { type ChartMirror, startChartMirror } from "../sim/charts";
import { type ReleaseInputs, renderRelease } from "./support/charts";
import { type Engines, engines, versions } from "./support/engines";
import { directObjects, type KubeObject, parseYaml, type Sourced } from "./support/objects";

// The simulated fleet's chart mirror with the real helm (the Go HTTP stack and Helm code the
// kubernetes provider fetches with): every release the dev stack installs, in both mesh modes, is
// pulled through the mirror's proxy trusting only its CA, rendered with the program's values, and
// carries what the program reads back from it and the CRDs its own objects need.

const MODES = ["sidecar", "ambient"] as const;
const NOT_CRDS = new Set(["apps", "batch", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "admissionregistration.k8s.io"]);

/**
 * `helm pull` of a release's chart with the mirror's environment (asynchronously: the mirror
 * answers from this process); returns the pulled archive.
 */
async function pull(tools: Engines, mirror: ChartMirror, release: ReleaseInputs & { repositoryOpts?: { repo: string } }, into: string): Promise<string> {
  mkdirSync(into, { recursive: true });
  const source = release.repositoryOpts ? [release.chart, "--repo", release.repositoryOpts.repo, "--version", release.version!] : [release.chart];
  await promisify(execFile)(tools.helm, ["pull", ...source, "--destination", into], {
    env: { PATH: process.env.PATH, HOME: into, HELM_CACHE_HOME: join(into, ".cache"), HELM_CONFIG_HOME: join(into, ".config"), HELM_DATA_HOME: join(into, ".data"), ...mirror.env },
    timeout: 60_000,
  });
  return join(into, readdirSync(into).find((f) => f.endsWith(".tgz"))!);
}

describe("the chart mirror serves, and helm renders, every release of the dev stack", () => {
  let tools: Engines;
  let mirror: ChartMirror;
  let work: string;
  const releases: { label: string; mode: string; release: ReleaseInputs & { repositoryOpts?: { repo: string } } }[] = [];
  const direct: Sourced[] = [];

  beforeAll(async () => {
    tools = engines(["helm"]);
    work = mkdtempSync(join(tmpdir(), "chart-mirror-tier-"));
    mirror = await startChartMirror({ dir: join(work, "mirror") });
    for (const mode of MODES) {
      const graph = await recordGraph("dev", caseConfig("dev", mode));
      direct.push(...directObjects(graph, `dev/${mode}`));
      for (const node of graph.filter((n) => n.urn.includes("kubernetes:helm.sh/v3:Release::"))) {
        releases.push({ label: `dev/${mode} ${node.urn.slice(node.urn.lastIndexOf("::") + 2)}`, mode, release: node.inputs as never });
      }
    }
  }, 600_000);
  afterAll(async () => {
    await mirror?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const rendered = new Map<string, KubeObject[]>();
  test("helm pulls every chart through the mirror's proxy, trusting only its CA", async () => {
    const charts = new Map<string, string>();
    for (const { label, release } of releases) {
      const key = `${release.repositoryOpts?.repo ?? ""} ${release.chart} ${release.version ?? ""}`;
      if (!charts.has(key)) charts.set(key, await pull(tools, mirror, release, join(work, "pulled", String(charts.size))));
      const chartDir = join(work, "charts", String(rendered.size));
      mkdirSync(chartDir, { recursive: true });
      execFileSync("tar", ["-xzf", charts.get(key)!, "-C", chartDir]);
      const dir = join(chartDir, readdirSync(chartDir)[0]);
      rendered.set(label, renderRelease(tools.helm, { dir, dependencies: [] }, release, versions.kubernetes.dev, []));
    }
    expect(mirror.requests.filter((r) => !r.startsWith("200 "))).toEqual([]);
    // Every repository's index and every chart: 17 charts of 12 repositories and a URL.
    expect(charts.size).toBe(17);
    console.log(`helm pulled ${charts.size} charts through the mirror (${mirror.requests.length} requests); ${rendered.size} releases rendered`);
  });

  test("each rendered release has what the program reads back, of the type its values ask for", () => {
    const find = (mode: string, kind: string, id: string) => {
      const [namespace, name] = id.split("/");
      const hits = releases
        .filter((r) => r.mode === mode)
        .flatMap((r) => (rendered.get(r.label) ?? []).map((o) => ({ o, namespace: o.metadata.namespace ?? r.release.namespace })))
        .filter(({ o, namespace: ns }) => o.kind === kind && o.metadata.name === name && ns === namespace);
      return hits.map(({ o }) => o as KubeObject & { spec?: { type?: string; ports?: { nodePort?: number }[] } });
    };
    for (const mode of MODES) {
      const services: [string, string][] = [
        ["istio-system/istio-ingressgateway", "LoadBalancer"],
        ["argocd/argocd-server", "ClusterIP"],
        ["istio-system/kiali", "ClusterIP"],
        ["logging/loki-gateway", "NodePort"],
        ["logging/loki", "ClusterIP"],
        ["monitoring/kps-prometheus", "ClusterIP"],
        ["tracing/tempo", "ClusterIP"],
        ["tracing/otel-opentelemetry-collector", "ClusterIP"],
        ["backup-store/seaweedfs-all-in-one", "ClusterIP"],
        ["istio-system/istiod", "ClusterIP"],
        ["karmada-system/karmada-apiserver", "NodePort"],
        ...(mode === "sidecar" ? ([["istio-system/istio-eastwestgateway", "LoadBalancer"]] as [string, string][]) : []),
      ];
      for (const [id, type] of services) {
        const found = find(mode, "Service", id);
        expect([id, found.length > 0]).toEqual([id, true]);
        for (const service of found) expect([id, service.spec?.type ?? "ClusterIP"]).toEqual([id, type]);
      }
      // The Karmada chart's pre-install Job makes karmada-kubeconfig (certificates generated in the
      // Job, the Secret applied from a ConfigMap of the chart): no Job runs on KWOK, so the
      // simulated Karmada control plane must create it.
      expect(find(mode, "Secret", "karmada-system/karmada-kubeconfig")).toHaveLength(0);
      const configMaps = releases.filter((r) => r.mode === mode).flatMap((r) => rendered.get(r.label) ?? []).filter((o) => o.kind === "ConfigMap");
      expect(configMaps.some((c) => JSON.stringify(c).includes("name: karmada-kubeconfig"))).toBe(true);
      expect(find(mode, "ServiceAccount", "istio-system/istio-reader-service-account").length).toBeGreaterThan(0);
      // Loki's gateway takes the node port the program asks for.
      const loki = releases.find((r) => r.mode === mode && r.release.chart === "loki")!.release;
      const nodePort = (loki.values as { gateway: { service: { nodePort: number } } }).gateway.service.nodePort;
      expect(find(mode, "Service", "logging/loki-gateway")[0].spec?.ports?.[0].nodePort).toBe(nodePort);
    }
  });

  test("every custom resource kind the program creates is defined by a CRD the mirror serves", () => {
    const crds = [...rendered.values()].flat().filter((o) => o.kind === "CustomResourceDefinition");
    crds.push(...parseYaml(readFileSync(join(work, "mirror", "gateway-api-standard-install.yaml"), "utf8")).filter((o) => o.kind === "CustomResourceDefinition"));
    const defined = new Set(crds.map((c) => { const spec = c.spec as { group: string; names: { kind: string } }; return `${spec.group}/${spec.names.kind}`; }));
    // Karmada's own API server serves its kinds (the Karmada control plane, not a chart's CRDs).
    const custom = direct.map((d) => d.object).filter((o) => !NOT_CRDS.has(o.apiVersion.split("/")[0]) && o.apiVersion.includes("/") && !o.apiVersion.split("/")[0].endsWith("karmada.io"));
    const kinds = [...new Set(custom.map((o) => `${o.apiVersion.split("/")[0]}/${o.kind}`))].sort();
    expect(kinds.length).toBeGreaterThan(5);
    expect(kinds.filter((k) => !defined.has(k))).toEqual([]);
    console.log(`custom kinds the program creates, all defined by the mirror's CRDs (${GATEWAY_API_CRDS} included): ${kinds.join(", ")}`);
  });
});
