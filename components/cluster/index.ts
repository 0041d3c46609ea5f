/** The cluster contract, and what every cluster offers whatever runs it. */
export {
  type AccessCredentials,
  type AccessRole,
  ClusterAccess,
  type ClusterAccessArgs,
  remoteClusterSecret,
  type RemoteClusterSecretArgs,
  remoteKubeconfig,
} from "./access";
export {
  type BucketRequest,
  type CloudAdmission,
  type CloudAdmissionRequest,
  type CloudIdentity,
  type Cluster,
  clusterProvider,
  nodeLabels,
  type ObjectBucket,
  type ObjectStorage,
  type PersistentStorage,
} from "./cluster";
export { buildKubeconfig, type CertificateCredentials, type KubeconfigUser, readCertificateCredentials } from "./kubeconfig";
export {
  type Audience,
  type Endpoint,
  type PlatformService,
  type ServiceRead,
  type ServiceReach,
  type ServiceRequest,
  type ServiceShape,
  serviceUrl,
  serviceValues,
} from "./reach";
export { loadBalancerEndpoint, readAfter } from "./read-back";
export { destroyStep, type HostTool, KUBECTL_FROM_ENV, requireTools } from "./host-tools";
