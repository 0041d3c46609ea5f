import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EKS_ADDON_VERSIONS } from "../versions";
import { serviceAccountTrustPolicy } from "./object-storage";

/** The StorageClass of EBS gp3 volumes the platform's stateful parts claim on EKS. */
export const GP3_STORAGE_CLASS = "gp3";
const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" };
const EBS_CSI_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";

export interface EksAddOnsArgs {
  /** The EKS cluster's name. */
  clusterName: pulumi.Input<string>;
  /** The cluster's IAM OIDC provider, trusted by the EBS CSI driver's role. */
  oidcProviderArn: pulumi.Input<string>;
  /** Its issuer, without `https://`. */
  oidcIssuer: pulumi.Input<string>;
  /** What the add-ons run on: they need nodes. */
  nodes: pulumi.Resource;
  awsProvider: aws.Provider;
  kubernetes: k8s.Provider;
}

/**
 * The EKS-managed add-ons created after the node group (pulumi-eks makes CoreDNS managed only with
 * a default node group), pinned: CoreDNS, and the EBS CSI driver with its IAM role (IRSA), and the
 * gp3 StorageClass persistent volumes are claimed from.
 */
export class EksAddOns extends pulumi.ComponentResource {
  /** What a claim of a gp3 volume waits for. */
  readonly storageReady: pulumi.Resource[];
  /** What the cluster's teardown still needs (DNS for the uninstall hooks). */
  readonly keptUntilDrained: pulumi.Resource[];

  constructor(name: string, args: EksAddOnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:EksAddOns", name, {}, opts);
    const inAws = { parent: this, provider: args.awsProvider, dependsOn: [args.nodes] };
    const addon = (addonName: string, addonVersion: string, extra: Partial<aws.eks.AddonArgs> = {}) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: args.clusterName,
          addonName,
          addonVersion,
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          ...extra,
        },
        inAws,
      );
    // Preserved: deleting the add-on leaves CoreDNS running while the cluster is torn down.
    const coredns = addon("coredns", EKS_ADDON_VERSIONS.coredns, { preserve: true });

    const role = new aws.iam.Role(
      `${name}-ebs-csi`,
      { assumeRolePolicy: ebsCsiTrustPolicy(args.oidcProviderArn, args.oidcIssuer) },
      { parent: this, provider: args.awsProvider },
    );
    const policy = new aws.iam.RolePolicyAttachment(
      `${name}-ebs-csi`,
      { role: role.name, policyArn: EBS_CSI_POLICY },
      { parent: this, provider: args.awsProvider },
    );
    const ebs = new aws.eks.Addon(
      `${name}-aws-ebs-csi-driver`,
      {
        clusterName: args.clusterName,
        addonName: "aws-ebs-csi-driver",
        addonVersion: EKS_ADDON_VERSIONS.ebsCsiDriver,
        serviceAccountRoleArn: role.arn,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      },
      { ...inAws, dependsOn: [args.nodes, policy] },
    );
    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      gp3StorageClass(),
      { parent: this, provider: args.kubernetes, dependsOn: [ebs] },
    );
    this.storageReady = [storageClass];
    this.keptUntilDrained = [coredns];
    this.registerOutputs({});
  }
}

/** Only the EBS CSI controller's ServiceAccount, through the cluster's OIDC provider, may assume the role. */
export function ebsCsiTrustPolicy(oidcProviderArn: pulumi.Input<string>, oidcIssuer: pulumi.Input<string>): pulumi.Output<string> {
  return serviceAccountTrustPolicy(oidcProviderArn, oidcIssuer, EBS_CSI_SERVICE_ACCOUNT);
}

/** Encrypted gp3 volumes, bound where the pod lands (EBS volumes live in one zone), deleted with their claim. */
export function gp3StorageClass(): k8s.storage.v1.StorageClassArgs {
  return {
    metadata: { name: GP3_STORAGE_CLASS },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true" },
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    reclaimPolicy: "Delete",
  };
}
