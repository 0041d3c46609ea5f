import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketPolicy, bucketPrefix, s3Storage } from "../../components/eks/object-storage";
import { named, plain, type Recorded, runProgram } from "../support/harness";

// The cloud's object storage for an EKS cluster: a private bucket per purpose, a role only one
// ServiceAccount may assume, and the bucket kept (with its data) when the stack is destroyed.
const S3_PREFIX = /^[a-z0-9][a-z0-9-]*-$/;

test("bucket prefixes follow S3's rules whatever the environment and cluster are called", () => {
  expect(bucketPrefix("prod-mgmt", "backups")).toBe("prod-mgmt-backups-");
  // S3: at most 37 characters for a prefix, lowercase letters, digits and hyphens.
  for (const [cluster, purpose] of [
    ["Staging_EU.central-management-cluster-with-a-long-name", "backups"],
    ["x".repeat(80), "traces"],
    ["--", "logs"],
  ]) {
    const prefix = bucketPrefix(cluster, purpose);
    expect(prefix.length).toBeLessThanOrEqual(37);
    expect(prefix).toMatch(S3_PREFIX);
    expect(prefix.endsWith(`-${purpose}-`)).toBe(true);
  }
});

test("the role may use its bucket alone, and snapshot volumes only when asked", () => {
  const arn = "arn:aws:s3:::prod-mgmt-logs-abc";
  const plainPolicy = JSON.parse(bucketPolicy(arn));
  expect(plainPolicy.Statement.map((s: { Resource: string }) => s.Resource)).toEqual([arn, `${arn}/*`]);
  const withSnapshots = JSON.parse(bucketPolicy(arn, true));
  expect(withSnapshots.Statement[2]).toEqual({
    Effect: "Allow",
    Action: ["ec2:DescribeVolumes", "ec2:DescribeSnapshots", "ec2:CreateTags", "ec2:CreateVolume", "ec2:CreateSnapshot", "ec2:DeleteSnapshot"],
    Resource: "*",
  });
});

test("a bucket is private, encrypted, kept on destroy, and its role trusts one ServiceAccount through the cluster's OIDC provider", async () => {
  const retained = new Map<string, boolean>();
  let resources: Recorded[] = [];
  let annotations: Record<string, string> = {};
  ({ resources } = await runProgram({
    stack: "prod",
    program: async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        retained.set(args.name, Boolean((args.opts as pulumi.CustomResourceOptions).retainOnDelete));
        return undefined;
      });
      const parent = new pulumi.ComponentResource("test:index:Parent", "mgmt");
      const storage = s3Storage({
        name: "mgmt",
        clusterName: "prod-mgmt",
        region: "us-west-2",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC",
        oidcIssuer: "oidc.eks.us-west-2.amazonaws.com/id/ABC",
        awsProvider: new aws.Provider("aws", { region: "us-west-2" }),
        parent,
        tags: { "platform/cluster": "mgmt" },
      });
      const bucket = storage.bucket({ purpose: "logs", namespace: "logging", serviceAccount: "loki" });
      bucket.serviceAccountAnnotations.apply((a) => (annotations = a));
    },
  }));
  expect(plain(named(resources, "aws:s3/bucket:Bucket", "mgmt-logs-bucket").inputs).bucketPrefix).toBe("prod-mgmt-logs-");
  expect(plain(named(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "mgmt-logs-private").inputs)).toMatchObject({
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  expect([retained.get("mgmt-logs-bucket"), retained.get("mgmt-logs-private"), retained.get("mgmt-logs-encryption"), retained.get("mgmt-logs-role")]).toEqual([true, true, true, false]);
  const trust = JSON.parse(plain(named(resources, "aws:iam/role:Role", "mgmt-logs-role").inputs).assumeRolePolicy);
  expect(trust.Statement[0].Condition.StringEquals).toEqual({
    "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:logging:loki",
    "oidc.eks.us-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
  });
  expect(Object.keys(annotations)).toEqual(["eks.amazonaws.com/role-arn"]);
});
