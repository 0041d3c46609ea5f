import { MESH_CHECK_IMAGES } from "../../components/versions";

export const NAMESPACE = "mesh-check";
export const SERVER_PORT = 8080;

/** The echo Service that only `cluster` runs: its name says where it lives. */
export function serverName(cluster: string): string {
  return `echo-${cluster}`;
}

/**
 * What the check deploys in one cluster: a namespace in the mesh, a client, and an echo server
 * that exists in this cluster only (so a call to it from elsewhere must cross networks).
 */
export function manifests(cluster: string, mode: "sidecar" | "ambient"): Record<string, unknown>[] {
  const server = serverName(cluster);
  const meshLabel = mode === "ambient" ? { "istio.io/dataplane-mode": "ambient" } : { "istio-injection": "enabled" };
  const deployment = (name: string, container: Record<string, unknown>) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: NAMESPACE },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ...container }] } },
    },
  });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE, labels: meshLabel } },
    deployment(server, {
      image: MESH_CHECK_IMAGES.server,
      args: ["netexec", `--http-port=${SERVER_PORT}`],
      ports: [{ containerPort: SERVER_PORT }],
    }),
    {
      apiVersion: "v1",
      kind: "Service",
      // Ambient makes a service visible to other clusters only when it is marked global.
      metadata: { name: server, namespace: NAMESPACE, labels: { app: server, "istio.io/global": "true" } },
      spec: { selector: { app: server }, ports: [{ name: "http", port: SERVER_PORT, targetPort: SERVER_PORT }] },
    },
    deployment("client", { image: MESH_CHECK_IMAGES.client, command: ["sleep", "infinity"] }),
  ];
}
