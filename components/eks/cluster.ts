import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksClusterPlan, EksSettings } from "../../plan";
import {
  type CloudIdentity,
  type Cluster,
  clusterProvider,
  nodeLabels,
  type ObjectStorage,
  type PersistentStorage,
  type ServiceReach,
  type ServiceRequest,
} from "../cluster";
import { EKS_ADDON_VERSIONS, EKS_KUBERNETES_VERSION } from "../versions";
import { EksAddOns, GP3_STORAGE_CLASS } from "./add-ons";
import { eksCloudIdentity } from "./cloud-identity";
import { loadBalancerDrain } from "./drain";
import { distinctAdminRole } from "./identity";
import { controlPlaneLogs } from "./logs";
import { eksClusterName, eksKubeconfig } from "./kubeconfig";
import type { EksNetwork } from "./network";
import { admitPeers, type EksPeer } from "./peers";
import type { FleetDns } from "./private-dns";
import { type EksServiceAccess, eksReach } from "./reach";
import { s3Storage } from "./object-storage";

/** Control-plane logs sent to CloudWatch. */
export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";


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
  /** Who may reach the platform services the cluster exposes; its fleet ranges reach the API on 443 too. */
  serviceAccess: EksServiceAccess;
  /**
   * Where the fleet resolves this cluster's API name to its private addresses (with the public
   * endpoint on, only its own VPC does otherwise). Default: none, the name as EKS publishes it
   * (private addresses everywhere once the public endpoint is off).
   */
  privateDns?: FleetDns;
}

/**
 * An EKS cluster on `@pulumi/eks`: API authentication mode with access entries, KMS envelope
 * encryption of Secrets, control-plane logs kept for a set time, a private endpoint that the fleet
 * calls, and a public one for the operators' ranges only (or none), an OIDC provider, one
 * managed node group, pinned add-ons, gp3 volumes, and a gate that lets destroy wait for the
 * load balancers of its Services.
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
  readonly persistentStorage: PersistentStorage;
  readonly objectStorage: ObjectStorage;
  readonly cloudIdentity: CloudIdentity;
  private readonly serviceAccess: EksServiceAccess;
  /** What every LoadBalancer Service depends on, so destroy deletes them first (see `loadBalancerDrain`). */
  private readonly drained: pulumi.Resource[];

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:EksCluster", name, {}, opts);
    const { spec, network, settings } = args;
    const peers = args.peers ?? [];
    this.name = spec.name;
    this.spec = spec;
    this.serviceAccess = args.serviceAccess;
    const aws_ = { providers: { aws: network.awsProvider } };
    const tags = { "platform/cluster": spec.name };
    const clusterName = eksClusterName(args.environment, spec.name);

    const key = new aws.kms.Key(
      `${name}-secrets-key`,
      {
        description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      { parent: this, provider: network.awsProvider, protect: settings.protect },
    );

    // The other clusters call the private endpoint: the public one admits the operators alone, and
    // the other VPCs' NAT addresses only while a running fleet moves (eks.admitPeersPublicly).
    // Sorted, so that the same peers always give the same list (no spurious cluster update).
    const natIps = settings.admitPeersPublicly ? peers.map((p) => pulumi.output(p.natIps ?? [])) : [];
    const publicAccessCidrs = pulumi
      .all(natIps)
      .apply((ips) => [...new Set([...settings.publicAccessCidrs, ...ips.flat().map((ip) => `${ip}/32`)])].sort());

    const logs = controlPlaneLogs(
      `${name}-logs`,
      { clusterName, region: spec.region, retentionDays: settings.logRetentionDays, profile: settings.awsProfile },
      { parent: this },
    );

    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: clusterName,
        version: settings.kubernetesVersion ?? EKS_KUBERNETES_VERSION,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        kubernetesServiceIpAddressRange: spec.serviceCidr,
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: settings.adminRoleArn
          ? {
              admin: {
                principalArn: distinctAdminRole(`${name}-creator`, settings.adminRoleArn, spec.region, settings.awsProfile, this),
                accessPolicies: { admin: { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } } },
              },
            }
          : undefined,
        encryptionConfigKeyArn: key.arn,
        enabledClusterLogTypes: CONTROL_PLANE_LOGS,
        endpointPrivateAccess: true,
        endpointPublicAccess: settings.publicEndpoint,
        publicAccessCidrs: settings.publicEndpoint ? publicAccessCidrs : undefined,
        skipDefaultNodeGroup: true,
        createInstanceRole: true,
        createOidcProvider: true,
        nodeAssociatePublicIpAddress: false,
        providerCredentialOpts: settings.awsProfile ? { profileName: settings.awsProfile } : undefined,
        // The VPC CNI enforces NetworkPolicies only when asked (the apps' namespaces have some).
        vpcCniOptions: { addonVersion: EKS_ADDON_VERSIONS.vpcCni, enableNetworkPolicy: true },
        kubeProxyAddonOptions: { version: EKS_ADDON_VERSIONS.kubeProxy },
        // Made after the node group below: pulumi-eks would only make it with a default node group.
        corednsAddonOptions: { enabled: false },
        tags,
      },
      { parent: this, ...aws_, protect: settings.protect, dependsOn: [logs] },
    );

    const nodes = new eks.ManagedNodeGroup(
      `${name}-nodes`,
      {
        cluster,
        // A changed instance or capacity type replaces the group create-first: a fixed name would clash.
        nodeGroupNamePrefix: `${spec.name}-`,
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
      // Nodes join the cluster and pull images through the NAT gateways: their routes come first.
      { parent: this, ...aws_, dependsOn: network.egress },
    );

    admitPeers(
      `${name}-api-from`,
      cluster.eksCluster.vpcConfig.clusterSecurityGroupId,
      peers,
      tags,
      { parent: this, provider: network.awsProvider },
      args.serviceAccess.fleetRanges,
    );

    this.eksClusterName = cluster.eksCluster.name;
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.endpoint = cluster.eksCluster.endpoint;
    this.internalEndpoint = args.privateDns ? args.privateDns.publish(network, this.endpoint) : this.endpoint;
    this.caData = cluster.eksCluster.certificateAuthority.data;
    this.kubeconfig = eksKubeconfig(spec, this.eksClusterName, this.endpoint, this.caData, settings.awsProfile);
    this.provider = clusterProvider(`${name}-k8s`, this.kubeconfig, { parent: this });

    const addOns = new EksAddOns(
      `${name}-addons`,
      {
        clusterName: this.eksClusterName,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        nodes,
        awsProvider: network.awsProvider,
        kubernetes: this.provider,
      },
      { parent: this },
    );
    this.persistentStorage = { storageClassName: GP3_STORAGE_CLASS, ready: addOns.storageReady };
    this.objectStorage = s3Storage({
      name,
      clusterName: this.eksClusterName,
      region: spec.region,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      awsProvider: network.awsProvider,
      parent: this,
      tags,
    });
    this.cloudIdentity = eksCloudIdentity({
      spec,
      clusterName: this.eksClusterName,
      endpoint: this.endpoint,
      caData: this.caData,
      awsProvider: network.awsProvider,
    });
    this.drained = [
      loadBalancerDrain(
        `${name}-lb-drain`,
        { clusterName: this.eksClusterName, vpcId: network.vpcId, region: spec.region, profile: settings.awsProfile },
        // Deleted before the nodes, the add-ons and the way out, which uninstall hooks still need.
        { parent: this, dependsOn: [cluster, nodes, ...addOns.keptUntilDrained, ...network.egress] },
      ),
    ];

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
    return eksReach(this.serviceAccess, this.spec.region, this.provider, this.drained, request);
  }
}
