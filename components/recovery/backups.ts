import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster, ObjectBucket, ObjectStorage } from "../cluster";
import { chartSource, VELERO_AWS_PLUGIN_IMAGE, VELERO_CHART } from "../versions";
import { veleroFinalizers } from "./finalizers";
import { type InClusterStore, inClusterStore } from "./object-store";

export interface ManagementBackupsArgs {
  /** The management cluster: Velero runs there and backs up its platform namespaces. */
  host: Cluster;
  /** When backups run (cron, the Velero server's time zone: UTC). Default `"0 3 * * *"`. */
  schedule?: string;
  /** How long a backup is kept before Velero deletes it. Default `"720h"` (30 days). */
  ttl?: string;
}

const NAMESPACE = "velero";
/** Release name and fullname: Velero's ServiceAccount is `<fullname>-server` (chart _helpers.tpl:37-43). */
const FULLNAME = "velero";
const SERVER_SERVICE_ACCOUNT = `${FULLNAME}-server`;
/** The one location of each kind, named as Velero names its defaults. */
const LOCATION = "default";
/** Where a store that is not AWS is told it lives: the S3 client needs a region, the store ignores it. */
const STORE_REGION = "us-east-1";
/** The Schedule; its backups are named `<name>-<timestamp>`. */
export const SCHEDULE_NAME = "management-plane";

/**
 * The namespaces whose state matters: Karmada's control plane (etcd, certificates), Argo CD
 * (Applications, projects, repository and cluster Secrets), monitoring (Grafana, Prometheus) and
 * the platform's git server (absent when Argo CD reads a hosted repository: then it is empty).
 */
export const BACKED_UP_NAMESPACES = ["karmada-system", "argocd", "monitoring", "gitops"];

/** How the volumes of a backup are copied: cloud snapshots, or file by file through the node agent. */
export type VolumeCopy = "snapshot" | "file-system";

/**
 * Daily Velero backups of the management cluster's platform namespaces and cluster-scoped
 * resources. Where the host has a cloud object store (EKS), to a bucket of it under
 * `<cluster>/` with the ServiceAccount's own role, volumes as EBS snapshots; elsewhere (kind),
 * to a SeaweedFS S3 store in the same cluster, volumes copied by the node agent. The latter is
 * for restore drills: it goes down with the cluster.
 */
export class ManagementBackups extends pulumi.ComponentResource {
  /** Where backups go, in words (bucket and prefix, or the in-cluster store): for docs and outputs. */
  readonly backupLocation: pulumi.Output<string>;
  /** The Schedule whose latest backup `velero restore create --from-schedule` takes. */
  readonly scheduleName: string = SCHEDULE_NAME;

  constructor(name: string, args: ManagementBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:ManagementBackups", name, {}, opts);
    const { host } = args;
    const inHost = { parent: this, provider: host.provider };
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: NAMESPACE } }, inHost);

    const target = host.objectStorage ? cloudTarget(host.objectStorage, host.name) : inClusterTarget(`${name}-store`, host, this);
    this.backupLocation = target.location;
    const { values, ready, copy } = target;

    const velero = new k8s.helm.v3.Release(
      `${name}-velero`,
      { name: FULLNAME, namespace: namespace.metadata.name, ...chartSource(VELERO_CHART), values },
      { ...inHost, dependsOn: [namespace, ...ready] },
    );
    // A resource of its own rather than the chart's `schedules` map: Pulumi diffs and previews
    // it field by field, and the tests hold it against Velero's CRD. After the release, which
    // installs the CRDs and the location it names.
    new k8s.apiextensions.CustomResource(
      `${name}-schedule`,
      backupSchedule({ schedule: args.schedule ?? "0 3 * * *", ttl: args.ttl ?? "720h", copy }),
      { ...inHost, dependsOn: [velero] },
    );
    // On destroy, Restores (and running volume copies) go while Velero still runs to finalize them.
    veleroFinalizers(`${name}-finalizers`, { cluster: host.name, kubeconfig: host.kubeconfig, namespace: NAMESPACE }, { parent: this, dependsOn: [velero] });
    this.registerOutputs({ backupLocation: this.backupLocation });
  }
}

/** Where the backups go: the chart's values for it, what must exist first, how volumes are copied, and the location in words. */
interface BackupTarget {
  values: Record<string, unknown>;
  ready: pulumi.Resource[];
  copy: VolumeCopy;
  location: pulumi.Output<string>;
}

/** A bucket of the cloud's store under `<cluster>/`, volumes as snapshots (with the bucket's role). */
function cloudTarget(storage: ObjectStorage, cluster: string): BackupTarget {
  const bucket = storage.bucket({ purpose: "backups", namespace: NAMESPACE, serviceAccount: SERVER_SERVICE_ACCOUNT, volumeSnapshots: true });
  return {
    values: cloudValues(bucket, cluster),
    ready: bucket.ready,
    copy: "snapshot",
    location: pulumi.interpolate`s3://${bucket.name}/${cluster}/ (S3, ${bucket.region})`,
  };
}

