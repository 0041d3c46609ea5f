import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { basename, join } from "path";
import { parseDocument, stringify } from "yaml";
import * as pinned from "../../../components/versions";
import { type ChartRef, GATEWAY_API_CRDS, istioChart, KARMADA_CHART, KARMADA_VERSION } from "../../../components/versions";
import { assembleChart, type ServedChart, servedChart } from "../../engines/support/charts";
import { type Engines, versions } from "../../engines/support/engines";
import { yamlFiles } from "../../engines/support/objects";
import { STAND_IN_ANNOTATION, STAND_INS, type StandIn } from "./standins";
import { fullnameHelper, workloadTemplate } from "./templates";

/** The Istio charts the program installs (components/mesh/istio.ts), all at `ISTIO_VERSION`. */
export const ISTIO_CHARTS = ["base", "istiod", "gateway", "cni", "ztunnel"];

/**
 * Every chart the mirror serves: each `ChartRef` that components/versions.ts exports, and the
 * Istio charts from its `istioChart`. A ChartRef added there without a module or a stand-in
 * makes the mirror fail at start (`chartOrigin`), not the fleet halfway.
 */
export function mirroredCharts(): ChartRef[] {
  const exported = Object.values(pinned).filter((v): v is ChartRef => typeof v === "object" && v !== null && typeof (v as ChartRef).chart === "string");
  return [...exported, ...ISTIO_CHARTS.map(istioChart)];
}

/** Where a chart comes from: a module's folder (the real chart) or a stand-in. */
export function chartOrigin(engines: Engines, ref: ChartRef): { real: ServedChart } | { standIn: StandIn } {
  const real = servedChart(engines, ref);
  if (real) return { real };
  const standIn = STAND_INS[ref.chart];
  if (!standIn) throw new Error(`chart mirror: ${ref.chart}@${ref.version} (${ref.repo ?? "no repository"}) has neither a module nor a stand-in (test/sim/charts/standins.ts)`);
  return { standIn };
}

/** The tgz's URL: the chart's own when it is a URL, else beside the repository's index. */
export function chartUrl(ref: ChartRef): string {
  return ref.repo ? `${ref.repo}/${ref.chart}-${ref.version}.tgz` : ref.chart;
}

/** The CRD files of a module of versions.json's `crdModules`, concatenated as a release's install YAML does. */
function crdText(engines: Engines, module: string): string {
  return yamlFiles(engines.crdModules[module], versions.crdModules[module].files)
    .map((file) => readFileSync(file, "utf8"))
    .join("\n---\n");
}

/** Writes a stand-in chart's folder. */
function writeStandIn(engines: Engines, ref: ChartRef, standIn: StandIn, dir: string): void {
  mkdirSync(join(dir, "templates"), { recursive: true });
  const chart = {
    apiVersion: "v2",
    name: ref.chart,
    version: ref.version,
    description: `Simulation stand-in for ${ref.chart} ${ref.version}`,
    annotations: { [STAND_IN_ANNOTATION]: standIn.carries },
  };
  writeFileSync(join(dir, "Chart.yaml"), stringify(chart));
  writeFileSync(join(dir, "values.yaml"), stringify(standIn.values ?? {}));
  if (standIn.crds) {
    const text = crdText(engines, standIn.crds.module);
    if (standIn.crds.in === "crds") {
      mkdirSync(join(dir, "crds"));
      writeFileSync(join(dir, "crds", "crds.yaml"), text);
    } else if (standIn.crds.in === "subchart") {
      const sub = join(dir, "charts", "crds");
      mkdirSync(join(sub, "crds"), { recursive: true });
      writeFileSync(join(sub, "Chart.yaml"), stringify({ apiVersion: "v2", name: "crds", version: "0.0.0", annotations: { [STAND_IN_ANNOTATION]: "the parent's CRDs" } }));
      writeFileSync(join(sub, "crds", "crds.yaml"), text);
    } else {
      // Read as a file, as Istio's base chart does: CRD descriptions are no templates.
      mkdirSync(join(dir, "files"));
      writeFileSync(join(dir, "files", "crds.yaml"), text);
      writeFileSync(join(dir, "templates", "crds.yaml"), '{{ .Files.Get "files/crds.yaml" }}\n');
    }
  }
  if (standIn.fullname) writeFileSync(join(dir, "templates", "_helpers.tpl"), fullnameHelper(standIn.fullname));
  (standIn.workloads ?? []).forEach((w, i) => writeFileSync(join(dir, "templates", `workload-${i}.yaml`), workloadTemplate(w)));
  for (const [name, text] of Object.entries(standIn.templates ?? {})) writeFileSync(join(dir, "templates", name), text);
}

/** `tar -czf` of `<work>/<name>`: a chart archive as Helm loads it. */
function pack(work: string, name: string, out: string): void {
  execFileSync("tar", ["-czf", out, "-C", work, name]);
}

/**
 * Builds the mirror's files into `dir`: each chart's tgz, each repository's `index.yaml`, Gateway
 * API's CRDs. Returns URL → file.
 */
export function buildMirror(engines: Engines, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const indexes = new Map<string, Record<string, unknown[]>>();
  const created = new Date().toISOString();
  for (const [i, ref] of mirroredCharts().entries()) {
    const work = join(dir, "build", String(i));
    const origin = chartOrigin(engines, ref);
    // An archive's one folder is the chart's name; a URL's chart (Karmada) is named by its folder.
    const name = "real" in origin ? basename(origin.real.dir) : ref.chart;
    const chartDir = join(work, name);
    if ("real" in origin) {
      assembleChart(origin.real, chartDir);
      if (ref.chart === KARMADA_CHART.chart) {
        // The release's archive is `helm package --version <release>` of the module's chart (karmada hack/package-helm-chart.sh).
        const chart = parseDocument(readFileSync(join(chartDir, "Chart.yaml"), "utf8"));
        chart.set("version", KARMADA_VERSION);
        writeFileSync(join(chartDir, "Chart.yaml"), chart.toString());
      }
    } else {
      writeStandIn(engines, ref, origin.standIn, chartDir);
    }
    const tgz = join(dir, `${i}-${name}.tgz`);
    pack(work, name, tgz);
    rmSync(work, { recursive: true });
    files.set(chartUrl(ref), tgz);
    if (ref.repo) {
      const entries = indexes.get(ref.repo) ?? {};
      const digest = createHash("sha256").update(readFileSync(tgz)).digest("hex");
      entries[ref.chart] = [{ apiVersion: "v2", name: ref.chart, version: ref.version, digest, created, urls: [chartUrl(ref)] }];
      indexes.set(ref.repo, entries);
    }
  }
  [...indexes].forEach(([repo, entries], i) => {
    const file = join(dir, `index-${i}.yaml`);
    writeFileSync(file, stringify({ apiVersion: "v1", entries, generated: created }));
    files.set(`${repo}/index.yaml`, file);
  });
  const crds = join(dir, "gateway-api-standard-install.yaml");
  writeFileSync(crds, crdText(engines, "gatewayApi"));
  files.set(GATEWAY_API_CRDS, crds);
  return files;
}
