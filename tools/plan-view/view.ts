import { type ClusterPlan, type FleetPlan, rangesOf } from "../../plan";
import type { Declared } from "../offline/evaluate";

/** A plain-text table with aligned columns. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((v, i) => (v ?? "").padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** Every range, subnet, pool and port of the plan, a row per cluster. */
export function networkTable(plan: FleetPlan): string {
  const rows = [["cluster", "role", "provider", "region", "network", "slot", "pods", "services", "vpc / lb pool", "api port / subnets"]];
  for (const c of plan.clusters) {
    const ranges = rangesOf(c);
    const host = "lbCidr" in ranges ? ranges.lbCidr : ranges.vpcCidr;
    const port = "apiServerPort" in c ? `127.0.0.1:${c.apiServerPort} (${c.kindName})` : "";
    rows.push([c.name, c.role, c.provider, c.region, c.network, c.slot === undefined ? "-" : String(c.slot), c.podCidr, c.serviceCidr, host, port]);
    for (const z of "subnets" in ranges ? ranges.subnets : []) {
      rows.push(["", "", "", "", "", "", "", "", "", `zone ${z.zone}: private ${z.private}, public ${z.public}`]);
    }
  }
  const fleet = plan.clusters.some((c) => "kindName" in c)
    ? `docker network kind ${plan.kindNetworkCidr}; Karmada API on 127.0.0.1:${plan.kind.karmadaApiHostPort}; fleet ${plan.kind.hostSlot} on this host`
    : `internal load balancers admit ${plan.eksFleetRanges.join(", ")}; the EKS APIs admit ${plan.eks.publicAccessCidrs.join(", ") || "(none yet)"}`;
  return `${table(rows)}\n\n${fleet}`;
}

/** The cluster a declared resource lands on: by its provider, or by the cluster component it sits under. */
export function clusterOf(d: Declared, plan: FleetPlan, parents: Map<string, Declared>): string {
  const names = plan.clusters.map((c) => c.name);
  const byProvider = d.providerName && names.find((n) => d.providerName === `${n}-k8s`);
  if (byProvider) return byProvider;
  if (d.providerName?.endsWith("-api")) return "Karmada API";
  // The longest name that prefixes it: `west-2-network` belongs to `west-2`, not `west`.
  const longestFirst = [...names].sort((a, b) => b.length - a.length);
  for (let at: Declared | undefined = d; at; at = at.parent ? parents.get(at.parent) : undefined) {
    const owner = longestFirst.find((n) => at!.name === n || at!.name.startsWith(`${n}-`));
    if (owner && at.type.startsWith("platform:index:")) return owner;
  }
  return "fleet";
}

/** What the program declares, per cluster, then per component, counted by type. */
export function resourceTree(plan: FleetPlan, declared: readonly Declared[]): string {
  const parents = new Map(declared.map((d) => [d.name, d]));
  const top = (d: Declared): string => {
    let at = d;
    while (at.parent && parents.get(at.parent)?.parent) at = parents.get(at.parent)!;
    return at.parent ?? at.name;
  };
  const groups = new Map<string, Map<string, Map<string, number>>>();
  for (const d of declared.filter((r) => !r.type.startsWith("platform:index:"))) {
    const cluster = clusterOf(d, plan, parents);
    const component = top(d);
    const byType = groups.get(cluster) ?? groups.set(cluster, new Map()).get(cluster)!;
    const counts = byType.get(component) ?? byType.set(component, new Map()).get(component)!;
    counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  }
  const order = [...plan.clusters.map((c) => c.name), "Karmada API", "fleet"];
  const lines: string[] = [];
  for (const cluster of order.filter((c) => groups.has(c))) {
    const components = groups.get(cluster)!;
    const total = [...components.values()].reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0);
    lines.push(`${cluster} (${total} resources)`);
    for (const [component, counts] of components) {
      const type = parents.get(component)?.type;
      lines.push(`  ${component}${type ? ` (${type})` : ""}`);
      for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${n} × ${type}`);
    }
  }
  return lines.join("\n");
}

const id = (c: ClusterPlan) => c.name.replace(/[^A-Za-z0-9_]/g, "_");

/** The fleet as a mermaid flowchart: clusters, the management plane, registrations, mesh links. */
export function fleetDiagram(plan: FleetPlan): string {
  const m = plan.management;
  const lines = ["flowchart LR"];
  lines.push(`  subgraph ${id(m)}["${m.name}: management (${m.provider}, ${m.region})"]`);
  lines.push(`    ${id(m)}_karmada[Karmada]`, `    ${id(m)}_argocd[Argo CD]`, `    ${id(m)}_prom[Prometheus + Grafana]`, "  end");
  for (const w of plan.workloads) {
    lines.push(`  subgraph ${id(w)}["${w.name}: workload (${w.provider}, ${w.region}, network ${w.network})"]`);
    lines.push(`    ${id(w)}_istiod[istiod]`, `    ${id(w)}_ew[east-west gateway]`, `    ${id(w)}_agent[Prometheus agent]`, "  end");
    lines.push(`  ${id(m)}_karmada -- push --> ${id(w)}`, `  ${id(m)}_argocd -- "cluster Secret" --> ${id(w)}`);
    lines.push(`  ${id(w)}_agent -- "remote write, cluster=${w.name}" --> ${id(m)}_prom`);
  }
  plan.workloads.forEach((a, i) =>
    plan.workloads.slice(i + 1).forEach((b) => lines.push(`  ${id(a)}_ew <-- "mTLS, mesh ${plan.mesh.meshId} (${plan.mesh.mode})" --> ${id(b)}_ew`)),
  );
  return lines.join("\n");
}

/** A page a browser shows offline: the diagram, rendered by the mermaid script next to it. */
export function diagramPage(stack: string, diagram: string): string {
  const escaped = diagram.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>Fleet ${stack}</title></head><body>`,
    `<h1>Fleet ${stack}</h1>`,
    `<pre class="mermaid">\n${escaped}\n</pre>`,
    '<script src="mermaid.min.js"></script>',
    "<script>mermaid.initialize({ startOnLoad: true });</script>",
    "</body></html>",
    "",
  ].join("\n");
}
