import { z } from "zod";
import { appSchema, gitopsSchema } from "./apps-schema";
import { ingressSchema } from "./ingress-schema";
import { observabilitySchema } from "./observability-schema";
import { eksQuotasSchema } from "./quotas-schema";
import { teamSchema } from "./teams-schema";
import { count, dnsLabel, labelKey, labelValue } from "./primitives";

/**
 * The shape of a stack's fleet configuration (Pulumi config keys `platform:*`). Only structure
 * and types are checked here; network rules (overlaps, sizes, pools, quotas) live in `rules.ts`, so
 * every problem of a plan is reported in one run.
 */

const ROLES = ["management", "workload"] as const;



const clusterBase = {
  /** Unique name; becomes the kind cluster name, the EKS cluster name prefix and the mesh cluster ID. */
  name: dnsLabel,
  /** Exactly one cluster is the management cluster (Karmada, Argo CD, monitoring). */
  role: z.enum(ROLES),
  /** Mesh network name. Default: the cluster's name (every cluster its own network). */
  network: dnsLabel.optional(),
  /** Extra labels for placement; `cluster`, `region` and `env` are set by the platform. */
  labels: z.record(labelKey, labelValue).default({}),
  /** Service (ClusterIP) range. Default: allocated from `network.pools.service`. */
  serviceCidr: z.string().optional(),
  /**
   * The cluster's fixed place in every pool (block number `slot` of each) and, on kind, in the
   * API ports (`kind.apiServerPortBase` + slot). With a slot, removing another cluster moves
   * nothing of this one. Default: its ranges are the lowest free blocks after the clusters
   * before it, and its API port follows its position among kind clusters.
   */
  slot: z.number().int().min(0).max(4095).optional(),
};

export const kindClusterSchema = z.strictObject({
  ...clusterBase,
  provider: z.literal("kind"),
  /** Label only for kind clusters. Default: `local`. */
  region: labelValue.min(1).default("local"),
  nodes: z
    .strictObject({
      /** Control-plane nodes. More than one puts kind's load balancer in front. Default 1. */
      controlPlanes: count(1, 5).default(1),
      /** Worker nodes. Default 1. */
      workers: count(0, 20).default(1),
    })
    .prefault({}),
  /** Pod range. Default: allocated from `network.pools.pod`. */
  podCidr: z.string().optional(),
  /** Load-balancer address pool inside the docker `kind` network. Default: from `network.pools.lb`. */
  lbCidr: z.string().optional(),
  /** Host port of the API server on 127.0.0.1. Default: `kind.apiServerPortBase` + slot (or position among kind clusters). */
  apiServerPort: count(1024, 65535).optional(),
});

export const eksClusterSchema = z.strictObject({
  ...clusterBase,
  provider: z.literal("eks"),
  /** AWS region. Required for EKS. */
  region: z.string(),
  nodes: z
    .strictObject({
      instanceTypes: z
        .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { message: "is not an EC2 instance type such as m6i.large" }))
        .min(1)
        .default(["m6i.large"]),
      capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
      minSize: count(1, 450).default(2),
      desiredSize: count(1, 450).default(3),
      maxSize: count(1, 450).default(6),
      diskSizeGb: count(20, 16384).default(50),
      /** Pods per node the VPC must have addresses for (VPC CNI gives pods VPC addresses). Default 58. */
      maxPodsPerNode: count(1, 250).default(58),
    })
    .prefault({}),
  /** VPC range; pods take their addresses from it too. Default: allocated from `network.pools.vpc`. */
  vpcCidr: z.string().optional(),
});

export const clusterSchema = z.discriminatedUnion("provider", [kindClusterSchema, eksClusterSchema]);

const prefix = count(8, 30);

