import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Cluster } from "../cluster";
import { chartSource, SEAWEEDFS_CHART } from "../versions";

/** Namespace of the in-cluster store. */
export const STORE_NAMESPACE = "backup-store";
/**
 * The release name. The chart's fullname is the release name when it contains "seaweedfs"
 * (seaweedfs@4.44 templates/shared/_helpers.tpl:7-18), and the all-in-one Service is
 * `<fullname>-all-in-one` (seaweedfs.componentName, _helpers.tpl:24-34, used by
 * templates/all-in-one/all-in-one-service.yml:5).
 */
export const STORE_RELEASE = "seaweedfs";
export const STORE_SERVICE = `${STORE_RELEASE}-all-in-one`;
/** The S3 port: `allInOne.s3.port` unset falls back to `s3.port` (all-in-one-service.yml:80; values.yaml `s3.port: 8333`). */
export const STORE_S3_PORT = 8333;
/** The one bucket, made by the chart's post-install hook (templates/shared/post-install-bucket-hook.yaml:23-24). */
export const STORE_BUCKET = "velero";

/**
 * Values the chart reads without declaring them in values.yaml (both are commented examples there):
 * `s3.credentials` (templates/s3/s3-secret.yaml:16) and `allInOne.s3.createBuckets`
 * (templates/shared/post-install-bucket-hook.yaml:23-24).
 */
export const SEAWEEDFS_PASS_THROUGH = ["s3.credentials", "allInOne.s3.createBuckets"];

/** An S3 identity: what the store is given and what a client signs with (both secret). */
export interface S3Keys {
  accessKeyId: pulumi.Output<string>;
  secretAccessKey: pulumi.Output<string>;
}

/** The in-cluster store, as Velero is pointed at it. */
export interface InClusterStore {
  /** `http://<service>.<namespace>:<port>`: the S3 endpoint inside the host cluster. */
  url: string;
  bucket: string;
  /** The store's admin identity (read, write): the one Velero uses. */
  admin: S3Keys;
  /** The release: the bucket exists once it is installed (post-install hook). */
  release: k8s.helm.v3.Release;
}

/**
 * SeaweedFS all-in-one (master, volume, filer and S3 gateway in one pod) with S3 authentication
 * on and a `velero` bucket, on a volume of the host. Both identities the chart configures get
 * keys from `@pulumi/random`: left unset, the chart's S3 secret hook generates them at every
 * render with `lookup` + `randAlphaNum` (templates/s3/s3-secret.yaml:21-36,
 * _helpers.tpl:287-299), which no Pulumi value can follow.
 */
export function inClusterStore(name: string, host: Cluster, parent: pulumi.Resource): InClusterStore {
  const inHost = { parent, provider: host.provider };
  const keys = (role: string): S3Keys => ({
    // The lengths the chart generates (s3-secret.yaml:24-25); letters and digits only.
    accessKeyId: pulumi.secret(new random.RandomPassword(`${name}-${role}-access-key`, { length: 20, special: false }, { parent }).result),
    secretAccessKey: pulumi.secret(new random.RandomPassword(`${name}-${role}-secret-key`, { length: 40, special: false }, { parent }).result),
  });
  const admin = keys("admin");
  const read = keys("read");
  const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: STORE_NAMESPACE } }, inHost);
  const release = new k8s.helm.v3.Release(
    `${name}-release`,
    {
      name: STORE_RELEASE,
      namespace: namespace.metadata.name,
      ...chartSource(SEAWEEDFS_CHART),
      values: seaweedfsValues(admin, read, host.persistentStorage?.storageClassName),
    },
    { ...inHost, dependsOn: [namespace, ...(host.persistentStorage?.ready ?? [])] },
  );
  return { url: `http://${STORE_SERVICE}.${STORE_NAMESPACE}:${STORE_S3_PORT}`, bucket: STORE_BUCKET, admin, release };
}

/** Size of the store's volume: a few daily backups of the management plane's objects and volumes. */
const STORE_VOLUME = "10Gi";

/** All-in-one only: the distributed components' StatefulSets each check only their own flag. */
export function seaweedfsValues(admin: S3Keys, read: S3Keys, storageClass?: string) {
  return {
    master: { enabled: false },
    volume: { enabled: false },
    filer: { enabled: false },
    allInOne: {
      enabled: true,
      s3: { enabled: true, enableAuth: true, createBuckets: [{ name: STORE_BUCKET }] },
      data: { type: "persistentVolumeClaim", size: STORE_VOLUME, ...(storageClass ? { storageClass } : {}) },
    },
    s3: {
      credentials: {
        admin: { accessKey: admin.accessKeyId, secretKey: admin.secretAccessKey },
        read: { accessKey: read.accessKeyId, secretKey: read.secretAccessKey },
      },
    },
  };
}
