/** Recovery of the management cluster: Velero backups, and the store they go to where the cloud has none. */
export {
  BACKED_UP_NAMESPACES,
  backupSchedule,
  cloudValues,
  inClusterValues,
  ManagementBackups,
  type ManagementBackupsArgs,
  SCHEDULE_NAME,
  type VolumeCopy,
} from "./backups";
export { FINALIZE_TIMEOUT_SECONDS, VELERO_FINALIZERS, veleroFinalizers, type VeleroFinalizersArgs } from "./finalizers";
export {
  type InClusterStore,
  inClusterStore,
  type S3Keys,
  SEAWEEDFS_PASS_THROUGH,
  seaweedfsValues,
  STORE_BUCKET,
  STORE_NAMESPACE,
  STORE_RELEASE,
  STORE_S3_PORT,
  STORE_SERVICE,
} from "./object-store";
