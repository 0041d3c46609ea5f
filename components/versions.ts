/**
 * Every image and chart version the platform deploys, in one place. Bump them here, together
 * with the value paths that the chart's values.yaml of the new version really reads.
 */

/** kind v0.32.0's default node image (Kubernetes 1.36.1), pinned by digest as kind's release notes require. */
export const KIND_NODE_IMAGE =
  "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

/** The kind CLI release the node image above was built for (documented prerequisite). */
export const KIND_VERSION = "v0.32.0";

/** EKS Kubernetes version of prod clusters (override: `platform:eks.kubernetesVersion`). */
export const EKS_KUBERNETES_VERSION = "1.35";
