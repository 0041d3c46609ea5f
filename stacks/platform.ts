import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import { ArgoCd, ManagementPlane } from "../components/management";
import { Mesh } from "../components/mesh";
import { FleetObservability, lokiDataSource, PROMETHEUS_READER_NAMESPACES, TEMPO_QUERY_URL, tempoDataSource, tracingMeshConfig } from "../components/observability";
import { ManagementBackups } from "../components/recovery";
import { GitOpsApp, PlacedApp } from "../components/placement";
import { Teams } from "../components/teams";
import { nextTurn } from "./turns";
import { CONTRACT_VERSION } from "../packages/contract/src";
import type { FleetPlan } from "../plan";
import { appOutputs, fleetOutputs, managementOutputs, meshOutputs, observabilityOutputs, readerOutputs, type StackOutputs, teamOutputs } from "./outputs";

/**
 * The fleet's one entry in front of the workload clusters' ingress gateways, which only the
 * composition knows how to make (a proxy on the workstation, DNS records). It answers the URL
 * users open for a host name, or nothing when the fleet has no entry.
 */
export type FleetEntry = (gateways: { cluster: Cluster; address: pulumi.Output<string> }[]) => ((host: string) => string) | undefined;

/**
 * What every composition puts on its clusters (one per plan entry, in plan order): the management
 * plane, the mesh, the apps (placed through Karmada or synced by Argo CD), the teams, logs, traces,
 * topology and cost, the management plane's backups, and the stack outputs. Each cluster says how its services are reached.
 */
export async function composePlatform(plan: FleetPlan, clusters: readonly Cluster[], entry?: FleetEntry): Promise<StackOutputs> {
  const byName = new Map(clusters.map((c) => [c.name, c]));
  const running = (name: string): Cluster => {
    const cluster = byName.get(name);
    if (!cluster) throw new Error(`the composition made no cluster for plan entry ${name}`);
    return cluster;
  };
  const management = running(plan.management.name);
  const workloads = plan.workloads.map((w) => running(w.name));
  const plane = new ManagementPlane("platform", {
    management,
    workloads,
    alertReceivers: pulumi.secret([...plan.alertReceivers]),
    gitops: plan.gitops,
    metrics: {
      retention: { time: plan.observability.metrics.retention, volume: plan.observability.metrics.volume },
      dataSources: [lokiDataSource(), tempoDataSource(TEMPO_QUERY_URL)],
      readers: PROMETHEUS_READER_NAMESPACES,
    },
  });
  await nextTurn();
  // Every istiod sends spans to its own cluster's collector.
  const mesh = new Mesh("mesh", { clusters: workloads, settings: plan.mesh, meshConfig: tracingMeshConfig() });
  await nextTurn();
  const { monitoring } = plane;
  const observability = new FleetObservability("platform-observability", {
    management,
    workloads,
    mesh: plan.mesh,
    settings: plan.observability,
    metrics: {
      queryUrl: monitoring.queryUrl,
      fleetQueryUrl: monitoring.fleetQueryUrl,
      reader: monitoring.reader,
      central: monitoring.central,
      agents: monitoring.agents,
    },
    istio: mesh.istio,
  });
  await nextTurn();
  const backups = new ManagementBackups("platform-backups", { host: management });
  const { karmada, gitops } = plane;
  // Pods start once the sidecar injector serves.
  const istio = Object.values(mesh.istio);
  for (const app of plan.apps) {
    if (app.engine === "argocd") {
      new GitOpsApp(`app-${app.name}`, {
        app,
        argocd: { provider: management.provider, namespace: ArgoCd.namespace, ...gitops },
        meshMode: plan.mesh.mode,
        domain: plan.ingress.domain,
        clusters: workloads,
        ready: istio,
      });
    } else {
      new PlacedApp(`app-${app.name}`, {
        app,
        karmada: { templateOptions: karmada.templateOptions, provider: karmada.provider, ready: [...karmada.members, ...istio] },
        meshMode: plan.mesh.mode,
        domain: plan.ingress.domain,
        callers: workloads,
      });
    }
  }
  const teams = new Teams("teams", {
    teams: plan.teams,
    clusters: workloads,
    karmada: { provider: karmada.provider, endpoint: karmada.endpoint },
    argocd: { provider: management.provider, namespace: ArgoCd.namespace, repoURL: gitops.repoURL, ready: gitops.ready },
  });
  const url = entry?.(workloads.map((cluster) => ({ cluster, address: mesh.istio[cluster.name].ingressGatewayAddress })));
  return {
    contractVersion: pulumi.output(CONTRACT_VERSION),
    ...fleetOutputs(clusters),
    ...managementOutputs(plane),
    ...meshOutputs(mesh, plan.mesh),
    ...appOutputs(plan.apps, gitops, { domain: plan.ingress.domain, url }),
    ...observabilityOutputs(observability, backups),
    ...readerOutputs(plane, observability),
    ...teamOutputs(teams),
  };
}
