import { execFileSync } from "child_process";
import { caseConfig, recordGraph } from "../support/graph";
import { type ApiServer, startApiServer } from "./support/api-server";
import { type ReleaseInputs, renderRelease, servedChart } from "./support/charts";
import { type Engines, engines, versions } from "./support/engines";
import { Discovery, directObjects, dryRun, ensureNamespaces, installCrds, type KubeObject, parseYaml, type Sourced, yamlDocuments } from "./support/objects";
import { KARMADA_CHART, METALLB_CHART } from "../../components/versions";

// Tier: real API servers. Every object both stacks send, in both mesh modes, goes to a real
// kube-apiserver of the stack's Kubernetes version with the CRDs of the pinned releases, as a
// server-side apply dry-run with strict field validation; Karmada's objects also go through
// Karmada's own admission code (karmada-check); the charts a registry serves are rendered with the
// program's values and created dry-run. Negative controls in the same run prove it can refuse.

const MODES = ["sidecar", "ambient"] as const;
const refused = (verdicts: { source: string; accepted: boolean; message: string }[]) =>
  verdicts.filter((v) => !v.accepted).map((v) => `${v.source}: ${v.message}`);

describe.each(["dev", "prod"] as const)("%s stack on a real kube-apiserver", (stack) => {
  const version = versions.kubernetes[stack];
  let tools: Engines;
  let server: ApiServer;
  let discovery: Discovery;
  const objects: Sourced[] = [];
  const releases: { label: string; release: ReleaseInputs }[] = [];

  beforeAll(async () => {
    tools = engines(["etcd", "kubeApiserver", "helm", "karmadaCheck"]);
    server = await startApiServer(version, { etcd: tools.etcd, kubeApiserver: tools.kubeApiserver[version] });
    const crds = Object.entries(versions.crdModules).flatMap(([name, pin]) => yamlDocuments(tools.crdModules[name], pin.files));
    await installCrds(server, crds.filter((o) => o.kind === "CustomResourceDefinition"));
    discovery = new Discovery(server);
    for (const mode of MODES) {
      const graph = await recordGraph(stack, caseConfig(stack, mode));
      objects.push(...directObjects(graph, `${stack}/${mode}`));
      for (const node of graph.filter((n) => n.urn.includes("$kubernetes:helm.sh/v3:Release::") || n.urn.includes("::kubernetes:helm.sh/v3:Release::"))) {
        releases.push({ label: `${stack}/${mode} ${node.urn.slice(node.urn.lastIndexOf("::") + 2)}`, release: node.inputs as unknown as ReleaseInputs });
      }
    }
    await ensureNamespaces(server, discovery, objects);
  }, 600_000);
  afterAll(async () => server?.stop());

  /** The Karmada chart rendered with the program's values (the sidecar-mode evaluation's). */
  const karmadaRender = (apiVersions: string[]) => {
    const { release } = releases.find((r) => r.release.chart === KARMADA_CHART.chart)!;
    return renderRelease(tools.helm, servedChart(tools, release)!, release, version, apiVersions);
  };

  test(`kube-apiserver ${version} accepts every direct object (server-side apply, dry-run, strict)`, async () => {
    // Karmada's Cluster is served by Karmada's aggregated API server, not a CRD: karmada-check has it.
    const sent = objects.filter((o) => o.object.apiVersion !== "cluster.karmada.io/v1alpha1");
    expect(sent.length).toBeGreaterThan(200);
    const verdicts = await dryRun(server, discovery, sent, "apply");
    expect(refused(verdicts)).toEqual([]);
    console.log(`${stack}: ${verdicts.length} direct objects accepted by kube-apiserver ${version}`);
  });

  test("Karmada's own admission (webhooks, Cluster strategy) accepts every Karmada object the webhook sees", async () => {
    const karmada = objects.filter((o) => o.object.apiVersion.split("/")[0].endsWith("karmada.io"));
    expect(karmada.map((o) => o.object.kind)).toEqual(expect.arrayContaining(["Cluster", "PropagationPolicy", "OverridePolicy", "ClusterTaintPolicy"]));
    const rendered = karmadaRender(await discovery.apiVersions());
    // karmada-webhook runs with the flags the rendered chart gives it (the post-renderer's included).
    const flags = webhookFlags(rendered);
    expect(flags).toContain("--allow-no-execute-taint-policy=true");
    const verdicts = karmadaCheck(tools, karmada.map((o) => o.object), flags);
    const routed = webhookRoutedKinds(rendered, [...new Set(karmada.map((o) => o.object.kind))]);
    expect(routed).toEqual(expect.arrayContaining(["PropagationPolicy", "OverridePolicy"]));
    const faults = verdicts.flatMap((v, i) => (v.allowed ? [] : [{ ...v, source: karmada[i].source }]));
    // What the chart's webhook configuration never sends to karmada-webhook is not refused in a
    // real fleet; it is reported, since a chart that starts routing it would refuse it.
    const latent = faults.filter((f) => f.kind !== "Cluster" && !routed.includes(f.kind));
    for (const f of latent) console.warn(`latent (the chart routes no ${f.kind} to karmada-webhook): ${f.source}: ${f.reason}`);
    expect(faults.filter((f) => !latent.includes(f)).map((f) => `${f.source}: ${f.reason}`)).toEqual([]);
    console.log(`${stack}: ${verdicts.length - faults.length} of ${verdicts.length} Karmada objects accepted by Karmada's admission; ${latent.length} latent`);
  });

  test("the charts a registry serves render with the program's values and every object is accepted (create, dry-run, strict)", async () => {
    const apiVersions = await discovery.apiVersions();
    const rendered: Sourced[] = [];
    const unserved = new Set<string>();
    const renderedCharts = new Set<string>();
    for (const { label, release } of releases) {
      const chart = servedChart(tools, release);
      if (!chart) {
        unserved.add(`${release.chart}@${release.version ?? ""}`);
        continue;
      }
      renderedCharts.add(release.chart);
      const namespace = release.namespace ?? "default";
      for (const object of renderRelease(tools.helm, chart, release, version, apiVersions)) {
        rendered.push({ source: `${label} ${object.kind}/${object.metadata.name ?? object.metadata.generateName}`, object, namespace });
      }
    }
    // Exactly the charts a registry serves, each rendered (MetalLB runs on kind only).
    expect([...renderedCharts].sort()).toEqual(stack === "dev" ? [KARMADA_CHART.chart, METALLB_CHART.chart].sort() : [KARMADA_CHART.chart]);
    await ensureNamespaces(server, discovery, rendered);
    // A chart's CRDs are installed before its other objects, as Helm does.
    const crds = rendered.filter((r) => r.object.kind === "CustomResourceDefinition");
    await installCrds(server, crds.map((r) => r.object));
    discovery.forget();
    const verdicts = await dryRun(server, discovery, rendered, "create");
    expect(refused(verdicts)).toEqual([]);
    console.log(`${stack}: ${verdicts.length} rendered objects accepted; charts no registry serves: ${[...unserved].sort().join(", ")}`);
  });

  test("negative controls: the same paths refuse an unknown field, a wrong type and what Karmada forbids", async () => {
    const deployment = objects.find((o) => o.object.kind === "Deployment")!;
    const crd = objects.find((o) => o.object.kind === "PropagationPolicy")!;
    const unknownField = { ...deployment.object, spec: { ...(deployment.object.spec as object), replicaz: 3 } };
    const wrongType = { ...deployment.object, spec: { ...(deployment.object.spec as object), replicas: "three" } };
    const unknownCrdField = { ...crd.object, spec: { ...(crd.object.spec as object), placementz: {} } };
    const verdicts = await dryRun(
      server,
      discovery,
      [unknownField, wrongType, unknownCrdField].map((object, i) => ({ source: `control ${i}`, object: object as KubeObject })),
      "apply",
    );
    expect(verdicts.map((v) => v.accepted)).toEqual([false, false, false]);
    expect(verdicts[0].message).toMatch(/spec\.replicaz: field not declared in schema/);
    expect(verdicts[1].message).toMatch(/spec\.replicas: expected numeric/);
    expect(verdicts[2].message).toMatch(/spec\.placementz: field not declared in schema/);
    // Karmada's webhook refuses a spread constraint whose minimum exceeds its maximum.
    const badSpread = structuredClone(crd.object) as any;
    badSpread.spec.placement = { ...badSpread.spec.placement, spreadConstraints: [{ spreadByField: "cluster", minGroups: 3, maxGroups: 1 }] };
    // Karmada's Cluster strategy refuses a Secret reference without its namespace; a strict decode, an unknown field.
    const cluster = structuredClone(objects.find((o) => o.object.kind === "Cluster")!.object) as any;
    const badCluster = { ...cluster, spec: { ...cluster.spec, secretRef: { name: "x" } } };
    const unknownClusterField = { ...cluster, spec: { ...cluster.spec, syncModez: "Push" } };
    const karmadaVerdicts = karmadaCheck(tools, [badSpread, badCluster, unknownClusterField]);
    expect(karmadaVerdicts.map((v) => v.allowed)).toEqual([false, false, false]);
    expect(karmadaVerdicts[0].reason).toMatch(/maxGroups lower than minGroups/);
    expect(karmadaVerdicts[1].reason).toMatch(/spec\.secretRef\.namespace: Required/);
    expect(karmadaVerdicts[2].reason).toMatch(/unknown field "syncModez"/);
    // The platform's NoExecute ClusterTaintPolicy, by a karmada-webhook without the post-renderer's flag.
    const taintPolicy = objects.find((o) => o.object.kind === "ClusterTaintPolicy")!.object;
    const [withoutFlag] = karmadaCheck(tools, [taintPolicy]);
    expect([withoutFlag.allowed, withoutFlag.reason]).toEqual([false, expect.stringMatching(/NoExecute/)]);
  });
});

