import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksClusterPlan, EksSettings } from "../../plan";
import { buildKubeconfig, type Cluster, nodeLabels, type ServiceReach, type ServiceRequest } from "../cluster";
import { EKS_KUBERNETES_VERSION } from "../versions";
import type { EksNetwork } from "./network";
import { type EksServiceAccess, eksReach } from "./reach";

/** Control-plane logs sent to CloudWatch. */
export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** Another VPC of the fleet whose pods call this cluster's API. */
export interface EksPeer {
  name: string;
  /** Its VPC range, admitted on 443 by the cluster security group. */
  cidr: string;
  /** Its NAT gateways' public addresses, admitted to the public endpoint. */
  natIps: pulumi.Input<string[]>;
}

export interface EksClusterArgs {
  /** The validated plan entry (service range, node sizing, labels). */
  spec: EksClusterPlan;
  /** The cluster's VPC. */
  network: EksNetwork;
  /** Fleet-wide EKS settings: version, API access, admin role, profile, protection. */
  settings: EksSettings;
  /** Name of the environment, prefixed to the EKS cluster name. */
  environment: string;
  /** The other VPCs of the fleet, whose pods must reach this API server. Default: none. */
  peers?: EksPeer[];
  /** Who may reach the platform services the cluster exposes. */
  serviceAccess: EksServiceAccess;
}

/**
 * An EKS cluster on `@pulumi/eks`: API authentication mode with access entries, KMS envelope
 * encryption of Secrets, control-plane logs, a private endpoint plus a public one limited to the
 * configured ranges and the peers' NAT addresses, an OIDC provider, and one managed node group.
 */
export class EksCluster extends pulumi.ComponentResource implements Cluster {
  readonly name: string;
  readonly spec: EksClusterPlan;
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly internalEndpoint: pulumi.Output<string>;
  readonly caData: pulumi.Output<string>;
  readonly infrastructure = "aws";
  readonly eksClusterName: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  private readonly serviceAccess: EksServiceAccess;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:EksCluster", name, {}, opts);
    const { spec, network, settings } = args;
    const peers = args.peers ?? [];
    this.name = spec.name;
    this.spec = spec;
    this.serviceAccess = args.serviceAccess;
    const aws_ = { providers: { aws: network.awsProvider } };
    const tags = { "platform/cluster": spec.name };

    const key = new aws.kms.Key(
      `${name}-secrets-key`,
      {
        description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${args.environment}-${spec.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      { parent: this, provider: network.awsProvider, protect: settings.protect },
    );

    // Sorted, so that the same peers always give the same list (no spurious cluster update).
    const publicAccessCidrs = pulumi
      .all(peers.map((p) => pulumi.output(p.natIps)))
      .apply((ips) => [...new Set([...settings.publicAccessCidrs, ...ips.flat().map((ip) => `${ip}/32`)])].sort());

    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: `${args.environment}-${spec.name}`,
        version: settings.kubernetesVersion ?? EKS_KUBERNETES_VERSION,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        kubernetesServiceIpAddressRange: spec.serviceCidr,
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: settings.adminRoleArn
          ? {
              admin: {
                principalArn: settings.adminRoleArn,
                accessPolicies: { admin: { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } } },
              },
            }
          : undefined,
        encryptionConfigKeyArn: key.arn,
        enabledClusterLogTypes: CONTROL_PLANE_LOGS,
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs,
        skipDefaultNodeGroup: true,
        createInstanceRole: true,
        createOidcProvider: true,
        nodeAssociatePublicIpAddress: false,
        providerCredentialOpts: settings.awsProfile ? { profileName: settings.awsProfile } : undefined,
        tags,
      },
      { parent: this, ...aws_, protect: settings.protect },
    );

    new eks.ManagedNodeGroup(
      `${name}-nodes`,
      {
        cluster,
        nodeGroupName: `${spec.name}-default`,
        nodeRoleArn: cluster.instanceRoles.apply((roles) => roles[0].arn),
        subnetIds: network.privateSubnetIds,
        instanceTypes: spec.nodes.instanceTypes,
        capacityType: spec.nodes.capacityType,
        scalingConfig: {
          minSize: spec.nodes.minSize,
          desiredSize: spec.nodes.desiredSize,
          maxSize: spec.nodes.maxSize,
        },
        diskSize: spec.nodes.diskSizeGb,
        labels: nodeLabels(spec),
        tags,
      },
      { parent: this, ...aws_ },
    );

    // Karmada, Argo CD and istiod in the peers call this API server over the peered network.
    const clusterSecurityGroupId = cluster.eksCluster.vpcConfig.clusterSecurityGroupId;
    for (const peer of peers) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-api-from-${peer.name}`,
        {
          securityGroupId: clusterSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: peer.cidr,
          description: `Kubernetes API from the ${peer.name} VPC`,
          tags,
        },
        { parent: this, provider: network.awsProvider },
      );
    }

    this.eksClusterName = cluster.eksCluster.name;
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.endpoint = cluster.eksCluster.endpoint;
    this.internalEndpoint = this.endpoint;
    this.caData = cluster.eksCluster.certificateAuthority.data;
    this.kubeconfig = pulumi.secret(
      pulumi.all([this.eksClusterName, this.endpoint, this.caData]).apply(([clusterName, server, caData]) =>
        buildKubeconfig({
          name: spec.name,
          server,
          caData,
          user: { exec: eksTokenCommand(clusterName, spec.region, settings.awsProfile) },
        }),
      ),
    );
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });

    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      endpoint: this.endpoint,
      internalEndpoint: this.internalEndpoint,
      caData: this.caData,
      eksClusterName: this.eksClusterName,
      oidcProviderArn: this.oidcProviderArn,
    });
  }

  reach(request: ServiceRequest): ServiceReach {
    return eksReach(this.serviceAccess, this.spec.region, this.provider, request);
  }
}

/**
 * The `aws eks get-token` exec of a kubeconfig, with the region and the same profile Pulumi's
 * AWS providers use, so kubectl and Pulumi act as one identity.
 */
export function eksTokenCommand(clusterName: string, region: string, profile?: string) {
  return {
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
    env: profile ? { AWS_PROFILE: profile } : undefined,
  };
}