export const networkSchema = z
  .strictObject({
    /** Pools that ranges not given explicitly are allocated from, lowest free block first. */
    pools: z
      .strictObject({
        pod: z.string().default("10.64.0.0/11"),
        service: z.string().default("10.96.0.0/12"),
        vpc: z.string().default("10.0.0.0/10"),
        /** Default `172.18.<255 - kind.hostSlot>.0/24`: each fleet on a host its own pool. */
        lb: z.string().optional(),
      })
      .prefault({}),
    /** Prefix length of each allocated range. */
    prefixes: z
      .strictObject({
        pod: prefix.default(16),
        service: prefix.default(20),
        vpc: prefix.default(16),
        lb: prefix.default(28),
      })
      .prefault({}),
    /** IPv4 subnet of the docker network `kind`; created with it when absent, verified when present. */
    kindNetworkCidr: z.string().default("172.18.0.0/16"),
  })
  .prefault({});

export const kindSettingsSchema = z
  .strictObject({
    /** How many kind clusters may be created at once (kind's node boot deadline). Default 2. */
    maxParallelCreates: count(1, 50).default(2),
    /**
     * Which of the dev fleets on one workstation this stack is (0-9). Fleet n > 0 names its kind
     * clusters `<name>-h<n>` and takes its own default host ports and load-balancer pool, so two
     * stacks of the dev composition never collide. Default 0 (names as given).
     */
    hostSlot: count(0, 9).default(0),
    /** First host port for API servers given no explicit `apiServerPort`. Default 36443 + 100 × hostSlot. */
    apiServerPortBase: count(1024, 65000).optional(),
    /** Host port on 127.0.0.1 for the Karmada API of the management cluster. Default 35443 + hostSlot. */
    karmadaApiHostPort: count(1024, 65535).optional(),
    /** Host port on 127.0.0.1 of the fleet's entry, which fails over between the clusters' ingress gateways. Default 38080 + hostSlot. */
    entryHostPort: count(1024, 65535).optional(),
  })
  .prefault({});

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const eksSettingsSchema = z
  .strictObject({
    /** EKS Kubernetes version. Default: `EKS_KUBERNETES_VERSION` in components/versions.ts. */
    kubernetesVersion: z.string().regex(/^1\.\d+$/, { message: "must look like 1.35" }).optional(),
    /**
     * Who may reach the EKS API over the internet (workstations, CI): at most 40 ranges, never
     * 0.0.0.0/0. Required while `publicEndpoint` is on or the Karmada API is public.
     */
    publicAccessCidrs: z.array(z.string()).default([]),
    /**
     * Whether each EKS API has a public endpoint (for `publicAccessCidrs`). Default true. The
     * clusters call each other's API privately either way; with false, Pulumi must run inside the
     * fleet's network (docs/prod.md, Private API endpoints).
     */
    publicEndpoint: z.boolean().default(true),
    /**
     * Whether each public endpoint also admits the other VPCs' NAT addresses, as fleets built
     * before the private API names did. Default false. Set it for one `up` that moves such a
     * fleet, so that its clusters keep calling each other until the Resolver rules exist, then
     * unset it (docs/prod.md, Moving a running fleet to private API names).
     */
    admitPeersPublicly: z.boolean().default(false),
    /**
     * Availability zones by zone ID (e.g. use1-az1), three per region, for regions whose zones you
     * choose. Default: the region's first three available zones that EKS accepts.
     */
    zoneIds: z.record(z.string(), z.array(z.string().regex(/^[a-z]{2,5}\d-az\d+$/, { message: "is not a zone ID such as use1-az1" }))).default({}),
    /** Days CloudWatch keeps the control-plane logs. Default 90. */
    logRetentionDays: z
      .number()
      .refine((days) => LOG_RETENTION_DAYS.includes(days), { message: `must be one of CloudWatch's ${LOG_RETENTION_DAYS.join(", ")}` })
      .default(90),
    /** Region quotas the plan checks against; raise them to what your account was granted. */
    quotas: eksQuotasSchema,
    /** IAM role given cluster-admin through an access entry. Default: only the identity that runs Pulumi. */
    adminRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, { message: "must be an IAM role ARN" })
      .optional(),
    /** AWS CLI profile for both Pulumi's AWS providers and the kubeconfigs' `aws eks get-token`. */
    awsProfile: z.string().min(1).optional(),
    /** NAT gateways per VPC: `Single` fits default Elastic IP quotas; `OnePerAz` survives a zone outage. */
    natGateways: z.enum(["Single", "OnePerAz"]).default("Single"),
    /**
     * How VPCs reach each other: `peering` (a full mesh, no hourly cost, O(n²) resources),
     * `transitGateway` (a gateway per region, linear), or `auto` (default): peering up to
     * `PEERING_MAX_VPCS` VPCs, Transit Gateways beyond.
     */
    connectivity: z.enum(["peering", "transitGateway", "auto"]).default("auto"),
    /**
     * Where the Karmada API's load balancer listens: `public` (default), internet-facing but only
     * for `publicAccessCidrs`, so Pulumi on a workstation or CI runner reaches it; `internal`,
     * when Pulumi runs inside the fleet's network.
     */
    karmadaApiAccess: z.enum(["public", "internal"]).default("public"),
    /** Protect clusters, VPCs and KMS keys from deletion. Default true. */
    protect: z.boolean().default(true),
  })
  .prefault({});

