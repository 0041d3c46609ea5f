import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BucketRequest, ObjectBucket, ObjectStorage } from "../cluster";

export interface S3StorageArgs {
  /** Resource-name prefix of the buckets' resources (the cluster component's name). */
  name: string;
  /** The EKS cluster's name: buckets are named after it. */
  clusterName: pulumi.Input<string>;
  region: string;
  /** The cluster's IAM OIDC provider and issuer (without `https://`): who may assume a bucket's role. */
  oidcProviderArn: pulumi.Input<string>;
  oidcIssuer: pulumi.Input<string>;
  awsProvider: aws.Provider;
  /** Where the buckets' resources are parented. */
  parent: pulumi.Resource;
  tags: Record<string, string>;
}

/** What a ServiceAccount may do in its bucket: objects, and listing them. */
const OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];
const BUCKET_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation"];
/** What a backup tool needs to snapshot EBS volumes and restore them (velero-plugin-for-aws's list). */
const SNAPSHOT_ACTIONS = ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:CreateTags", "ec2:CreateVolume", "ec2:CreateSnapshot", "ec2:DeleteSnapshot"];

/**
 * S3 as an EKS cluster's object storage: per request, a private bucket (public access blocked,
 * SSE-S3), and an IAM role only its ServiceAccount may assume through the cluster's OIDC
 * provider (IRSA), allowed that bucket alone (and EBS snapshots when asked). No access keys exist.
 */
export function s3Storage(args: S3StorageArgs): ObjectStorage {
  const inAws = { parent: args.parent, provider: args.awsProvider };
  return {
    bucket(request: BucketRequest): ObjectBucket {
      const id = `${args.name}-${request.purpose}`;
      // Logs, traces and backups outlive the stack: a destroy leaves the bucket, private and
      // encrypted as it was, rather than failing on the objects in it.
      const kept = { ...inAws, retainOnDelete: true };
      const bucket = new aws.s3.Bucket(
        `${id}-bucket`,
        { bucketPrefix: pulumi.output(args.clusterName).apply((cluster) => bucketPrefix(cluster, request.purpose)), tags: args.tags },
        kept,
      );
      const blocked = new aws.s3.BucketPublicAccessBlock(
        `${id}-private`,
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        kept,
      );
      new aws.s3.BucketServerSideEncryptionConfiguration(
        `${id}-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        kept,
      );
      const role = new aws.iam.Role(
        `${id}-role`,
        { assumeRolePolicy: serviceAccountTrustPolicy(args.oidcProviderArn, args.oidcIssuer, request), tags: args.tags },
        inAws,
      );
      const policy = new aws.iam.RolePolicy(
        `${id}-access`,
        { role: role.id, policy: bucket.arn.apply((arn) => bucketPolicy(arn, request.volumeSnapshots ?? false)) },
        inAws,
      );
      return {
        name: bucket.bucket,
        region: args.region,
        serviceAccountAnnotations: role.arn.apply((arn): Record<string, string> => ({ "eks.amazonaws.com/role-arn": arn })),
        ready: [bucket, blocked, role, policy],
      };
    },
  };
}

/** S3's limit on a bucket name prefix (AWS adds a unique suffix up to 63 characters). */
const PREFIX_LENGTH = 37;

/**
 * A bucket name prefix from the cluster's and the purpose's names: lowercase letters, digits and
 * hyphens only (S3's rules), at most 37 characters with the trailing hyphen, the purpose kept.
 */
export function bucketPrefix(cluster: string, purpose: string): string {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  const tail = `-${slug(purpose)}-`;
  return `${slug(cluster).slice(0, PREFIX_LENGTH - tail.length).replace(/-$/, "") || "platform"}${tail}`;
}

/** Only `system:serviceaccount:<namespace>:<serviceAccount>`, through the cluster's OIDC provider, may assume the role. */
export function serviceAccountTrustPolicy(
  oidcProviderArn: pulumi.Input<string>,
  oidcIssuer: pulumi.Input<string>,
  request: Pick<BucketRequest, "namespace" | "serviceAccount">,
): pulumi.Output<string> {
  return pulumi.all([oidcProviderArn, oidcIssuer]).apply(([arn, issuer]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${request.namespace}:${request.serviceAccount}`,
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    }),
  );
}

/** The bucket's objects and listing; with `volumeSnapshots`, EBS snapshots too (EC2 scopes them to no resource ARN at create). */
export function bucketPolicy(bucketArn: string, volumeSnapshots = false): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: BUCKET_ACTIONS, Resource: bucketArn },
      { Effect: "Allow", Action: OBJECT_ACTIONS, Resource: `${bucketArn}/*` },
      ...(volumeSnapshots ? [{ Effect: "Allow", Action: SNAPSHOT_ACTIONS, Resource: "*" }] : []),
    ],
  });
}
