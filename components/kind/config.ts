import { stringify } from "yaml";
import type { KindClusterPlan } from "../../plan";
import { nodeLabels } from "../cluster";
import { KIND_NODE_IMAGE } from "../versions";

/** A host port forwarded to a node port of the first control-plane node. */
export interface PortMapping {
  containerPort: number;
  hostPort: number;
  /** Default 127.0.0.1: nothing of a dev fleet is exposed beyond the workstation. */
  listenAddress?: string;
}

/**
 * The kind `Cluster` config (kind.x-k8s.io/v1alpha4) for a planned cluster, as YAML. It is the
 * whole identity of the cluster: any change to it recreates the cluster.
 */
export function renderKindConfig(spec: KindClusterPlan, portMappings: readonly PortMapping[] = []): string {
  // On EKS the cloud provider sets the region label; on kind, Istio's locality needs it from us.
  const labels = { ...nodeLabels(spec), "topology.kubernetes.io/region": spec.region };
  const node = (role: "control-plane" | "worker", first: boolean) => ({
    role,
    image: KIND_NODE_IMAGE,
    labels,
    ...(first && portMappings.length > 0
      ? {
          extraPortMappings: portMappings.map((m) => ({
            containerPort: m.containerPort,
            hostPort: m.hostPort,
            listenAddress: m.listenAddress ?? "127.0.0.1",
            protocol: "TCP",
          })),
        }
      : {}),
  });
  return stringify({
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: spec.kindName,
    networking: {
      apiServerAddress: "127.0.0.1",
      apiServerPort: spec.apiServerPort,
      podSubnet: spec.podCidr,
      serviceSubnet: spec.serviceCidr,
    },
    nodes: [
      ...Array.from({ length: spec.nodes.controlPlanes }, (_, i) => node("control-plane", i === 0)),
      ...Array.from({ length: spec.nodes.workers }, () => node("worker", false)),
    ],
  });
}

/**
 * The API server address that containers on the docker `kind` network use: the control-plane
 * node's name, or kind's load balancer when there are several control planes.
 */
export function internalEndpoint(spec: KindClusterPlan): string {
  const host = spec.nodes.controlPlanes > 1 ? `${spec.kindName}-external-load-balancer` : `${spec.kindName}-control-plane`;
  return `https://${host}:6443`;
}