/** The in-cluster store, volumes copied file by file by the node agent. */
function inClusterTarget(name: string, host: Cluster, parent: pulumi.Resource): BackupTarget {
  const store = inClusterStore(name, host, parent);
  return {
    values: inClusterValues(store, host.name),
    ready: [store.release],
    copy: "file-system",
    location: pulumi.output(`s3://${store.bucket}/${host.name}/ at ${store.url} (SeaweedFS in ${host.name})`),
  };
}

/** Values both cases share: the AWS (S3 API) plugin, and the CRD upgrade hook the chart runs by default. */
function commonValues() {
  return {
    fullnameOverride: FULLNAME,
    // Copies the plugin binary into the server's plugin directory (chart values.yaml:129-137).
    initContainers: [
      { name: "velero-plugin-for-aws", image: VELERO_AWS_PLUGIN_IMAGE, imagePullPolicy: "IfNotPresent", volumeMounts: [{ mountPath: "/target", name: "plugins" }] },
    ],
    // Helm installs `crds/` once and never upgrades it; this pre-install/pre-upgrade hook Job
    // applies the CRDs of the chart's Velero. It runs the server image, pinned by the chart
    // (`image.tag: v1.18.1`; templates/upgrade-crds/upgrade-crds.yaml:45-48), so nothing to pin here.
    upgradeCRDs: true,
  };
}

/** A bucket of the cloud's object store, reached with the server ServiceAccount's role (IRSA): no keys. */
export function cloudValues(bucket: ObjectBucket, prefix: string) {
  const region = bucket.region;
  return {
    ...commonValues(),
    configuration: {
      backupStorageLocation: [{ name: LOCATION, provider: "aws", bucket: bucket.name, prefix, default: true, config: { region } }],
      volumeSnapshotLocation: [{ name: LOCATION, provider: "aws", config: { region } }],
    },
    credentials: { useSecret: false },
    serviceAccount: { server: { annotations: bucket.serviceAccountAnnotations } },
    // The projected web-identity token is readable by a non-root server only through a group
    // (chart values.yaml:139-143).
    podSecurityContext: { fsGroup: 65534 },
    snapshotsEnabled: true,
    deployNodeAgent: false,
  };
}

/** The in-cluster store: path-style S3 at its Service, with its admin keys as an AWS credentials file. */
export function inClusterValues(store: InClusterStore, prefix: string) {
  return {
    ...commonValues(),
    configuration: {
      backupStorageLocation: [
        {
          name: LOCATION,
          provider: "aws",
          bucket: store.bucket,
          prefix,
          default: true,
          config: { region: STORE_REGION, s3ForcePathStyle: "true", s3Url: store.url },
        },
      ],
      // No snapshot API on kind: every pod volume goes through the node agent instead.
      defaultVolumesToFsBackup: true,
    },
    // The chart writes it to a Secret mounted at /credentials/cloud (templates/secret.yaml,
    // deployment.yaml:244-246) and restarts the server when it changes (deployment.yaml:55-56).
    credentials: { useSecret: true, secretContents: { cloud: credentialsFile(store) } },
    snapshotsEnabled: false,
    deployNodeAgent: true,
  };
}

/** An AWS shared credentials file (secret). */
function credentialsFile(store: InClusterStore): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.interpolate`[default]\naws_access_key_id=${store.admin.accessKeyId}\naws_secret_access_key=${store.admin.secretAccessKey}\n`,
  );
}

/**
 * The daily Schedule: the platform namespaces and every cluster-scoped resource (CRDs,
 * ClusterRoles, the PersistentVolumes behind the claims), no events.
 * `skipImmediately`: a management cluster rebuilt from scratch must not back itself up at once,
 * or that empty backup becomes the latest one `--from-schedule` restores.
 */
export function backupSchedule(args: { schedule: string; ttl: string; copy: VolumeCopy }) {
  const snapshots = args.copy === "snapshot";
  return {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name: SCHEDULE_NAME, namespace: NAMESPACE },
    spec: {
      schedule: args.schedule,
      skipImmediately: true,
      template: {
        ttl: args.ttl,
        storageLocation: LOCATION,
        includedNamespaces: BACKED_UP_NAMESPACES,
        includeClusterResources: true,
        excludedResources: ["events", "events.events.k8s.io"],
        snapshotVolumes: snapshots,
        ...(snapshots ? { volumeSnapshotLocations: [LOCATION] } : {}),
        defaultVolumesToFsBackup: !snapshots,
      },
    },
  };
}
