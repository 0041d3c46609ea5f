import { execFileSync } from "child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { KARMADA_CHART, METALLB_CHART } from "../../../components/versions";
import type { Engines } from "./engines";
import { type KubeObject, parseYaml } from "./objects";

/** A Helm release as the program declares it (its inputs, secrets unwrapped). */
export interface ReleaseInputs {
  name: string;
  namespace?: string;
  chart: string;
  version?: string;
  values?: Record<string, unknown>;
  /** A post-renderer, relative to the project's folder (where Pulumi runs the provider, and Helm it). */
  postrender?: string;
}

/** The project's folder. */
const PROJECT = join(__dirname, "..", "..", "..");

/** A chart's folder and the folders of the dependencies it lacks (copied into its `charts/`). */
export interface ServedChart {
  dir: string;
  dependencies: string[];
}

/**
 * The folder of a pinned chart where a registry serves it (the Go modules of its project), or
 * undefined: no chart repository is reachable from CI. The Karmada chart's one dependency (Bitnami's
 * `common`) is not served: test/engines/charts/common stands in for the two helpers it calls.
 */
export function servedChart(engines: Engines, release: Pick<ReleaseInputs, "chart" | "version">): ServedChart | undefined {
  if (release.chart === KARMADA_CHART.chart) {
    return { dir: join(engines.karmadaModule, "charts", "karmada"), dependencies: [join(__dirname, "..", "charts", "common")] };
  }
  if (release.chart === METALLB_CHART.chart && release.version === METALLB_CHART.version && engines.crdModules.metallb.endsWith(`@v${METALLB_CHART.version}`)) {
    return { dir: join(engines.crdModules.metallb, "charts", "metallb"), dependencies: [] };
  }
  return undefined;
}

/** Copies a served chart into `dir`, its dependencies into `dir/charts/`: the chart as Helm loads it. */
export function assembleChart(chart: ServedChart, dir: string): void {
  cpSync(chart.dir, dir, { recursive: true });
  for (const dependency of chart.dependencies) cpSync(dependency, join(dir, "charts", dependency.split("/").pop()!), { recursive: true });
}

/**
 * `helm template` of a release with the program's values and post-renderer, for `kubeVersion` and
 * the server's API versions, CRDs and hooks included: what `helm install` would send.
 */
export function renderRelease(
  helm: string,
  chart: ServedChart,
  release: ReleaseInputs,
  kubeVersion: string,
  apiVersions: string[],
): KubeObject[] {
  // Helm sends a namespaced object without a namespace to the release's namespace: so does the tier.
  const work = mkdtempSync(join(tmpdir(), "chart-"));
  try {
    const dir = join(work, "chart");
    assembleChart(chart, dir);
    const values = join(work, "values.json");
    writeFileSync(values, JSON.stringify(release.values ?? {}));
    const namespace = release.namespace ?? "default";
    const out = execFileSync(
      helm,
      [
        "template", release.name, dir, "--namespace", namespace, "--values", values, "--kube-version", kubeVersion, "--include-crds",
        ...apiVersions.flatMap((v) => ["--api-versions", v]),
        ...(release.postrender ? ["--post-renderer", join(PROJECT, release.postrender)] : []),
      ],
      { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000, env: { ...process.env, HELM_CACHE_HOME: join(work, "cache"), HELM_CONFIG_HOME: join(work, "config"), HELM_DATA_HOME: join(work, "data") } },
    );
    return parseYaml(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
