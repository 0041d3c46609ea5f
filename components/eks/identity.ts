import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { requireTools } from "../cluster";

/** The account and role name of a role ARN, or of the assumed-role ARN of a session of it. */
export function roleOf(arn: string): { account: string; role: string } | undefined {
  const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (role) return { account: role[1], role: role[2] };
  const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return session ? { account: session[1], role: session[2] } : undefined;
}

/** Whether the caller (an IAM ARN, possibly a role session) is the role `roleArn`. */
export function isSameRole(roleArn: string, callerArn: string): boolean {
  const [a, b] = [roleOf(roleArn), roleOf(callerArn)];
  return a !== undefined && b !== undefined && a.account === b.account && a.role === b.role;
}

// Who creates the cluster, asked once: later runs by other identities (the admin role itself)
// are no conflict, the cluster's creator entry exists already.
const WHO = `${requireTools(["aws"])}
aws sts get-caller-identity --region "$REGION" \${AWS_CLI_PROFILE:+--profile "$AWS_CLI_PROFILE"} --query Arn --output text`;

/**
 * `adminRoleArn`, once it is known not to be the identity that creates the cluster: pulumi-eks
 * always gives the cluster's creator an admin access entry (bootstrapClusterCreatorAdminPermissions),
 * so a second entry for the same principal fails at create with a conflict.
 */
export function distinctAdminRole(
  name: string,
  adminRoleArn: string,
  region: string,
  profile: string | undefined,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const creator = new command.local.Command(
    name,
    {
      create: WHO,
      interpreter: ["/bin/bash", "-c"],
      environment: { REGION: region, ...(profile ? { AWS_CLI_PROFILE: profile } : {}) },
      addPreviousOutputInEnv: false,
    },
    { parent },
  );
  return creator.stdout.apply((arn) => requireDistinct(adminRoleArn, arn.trim()));
}

/** `adminRoleArn`, or an error saying what to do when it is the caller. */
export function requireDistinct(adminRoleArn: string, callerArn: string): string {
  if (isSameRole(adminRoleArn, callerArn)) {
    throw new Error(
      `eks.adminRoleArn ${adminRoleArn} is the identity running Pulumi (${callerArn}), which EKS already makes ` +
        "cluster admin as the cluster's creator: unset eks.adminRoleArn, or run Pulumi as another identity",
    );
  }
  return adminRoleArn;
}
