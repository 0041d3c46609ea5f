import type {
  AlertReceiver,
  ClusterRole,
  EksClusterConfig,
  EksSettings,
  KindClusterConfig,
  MeshSettings,
} from "./schema";
import type { AppPlan } from "./apps";
import type { TeamPlan } from "./teams";
import type { GitOpsSettings } from "./apps-schema";
import type { IngressSettings } from "./ingress-schema";
import type { ObservabilitySettings } from "./observability-schema";
import type { EksConnectivity } from "./connectivity";
import type { ResolvedKindSettings } from "./kind";
import type { ZoneSubnets } from "./subnets";

/** What every planned cluster has, whatever runs it. */
interface ClusterPlanBase {
  /** Position in `clusters`; `key` is its config key, `clusters[<index>]`. */
  readonly index: number;
  readonly key: string;
  readonly name: string;
  readonly role: ClusterRole;
  readonly region: string;
  readonly network: string;
  /** Labels for placement: the user's plus `cluster`, `region` and `env`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** Its fixed block in every pool, when the config gives one. */
  readonly slot?: number;
}

export interface KindClusterPlan extends ClusterPlanBase {
  readonly provider: "kind";
  /** The kind cluster's name on the workstation (`<name>-h<n>` for fleet n > 0); its nodes are `<kindName>-control-plane`, ... */
  readonly kindName: string;
  readonly lbCidr: string;
  readonly apiServerPort: number;
  readonly nodes: KindClusterConfig["nodes"];
}

export interface EksClusterPlan extends ClusterPlanBase {
  readonly provider: "eks";
  /** The VPC range. With the VPC CNI pods take VPC addresses, so `podCidr` equals it. */
  readonly vpcCidr: string;
  /** Per availability zone, the private and public subnets: the plan owns the layout. */
  readonly subnets: readonly ZoneSubnets[];
  readonly nodes: EksClusterConfig["nodes"];
}

export type ClusterPlan = KindClusterPlan | EksClusterPlan;

/** A validated fleet: every range resolved, nothing overlapping. */
export interface FleetPlan {
  readonly environment: string;
  readonly clusters: readonly ClusterPlan[];
  readonly management: ClusterPlan;
  readonly workloads: readonly ClusterPlan[];
  /** The docker `kind` network's IPv4 subnet (meaningful when the fleet has kind clusters). */
  readonly kindNetworkCidr: string;
  readonly kind: ResolvedKindSettings;
  readonly eks: EksSettings;
  /** The fewest ranges holding every EKS VPC: what the fleet's internal load balancers admit. */
  readonly eksFleetRanges: readonly string[];
  /** How the EKS VPCs are connected: `eks.connectivity`, with `auto` decided by the fleet's size. */
  readonly eksConnectivity: EksConnectivity;
  readonly mesh: MeshSettings;
  /** Alertmanager webhook receivers: secret values, to be wrapped with `pulumi.secret` wherever they go. */
  readonly alertReceivers: readonly AlertReceiver[];
  /** Apps placed on the workload clusters, their targets and replica split resolved. */
  readonly apps: readonly AppPlan[];
  /** Teams and the namespaces they own on their workload clusters. */
  readonly teams: readonly TeamPlan[];
  /** Where Argo CD reads `argocd` apps from; no `repoURL`: the platform's own git server. */
  readonly gitops: GitOpsSettings;
  /** How users reach the apps: `<app>.<domain>` at every workload cluster's ingress gateway, and the fleet's entry. */
  readonly ingress: IngressSettings;
  /** Retention, volumes, trace sampling and transfer prices. */
  readonly observability: ObservabilitySettings;
}

export { type Problem, PlanError } from "./problem";