const MESH_MODES = ["sidecar", "ambient"] as const;

export const meshSettingsSchema = z
  .strictObject({
    /** Mesh ID shared by every workload cluster (`global.meshID`). Default `platform`. */
    meshId: dnsLabel.default("platform"),
    /**
     * `sidecar` (default): the mature multi-primary, multi-network path. `ambient`: ztunnel and an
     * HBONE east-west gateway; multi-network ambient is beta upstream, not for production.
     */
    mode: z.enum(MESH_MODES).default("sidecar"),
  })
  .prefault({});

/** An Alertmanager webhook receiver; its URL often embeds a key, so it is read as a secret. */
export const alertReceiverSchema = z.strictObject({
  /** Receiver name in Alertmanager's config. */
  name: z.string().regex(/^[a-z][-a-z0-9]*$/, { message: "must be lower-case letters, digits and '-'" }),
  /** Where alerts are posted. */
  webhookUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }),
});

export const fleetConfigSchema = z.strictObject({
  /** Environment name, the `env` label of every cluster. */
  environment: labelValue.min(1),
  clusters: z.array(clusterSchema).min(1),
  network: networkSchema,
  kind: kindSettingsSchema,
  eks: eksSettingsSchema,
  mesh: meshSettingsSchema,
  /** Alertmanager webhook receivers. Default: none, alerts go nowhere. */
  alertReceivers: z.array(alertReceiverSchema).default([]),
  /** Apps placed on the workload clusters. Default: none. */
  apps: z.array(appSchema).default([]),
  /** Teams, each owning namespaces on some workload clusters (docs/teams.md). Default: none. */
  teams: z.array(teamSchema).default([]),
  /** The GitOps repository of `argocd` apps. Default: the platform's own git server, on `main`. */
  gitops: gitopsSchema,
  ingress: ingressSchema,
  /** Retention, volumes, trace sampling and transfer prices of the fleet's signals. */
  observability: observabilitySchema,
});

/** Config keys whose values are secrets: a problem with one never shows the value. */
export const SECRET_KEYS = ["alertReceivers"] as const;

/** Fleet configuration as written in `Pulumi.<stack>.yaml` (before defaults). */
export type FleetConfigInput = z.input<typeof fleetConfigSchema>;
/** Fleet configuration with defaults applied. */
export type FleetConfig = z.output<typeof fleetConfigSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type KindClusterConfig = z.output<typeof kindClusterSchema>;
export type EksClusterConfig = z.output<typeof eksClusterSchema>;
export type NetworkConfig = z.output<typeof networkSchema>;
export type EksSettings = z.output<typeof eksSettingsSchema>;
export type KindSettings = z.output<typeof kindSettingsSchema>;
export type MeshSettings = z.output<typeof meshSettingsSchema>;
export type AlertReceiver = z.output<typeof alertReceiverSchema>;
export type ClusterRole = ClusterConfig["role"];
/** What runs a cluster: the discriminator of `clusterSchema`. */
export type ClusterProvider = ClusterConfig["provider"];
export type MeshMode = MeshSettings["mode"];