interface KarmadaVerdict {
  kind: string;
  name: string;
  allowed: boolean;
  reason?: string;
}

/** Karmada's admission on `objects`, karmada-webhook run with `flags` (those karmada-check knows). */
function karmadaCheck(tools: Engines, objects: KubeObject[], flags: string[] = []): KarmadaVerdict[] {
  return JSON.parse(execFileSync(tools.karmadaCheck, flags, {
    input: JSON.stringify(objects),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    // Its log (klog) repeats the verdicts' reasons.
    stdio: ["pipe", "pipe", "pipe"],
  }));
}

/** The admission flags karmada-webhook's container is started with in the rendered chart. */
function webhookFlags(rendered: KubeObject[]): string[] {
  const webhook = rendered.find((o) => o.kind === "Deployment" && (o.metadata as { name?: string }).name === "karmada-webhook");
  const containers = ((webhook?.spec as { template?: { spec?: { containers?: { command?: string[] }[] } } })?.template?.spec?.containers ?? []);
  const command = containers.flatMap((c) => c.command ?? []);
  expect(command[0]).toBe("/bin/karmada-webhook");
  return command.filter((arg) => arg.startsWith("--allow-no-execute-taint-policy"));
}

/**
 * The kinds whose validating handler (`/validate-<kind>` of karmada-webhook) the Karmada chart's
 * webhook configuration calls: the chart's jobs apply that configuration to the Karmada API from a
 * ConfigMap, so it is read from the rendered ConfigMaps.
 */
function webhookRoutedKinds(rendered: KubeObject[], kinds: string[]): string[] {
  const paths = rendered
    .filter((o) => o.kind === "ConfigMap")
    .flatMap((o) => Object.values((o.data ?? {}) as Record<string, string>).flatMap((text) => safeParse(text)))
    .filter((o) => o.kind === "ValidatingWebhookConfiguration")
    .flatMap((c) => ((c.webhooks ?? []) as { clientConfig?: { url?: string } }[]).map((w) => new URL(w.clientConfig?.url ?? "http://x/").pathname));
  return kinds.filter((kind) => paths.includes(`/validate-${kind.toLowerCase()}`));
}

function safeParse(text: string): KubeObject[] {
  try {
    return parseYaml(text);
  } catch {
    return [];
  }
}
