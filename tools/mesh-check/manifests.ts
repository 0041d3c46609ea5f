import { meshEnrollmentLabels } from "../../components/mesh";
import { MESH_CHECK_IMAGES } from "../../components/versions";

export const NAMESPACE = "mesh-check";
export const SERVER_PORT = 8080;

/** The echo Service that only `cluster` runs: its name says where it lives. */
export function serverName(cluster: string): string {
  return `echo-${cluster}`;
}

/**
 * What the check deploys in one cluster: a namespace in the mesh, a client, the echo server that
 * runs in this cluster only (so a call to it from elsewhere must cross networks), and the Service
 * of every cluster's echo server. In ambient mode ztunnel answers DNS only for Services of the
 * caller's own cluster, so the name must exist there, marked global, with its pods elsewhere.
 */
export function manifests(cluster: string, fleet: readonly string[], mode: "sidecar" | "ambient"): Record<string, unknown>[] {
  const server = serverName(cluster);
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE, labels: meshEnrollmentLabels(mode) } },
    deployment(NAMESPACE, server, {
      image: MESH_CHECK_IMAGES.server,
      args: ["netexec", `--http-port=${SERVER_PORT}`],
      ports: [{ containerPort: SERVER_PORT }],
    }),
    ...fleet.map((home) => ({
      apiVersion: "v1",
      kind: "Service",
      // Ambient makes a service reachable across clusters only when it is marked global.
      metadata: { name: serverName(home), namespace: NAMESPACE, labels: { app: serverName(home), "istio.io/global": "true" } },
      spec: { selector: { app: serverName(home) }, ports: [{ name: "http", port: SERVER_PORT, targetPort: SERVER_PORT }] },
    })),
    clientDeployment(NAMESPACE),
  ];
}

/** A one-replica Deployment of one container, both called `name`. */
function deployment(namespace: string, name: string, container: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ...container }] } },
    },
  };
}

/** A `client` that curl runs in (`kubectl exec deployment/client -c client`), idle otherwise. */
export function clientDeployment(namespace: string): Record<string, unknown> {
  return deployment(namespace, "client", { image: MESH_CHECK_IMAGES.client, command: ["sleep", "infinity"] });
}
