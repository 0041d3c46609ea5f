import type * as pulumi from "@pulumi/pulumi";

/**
 * How a platform service running in a cluster is reached from outside it. Components ask their
 * cluster (`Cluster.reach`) and render what it answers; only the cluster implementations (kind,
 * EKS) know whether that means a node port, an in-cluster load balancer or a cloud one.
 */

/** Who must reach the service. */
export type Audience =
  /** Pods of the fleet's other clusters (remote write, mesh traffic). */
  | "fleet"
  /** The host running Pulumi, which creates objects through it (the Karmada API), and the fleet. */
  | "operator"
  /** People opening a web console. */
  | "console"
  /** The users of the fleet's apps: the internet, or the workstation's entry in front of a kind fleet. */
  | "public";

/** The platform's services that are reached from outside their cluster. */
export type PlatformService =
  | "karmada-api"
  | "argocd-server"
  | "prometheus"
  | "east-west-gateway"
  | "ingress-gateway"
  /** Loki's push endpoint (its gateway), for the collectors of every cluster. */
  | "loki"
  /** Tempo's OTLP gRPC receiver, for the collectors of every workload cluster. */
  | "tempo"
  /** Kiali's console. */
  | "kiali";

export interface ServiceRequest {
  service: PlatformService;
  /** The port the Service listens on. */
  port: number;
  audience: Audience;
  /**
   * The address must be a LoadBalancer Service's status: Istio finds network gateways that way.
   * Default false.
   */
  loadBalancer?: boolean;
  /** `console` only: the local port of `kubectl port-forward` where the service stays in-cluster. */
  localPort?: number;
  /**
   * `operator` only: an HTTPS path that answers once the service serves (`/readyz`). Where the
   * address comes up after the Service does (a cloud load balancer), it is handed out only once
   * that path answers, within a bounded wait. Default: no wait.
   */
  readyPath?: string;
}

/** The Service fields a chart must render for the answer. */
export interface ServiceShape {
  type: "ClusterIP" | "NodePort" | "LoadBalancer";
  nodePort?: number;
  /** Load-balancer annotations; empty for other types. */
  annotations: Record<string, string>;
}

/** Where a Service made by a chart or controller is read back, once its creator exists. */
export interface ServiceRead {
  /** Resource name of the read. */
  name: string;
  /** What creates the Service: a chart release, a Gateway. */
  creator: pulumi.CustomResource;
  /** `namespace/name` of the Service. */
  id: string;
  parent: pulumi.Resource;
}

export interface Endpoint {
  host: string;
  port: number;
}

/** A cluster's answer to a `ServiceRequest`. */
export interface ServiceReach {
  readonly service: ServiceShape;
  /** Host names the service's TLS certificate must carry for the audience (beyond in-cluster names). */
  readonly tlsNames: string[];
  /** What must exist before the Service is created (an in-cluster load balancer's pool). */
  readonly dependsOn: pulumi.Resource[];
  /** Where the audience reaches the service; `read` says where its Service is, when the address is in its status. */
  address(read: ServiceRead): pulumi.Output<Endpoint>;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/** `scheme://host[:port]path`, the port left out when it is the scheme's default. */
export function serviceUrl(scheme: "http" | "https", { host, port }: Endpoint, path = ""): string {
  return `${scheme}://${host}${DEFAULT_PORTS[scheme] === port ? "" : `:${port}`}${path}`;
}

/** The usual chart values of a Service (`type`, `nodePort`, `annotations`) for a shape. */
export function serviceValues(shape: ServiceShape): Record<string, unknown> {
  return {
    type: shape.type,
    ...(shape.nodePort !== undefined ? { nodePort: shape.nodePort } : {}),
    ...(shape.type === "LoadBalancer" ? { annotations: shape.annotations } : {}),
  };
}
