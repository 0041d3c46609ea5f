import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as http from "http";
import * as https from "https";
import { tmpdir } from "os";
import { join } from "path";
import * as tls from "tls";
import { parse } from "yaml";
import * as pinned from "../../components/versions";
import { type ChartRef, GATEWAY_API_CRDS, ISTIO_CHART_REPO, ISTIO_VERSION, KARMADA_CHART, KARMADA_VERSION, METALLB_CHART } from "../../components/versions";
import { engines } from "../engines/support/engines";
import { unknownValuePaths } from "../support/chart-values";
import { type ChartMirror, startChartMirror } from "./charts";
import { STAND_INS } from "./charts/standins";
import { fullnameHelper, workloadTemplate } from "./charts/templates";

// The simulation's chart mirror, offline: every pinned chart is served through the HTTPS
// interception proxy to a client that trusts only the mirror's CA; anything else is a loud 404.

/** GET through the proxy's CONNECT tunnel, trusting only `ca`. */
function fetchThrough(proxyPort: number, ca: Buffer, url: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: "127.0.0.1", port: proxyPort, method: "CONNECT", path: `${hostname}:${port || 443}` });
    connect.on("error", reject);
    connect.on("connect", (_res, socket) => {
      const secure = tls.connect({ socket, servername: hostname, ca });
      secure.on("error", reject);
      const req = https.get(url, { createConnection: () => secure }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          secure.destroy();
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) });
        });
      });
      req.on("error", reject);
    });
    connect.end();
  });
}

/** Every ChartRef that components/versions.ts exports, and the Istio charts components/mesh/istio.ts installs. */
function pinnedCharts(): ChartRef[] {
  const exported = Object.values(pinned).filter((v) => typeof v === "object" && v !== null && "chart" in v) as ChartRef[];
  const istioSource = readFileSync(join(__dirname, "..", "..", "components", "mesh", "istio.ts"), "utf8");
  const istio = [...new Set([...istioSource.matchAll(/chart\("([a-z]+)"\)/g)].map((m) => m[1]))];
  return [...exported, ...istio.map((chart) => ({ chart, version: ISTIO_VERSION, repo: ISTIO_CHART_REPO }))];
}

/** The chart-keys fixture of a chart (test/fixtures/chart-keys): Istio's are prefixed where the name is generic. */
const FIXTURE_NAMES: Record<string, string> = { base: "istio-base", cni: "istio-cni", gateway: "istio-gateway" };

/** A values object with every dotted path set. */
function pathsObject(paths: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    const keys = path.split(".");
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = true;
  }
  return root;
}

let available = true;
try {
  engines([]);
} catch (e) {
  available = false;
  console.warn(`chart mirror tests skipped: ${(e as Error).message}`);
}

(available ? describe : describe.skip)("the simulation's chart mirror", () => {
  let dir: string;
  let mirror: ChartMirror;
  let ca: Buffer;
  const get = (url: string) => fetchThrough(mirror.port, ca, url);
  /** The Chart.yaml of a served tgz's one folder. */
  const chartYaml = (tgz: Buffer) => {
    const file = join(dir, "fetched.tgz");
    writeFileSync(file, tgz);
    const folder = execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).split("/")[0];
    return parse(execFileSync("tar", ["-xzOf", file, `${folder}/Chart.yaml`], { encoding: "utf8" }));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chart-mirror-"));
    mirror = await startChartMirror({ dir: join(dir, "mirror") });
    ca = readFileSync(mirror.caFile);
  });
  afterAll(async () => {
    await mirror?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("its environment points a Go client at the proxy and at the CA as its only roots", () => {
    expect(mirror.env).toEqual({ HTTPS_PROXY: `http://127.0.0.1:${mirror.port}`, SSL_CERT_FILE: mirror.caFile });
  });

  test.each(pinnedCharts().map((ref) => [ref.repo ? `${ref.chart}@${ref.version}` : ref.chart, ref] as const))("%s is served", async (_label, ref) => {
    let url = ref.chart;
    if (ref.repo) {
      const index = await get(`${ref.repo}/index.yaml`);
      expect(index.status).toBe(200);
      const entries = parse(index.body.toString()).entries[ref.chart] as { version: string; urls: string[] }[];
      expect(entries.map((e) => e.version)).toEqual([ref.version]);
      url = new URL(entries[0].urls[0], `${ref.repo}/`).toString();
    }
    const tgz = await get(url);
    expect(tgz.status).toBe(200);
    const chart = chartYaml(tgz.body);
    expect(chart.name).toBe(ref === KARMADA_CHART ? "karmada" : ref.chart);
    // Karmada's release archive carries the release as its version; the others their pin.
    expect(chart.version).toBe(ref === KARMADA_CHART ? KARMADA_VERSION : ref.version);
    const standIn = chart.annotations?.["platform.sim/stand-in"];
    expect(standIn === undefined).toBe(ref === KARMADA_CHART || ref === METALLB_CHART);
  });

  test("Gateway API's CRDs are served at the URL the program applies", async () => {
    const crds = await get(GATEWAY_API_CRDS);
    expect(crds.status).toBe(200);
    const kinds = crds.body.toString().match(/^ {4}kind: \w+$/gm)?.map((line) => line.trim());
    expect(kinds).toEqual(expect.arrayContaining(["kind: Gateway", "kind: GatewayClass", "kind: HTTPRoute"]));
  });

  test("an unmirrored URL is a 404, logged", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const url = `${ISTIO_CHART_REPO}/istiod-0.0.1.tgz`;
      expect((await get(url)).status).toBe(404);
      expect(mirror.requests).toContain(`404 ${url}`);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(url));
      expect(readFileSync(join(dir, "mirror", "requests.log"), "utf8")).toContain(`404 ${url}`);
    } finally {
      warn.mockRestore();
    }
  });

  test("a client that does not trust the mirror's CA refuses it", async () => {
    await expect(fetchThrough(mirror.port, Buffer.from(""), GATEWAY_API_CRDS)).rejects.toThrow();
  });
});

describe("stand-in charts", () => {
  test("the Istio charts are found where istio.ts installs them", () => {
    expect(pinnedCharts().filter((ref) => ref.repo === ISTIO_CHART_REPO).map((ref) => ref.chart).sort()).toEqual(["base", "cni", "gateway", "istiod", "ztunnel"]);
  });

  test.each(Object.entries(STAND_INS))("%s reads the program's values only at paths the real chart has", (name, standIn) => {
    const version = pinnedCharts().find((ref) => ref.chart === name)?.version;
    expect(version).toBeDefined();
    const fixture = `${FIXTURE_NAMES[name] ?? name}@${version}`;
    const templates = [
      ...Object.values(standIn.templates ?? {}),
      ...(standIn.workloads ?? []).map(workloadTemplate),
      standIn.fullname ? fullnameHelper(standIn.fullname) : "",
    ].join("\n");
    const read = [...templates.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((m) => m[1]);
    expect(unknownValuePaths(standIn.values ?? {}, fixture)).toEqual([]);
    expect(unknownValuePaths(pathsObject(read), fixture)).toEqual([]);
  });
});
