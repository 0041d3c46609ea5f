import * as pulumi from "@pulumi/pulumi";
import type { EksClusterPlan } from "../../plan";
import { buildKubeconfig } from "../cluster";

/** The EKS cluster's name: the environment's, so that two environments in one account never collide. */
export function eksClusterName(environment: string, name: string): string {
  return `${environment}-${name}`;
}

/**
 * The `aws eks get-token` exec of a kubeconfig, with the region and the same profile Pulumi's
 * AWS providers use, so kubectl and Pulumi act as one identity; or, given a role, as that role
 * assumed from whatever credentials the user has (a team's kubeconfig).
 */
export function eksTokenCommand(clusterName: string, region: string, profile?: string, roleArn?: string) {
  return {
    command: "aws",
    // --profile, not AWS_PROFILE: credentials in the environment would win over AWS_PROFILE.
    args: [
      "eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json",
      ...(profile ? ["--profile", profile] : []),
      ...(roleArn ? ["--role-arn", roleArn] : []),
    ],
  };
}

/** The admin kubeconfig of an EKS cluster for the host running Pulumi (secret), built field by field. */
export function eksKubeconfig(
  spec: EksClusterPlan,
  clusterName: pulumi.Output<string>,
  endpoint: pulumi.Output<string>,
  caData: pulumi.Output<string>,
  profile?: string,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([clusterName, endpoint, caData]).apply(([name, server, ca]) =>
      buildKubeconfig({ name: spec.name, server, caData: ca, user: { exec: eksTokenCommand(name, spec.region, profile) } }),
    ),
  );
}
