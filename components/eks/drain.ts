import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { destroyStep, requireTools } from "../cluster";

/** How long the cloud provider may take to delete the load balancers of deleted Services. */
export const DRAIN_TIMEOUT_SECONDS = 900;

// Deleting a LoadBalancer Service only asks the cloud provider to delete its NLB; until it is
// gone, its network interfaces keep the subnets, and so the VPC, from being deleted.
const DRAIN = `${requireTools(["aws"])}
deadline=$((SECONDS + DRAIN_TIMEOUT))
while :; do
  left=$(aws elbv2 describe-load-balancers --region "$REGION" \${AWS_CLI_PROFILE:+--profile "$AWS_CLI_PROFILE"} --output text \\
    --query "LoadBalancers[?VpcId=='$VPC_ID'].LoadBalancerName")
  [ -z "$left" ] && exit 0
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "platform: load balancers $left are still in VPC $VPC_ID of cluster $CLUSTER after $DRAIN_TIMEOUT s; delete them in the EC2 console, then run pulumi destroy again" >&2
    exit 1
  fi
  sleep "\${POLL_SECONDS:-10}"
done`;

export interface LoadBalancerDrainArgs {
  clusterName: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  region: string;
  /** The AWS CLI profile, as the providers use it. Default: the ambient credentials. */
  profile?: string;
}

/**
 * A destroy-time gate between a cluster and what runs on it: every Service that asks for a load
 * balancer depends on it, so on destroy those Services go first, then this waits (bounded) until
 * their NLBs are gone, and only then are the node group, the cluster and the VPC deleted.
 */
export function loadBalancerDrain(name: string, args: LoadBalancerDrainArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  return destroyStep(
    name,
    DRAIN,
    {
      CLUSTER: args.clusterName,
      VPC_ID: args.vpcId,
      REGION: args.region,
      DRAIN_TIMEOUT: String(DRAIN_TIMEOUT_SECONDS),
      ...(args.profile ? { AWS_CLI_PROFILE: args.profile } : {}),
    },
    opts,
  );
}
