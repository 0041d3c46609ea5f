import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

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

/**
 * `adminRoleArn`, once it is known not to be the identity running Pulumi: pulumi-eks always gives
 * the cluster's creator an admin access entry (bootstrapClusterCreatorAdminPermissions), so a
 * second entry for the same principal fails at create with a conflict.
 */
export function distinctAdminRole(adminRoleArn: string, provider: aws.Provider): pulumi.Output<string> {
  return aws.getCallerIdentityOutput({}, { provider }).arn.apply((caller) => requireDistinct(adminRoleArn, caller));
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
