import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { requireTools } from "../cluster";

// EKS writes its control-plane logs to this group and makes it, never expiring, when it is not
// there; it even makes it again while the cluster is being deleted. So the group is not a
// resource that destroy deletes (the next create would collide with EKS's copy): it is made if
// missing and given its retention, and outlives the cluster with its logs.
const ENSURE = `${requireTools(["aws"])}
profile=(\${AWS_CLI_PROFILE:+--profile "$AWS_CLI_PROFILE"})
if ! out=$(aws logs create-log-group --region "$REGION" "\${profile[@]}" --log-group-name "$LOG_GROUP" 2>&1); then
  grep -q ResourceAlreadyExistsException <<<"$out" || { echo "platform: cannot create log group $LOG_GROUP: $out" >&2; exit 1; }
fi
aws logs put-retention-policy --region "$REGION" "\${profile[@]}" --log-group-name "$LOG_GROUP" --retention-in-days "$RETENTION_DAYS"
echo "$LOG_GROUP"`;

export interface ControlPlaneLogsArgs {
  clusterName: string;
  region: string;
  retentionDays: number;
  /** The AWS CLI profile, as the providers use it. Default: the ambient credentials. */
  profile?: string;
}

/** The control-plane log group of an EKS cluster, with its retention, before the cluster writes to it. */
export function controlPlaneLogs(name: string, args: ControlPlaneLogsArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  return new command.local.Command(
    name,
    {
      create: ENSURE,
      update: ENSURE,
      interpreter: ["/bin/bash", "-c"],
      environment: {
        LOG_GROUP: `/aws/eks/${args.clusterName}/cluster`,
        REGION: args.region,
        RETENTION_DAYS: String(args.retentionDays),
        ...(args.profile ? { AWS_CLI_PROFILE: args.profile } : {}),
      },
      addPreviousOutputInEnv: false,
    },
    opts,
  );
}
