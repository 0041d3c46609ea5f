import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EksClusterPlan } from "../../plan";
import { buildKubeconfig, type CloudAdmission, type CloudAdmissionRequest, type CloudIdentity } from "../cluster";
import { eksTokenCommand } from "./kubeconfig";

/** EKS's own `edit`: read and write most namespaced objects, no RBAC, no quotas. */
export const EDIT_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

export interface EksCloudIdentityArgs {
  spec: EksClusterPlan;
  clusterName: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  caData: pulumi.Output<string>;
  awsProvider: aws.Provider;
}

/**
 * IAM roles admitted to an EKS cluster by an access entry, with `AmazonEKSEditPolicy` scoped to
 * their namespaces: EKS authorizes them itself, so no Kubernetes RBAC is made for them. Their
 * kubeconfig assumes the role with the user's own AWS credentials: it holds no secret at all.
 */
export function eksCloudIdentity(args: EksCloudIdentityArgs): CloudIdentity {
  const { spec, clusterName } = args;
  return {
    admit(request: CloudAdmissionRequest): CloudAdmission {
      const opts = { parent: request.parent, provider: args.awsProvider };
      const entry = new aws.eks.AccessEntry(
        `${request.name}-access-entry`,
        { clusterName, principalArn: request.principal, type: "STANDARD" },
        opts,
      );
      new aws.eks.AccessPolicyAssociation(
        `${request.name}-access-policy`,
        {
          clusterName,
          principalArn: entry.principalArn,
          policyArn: EDIT_POLICY,
          accessScope: { type: "namespace", namespaces: [...request.namespaces] },
        },
        opts,
      );
      const kubeconfig = pulumi
        .all([clusterName, args.endpoint, args.caData])
        .apply(([name, server, caData]) =>
          buildKubeconfig({ name: spec.name, server, caData, user: { exec: eksTokenCommand(name, spec.region, undefined, request.principal) } }),
        );
      return { kubeconfig: pulumi.secret(kubeconfig) };
    },
  };
}
