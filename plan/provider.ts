import type { ClusterProvider } from "./schema";
import type { ZoneSubnets } from "./subnets";
import { PlanError } from "./problem";
import type { ClusterPlan } from "./types";

const DISPLAY: Record<ClusterProvider, string> = { kind: "kind", eks: "EKS" };

/**
 * The plan's clusters when every one runs on `provider`, for a composition that runs only those;
 * otherwise every cluster it cannot run, refused with its key before any resource exists.
 */
export function clustersRunBy<P extends ClusterProvider>(
  clusters: readonly ClusterPlan[],
  provider: P,
  composition: string,
): Extract<ClusterPlan, { provider: P }>[] {
  const foreign = clusters.filter((c) => c.provider !== provider);
  if (foreign.length > 0) {
    throw new PlanError(
      foreign.map((c) => ({
        key: `${c.key}.provider`,
        message: `${c.key}.provider is ${c.provider}, but the ${composition} composition runs ${DISPLAY[provider]} clusters only`,
      })),
    );
  }
  return clusters as Extract<ClusterPlan, { provider: P }>[];
}

/**
 * A cluster's ranges as other teams see them: EKS pods live in the VPC, whose subnets the plan
 * lays out; kind has a load-balancer pool.
 */
export function rangesOf(
  spec: ClusterPlan,
): { podCidr: string; serviceCidr: string } & ({ vpcCidr: string; subnets: ZoneSubnets[] } | { lbCidr: string }) {
  const common = { podCidr: spec.podCidr, serviceCidr: spec.serviceCidr };
  return spec.provider === "eks"
    ? { ...common, vpcCidr: spec.vpcCidr, subnets: spec.subnets.map((s) => ({ ...s })) }
    : { ...common, lbCidr: spec.lbCidr };
}
