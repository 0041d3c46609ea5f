/**
 * The fleet's output contract: the stack outputs other programs read through a StackReference.
 * Keys are only ever added, never renamed or removed. Types only; it imports nothing.
 */

/** What a cluster does in the fleet. */
export type ClusterRole = "management" | "workload";
/** What runs a cluster. */
export type ClusterProvider = "kind" | "eks";
/** How the mesh carries traffic: sidecar proxies, or ambient (ztunnel). */
export type MeshMode = "sidecar" | "ambient";

/** One cluster of the fleet, as other teams see it. */
export interface ClusterOutput {
  name: string;
  role: ClusterRole;
  provider: ClusterProvider;
  region: string;
  /** Mesh network name. */
  network: string;
  /** Placement labels: the user's plus `cluster`, `region`, `env`. */
  labels: Record<string, string>;
  podCidr: string;
  serviceCidr: string;
  /** EKS only. */
  vpcCidr?: string;
  /** EKS only: per availability zone, the private and public subnets of the VPC. */
  subnets?: { zone: number; private: string; public: string }[];
  /** kind only: the load-balancer address pool. */
  lbCidr?: string;
  /** API URL from the host that ran Pulumi. */
  endpoint: string;
  /** API URL from pods of the other clusters. */
  internalEndpoint: string;
}

/** A workload cluster's place in the mesh. */
export interface MeshClusterOutput {
  network: string;
  /** Address (IP or DNS name) of its east-west gateway, as the other clusters reach it. */
  eastWestGatewayAddress: string;
  /**
   * Address of its apps' ingress gateway (HTTP, port 80; an app answers for `Host: <app>.<domain>`):
   * an internet-facing NLB name on EKS, a load-balancer IP on the docker `kind` network on kind.
   */
  ingressGatewayAddress: string;
}

/** What every app the fleet places (`platform:apps`) shows another team. */
interface AppOutputBase {
  /** Clusters it runs on, and those that take it over (active-passive), by name. */
  targets: string[];
  standby: string[];
  /** Its Service's name, resolved in every cluster it has a Service in: `<name>.<name>.svc.cluster.local`. */
  host: string;
  port: number;
  mode: "duplicated" | "divided";
  /** The host name every workload cluster's ingress gateway serves it under: `<name>.<ingress.domain>`. */
  ingressHost: string;
  /**
   * Where users open it: through the fleet's entry (on kind, a proxy on the workstation; on EKS,
   * Route 53 records). Absent when the fleet has no entry (EKS without `ingress.route53ZoneId`).
   */
  url?: string;
}

/** An app the platform makes and Karmada places. */
export interface KarmadaAppOutput extends AppOutputBase {
  engine: "karmada";
  /**
   * Replicas by cluster, as the plan computes Karmada's placement of them (with a spread,
   * Karmada chooses which targets; the plan shows the first ones). Empty for an app divided by
   * capacity: Karmada splits it when it schedules.
   */
  replicas: Record<string, number>;
}

/** An app an Argo CD ApplicationSet syncs from git: its overlays say what runs in each target. */
export interface ArgoCdAppOutput extends AppOutputBase {
  engine: "argocd";
  /** Where it is declared: the repository, the revision synced, and the app's folder (`overlays/<cluster>` under it). */
  source: { repoURL: string; revision: string; path: string };
}

/** An app the fleet places (`platform:apps`), as another team finds it. */
export type AppOutput = KarmadaAppOutput | ArgoCdAppOutput;

/** Read-only access to one of the fleet's signal stores, through its gateway, as the fleet's clusters reach it. */
export interface ReaderOutput {
  /** The API's base URL (Prometheus: `<url>/api/v1/query`; Loki: `<url>/loki/api/v1/query_range`). */
  url: string;
  /** Basic auth: this user may only read. */
  username: string;
  password: string;
}

/** Every stack output, by name. An output holding a secret field is secret as a whole. */
export interface FleetOutputs {
  /** The version of `@platform/contract` the fleet was built with: a consumer refuses another major. */
  contractVersion: string;
  /** By cluster name. */
  clusters: Record<string, ClusterOutput>;
  /** Admin kubeconfigs by cluster name (secret). */
  kubeconfigs: Record<string, string>;
  /** The Karmada API (secret: holds its admin kubeconfig). */
  karmada: { endpoint: string; kubeconfig: string };
  /** Argo CD (secret: holds the `admin` password). */
  argocd: { url: string; adminPassword: string };
  /** Grafana on the management cluster (secret: holds the `admin` password). */
  grafana: { url: string; adminPassword: string };
  /** Where workload clusters' Prometheus agents remote-write (with the platform's own writer credential). */
  prometheus: { remoteWriteUrl: string };
  /** The Istio mesh of the workload clusters; the root CA's certificate only (public). */
  mesh: {
    meshID: string;
    mode: MeshMode;
    clusters: Record<string, MeshClusterOutput>;
    rootCert: string;
  };
  /**
   * Where the fleet's other signals go and its tools are: Kiali's console, Loki's push endpoint
   * and the collectors' OTLP endpoint of Tempo (as the fleet's clusters reach them), and where the
   * management cluster's backups are kept.
   */
  observability: { kialiUrl: string; logPushUrl: string; traceEndpoint: string; backupLocation: string };
  /**
   * Read-only credentials for the fleet's metrics (the central Prometheus's query API) and logs
   * (Loki's), from the fleet's networks (secret: holds the passwords). Added after `observability`:
   * a fleet not updated since lacks it.
   */
  readers: { prometheus: ReaderOutput; loki: ReaderOutput };
  /** Apps placed through Karmada or synced by Argo CD, by name. */
  apps: Record<string, AppOutput>;
}
