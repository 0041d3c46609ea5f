import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "../components/cluster";
import type { ManagementPlane } from "../components/management";
import type { Mesh } from "../components/mesh";
import type { FleetObservability } from "../components/observability";
import type { ManagementBackups } from "../components/recovery";
import type { Teams } from "../components/teams";
import { ingressHost, serviceHost } from "../components/placement";
import type { AppOutput, ClusterOutput, FleetOutputs } from "../packages/contract/src";
import { type AppPlan, type MeshSettings, rangesOf } from "../plan";

/** What a team is handed: a kubeconfig per cluster of its and for the Karmada API, and its Argo CD project. */
export interface TeamOutput {
  kubeconfigs: Record<string, string>;
  karmadaKubeconfig: string;
  argocdProject: string;
}

/** What a composition returns: the contract, and the teams' access, with values still being computed. */
export type StackOutputs = { [K in keyof FleetOutputs]: pulumi.Output<FleetOutputs[K]> } & { teams: pulumi.Output<Record<string, TeamOutput>> };

/** The contract's management-plane outputs. */
export function managementOutputs(plane: ManagementPlane): Pick<StackOutputs, "karmada" | "argocd" | "grafana" | "prometheus"> {
  const { karmada, argocd, monitoring } = plane;
  return {
    karmada: pulumi.secret(
      pulumi.all([karmada.endpoint, karmada.kubeconfig]).apply(([endpoint, kubeconfig]) => ({ endpoint, kubeconfig })),
    ),
    argocd: pulumi.secret(pulumi.all([argocd.url, argocd.adminPassword]).apply(([url, adminPassword]) => ({ url, adminPassword }))),
    grafana: pulumi.secret(
      pulumi.all([monitoring.grafanaUrl, monitoring.grafanaAdminPassword]).apply(([url, adminPassword]) => ({ url, adminPassword })),
    ),
    prometheus: monitoring.remoteWriteUrl.apply((remoteWriteUrl) => ({ remoteWriteUrl })),
  };
}

/** The contract's `mesh` output. */
export function meshOutputs(mesh: Mesh, settings: MeshSettings): Pick<StackOutputs, "mesh"> {
  return {
    mesh: pulumi
      .all([mesh.clusters, mesh.rootCertPem])
      .apply(([clusters, rootCert]) => ({ meshID: settings.meshId, mode: settings.mode, clusters, rootCert })),
  };
}

/** The contract's `apps`: where each app runs, known from the plan (and the repository Argo CD reads). */
export function appOutputs(
  apps: readonly AppPlan[],
  gitops: { repoURL: pulumi.Input<string>; revision: string },
  ingress: { domain: string; url?: (host: string) => string },
): Pick<StackOutputs, "apps"> {
  return {
    apps: pulumi.output(gitops.repoURL).apply((repoURL) =>
      Object.fromEntries(
        apps.map((app): [string, AppOutput] => {
          const host = ingressHost(app, ingress.domain);
          const common = {
            targets: [...app.targets],
            standby: [...app.standby],
            host: serviceHost(app),
            port: app.port,
            mode: app.placement.mode,
            ingressHost: host,
            ...(ingress.url ? { url: ingress.url(host) } : {}),
          };
          return [
            app.name,
            app.engine === "argocd"
              ? { ...common, engine: "argocd", source: { repoURL, revision: gitops.revision, path: app.source.path } }
              : { ...common, engine: "karmada", replicas: { ...app.expectedReplicas } },
          ];
        }),
      ),
    ),
  };
}

/** The contract's `observability`: where each signal goes and each tool is. */
export function observabilityOutputs(observability: FleetObservability, backups: ManagementBackups): Pick<StackOutputs, "observability"> {
  return {
    observability: pulumi
      .all([observability.topology.url, observability.logs.pushUrl, observability.traces.otlpEndpoint, backups.backupLocation])
      .apply(([kialiUrl, logPushUrl, traceEndpoint, backupLocation]) => ({ kialiUrl, logPushUrl, traceEndpoint, backupLocation })),
  };
}

/** The contract's `readers`: the query credentials of the central Prometheus's gateway and of Loki's. */
export function readerOutputs(plane: ManagementPlane, observability: FleetObservability): Pick<StackOutputs, "readers"> {
  const { monitoring } = plane;
  const { logs } = observability;
  return {
    readers: pulumi
      .secret(pulumi.all([monitoring.fleetQueryUrl, monitoring.reader.password, logs.fleetQueryUrl, logs.reader.password]))
      .apply(([prometheusUrl, prometheusPassword, lokiUrl, lokiPassword]) => ({
        prometheus: { url: prometheusUrl, username: monitoring.reader.username, password: prometheusPassword },
        loki: { url: lokiUrl, username: logs.reader.username, password: lokiPassword },
      })),
  };
}

/** `teams`: by team, its kubeconfigs (secret: a kind cluster's carries the team's token). */
export function teamOutputs(teams: Teams): Pick<StackOutputs, "teams"> {
  const entries = Object.entries(teams.access).map(([name, access]) =>
    pulumi
      .all([pulumi.all(access.kubeconfigs), access.karmada])
      .apply(([kubeconfigs, karmadaKubeconfig]): [string, TeamOutput] => [name, { kubeconfigs, karmadaKubeconfig, argocdProject: access.project }]),
  );
  return { teams: pulumi.secret(pulumi.all(entries).apply((list) => Object.fromEntries(list))) };
}

/** The contract's `clusters` and `kubeconfigs` for a set of running clusters. */
export function fleetOutputs(clusters: readonly Cluster[]): Pick<StackOutputs, "clusters" | "kubeconfigs"> {
  const byName = <T>(pick: (c: Cluster) => pulumi.Input<T>): pulumi.Output<Record<string, T>> =>
    pulumi
      .all(clusters.map((c) => pulumi.output(pick(c))))
      .apply((values) => Object.fromEntries(clusters.map((c, i) => [c.name, values[i] as T])));

  return {
    clusters: byName((c) =>
      pulumi.all([c.endpoint, c.internalEndpoint]).apply(([endpoint, internalEndpoint]): ClusterOutput => {
        const s = c.spec;
        return {
          name: s.name,
          role: s.role,
          provider: s.provider,
          region: s.region,
          network: s.network,
          labels: { ...s.labels },
          ...rangesOf(s),
          endpoint,
          internalEndpoint,
        };
      }),
    ),
    kubeconfigs: pulumi.secret(byName((c) => c.kubeconfig)),
  };
}
