import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type Cluster, ClusterAccess } from "../../cluster";
import { KARMADA_CLUSTER_NAMESPACE, KARMADA_SYSTEM_LABEL, KarmadaCluster, Pending } from "./api";

export interface KarmadaMemberArgs {
  /** The workload cluster to register. */
  member: Cluster;
  /** Provider of the Karmada API server (never the host cluster's). */
  karmadaProvider: k8s.Provider;
}

/** Rules of karmada-controller-manager in a push-mode member, as `karmadactl join` grants them. */
export const KARMADA_CONTROLLER_RULES = [
  { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
  { nonResourceURLs: ["*"], verbs: ["get"] },
];

/**
 * Registers a member cluster with Karmada in push mode, declaratively (what `karmadactl join`
 * does): identities in the member, their credentials as Secrets in the Karmada API, and the
 * `Cluster` object carrying the member's internal endpoint, region and placement labels.
 */
export class KarmadaMember extends pulumi.ComponentResource {
  readonly cluster: k8s.apiextensions.CustomResource;

  constructor(name: string, args: KarmadaMemberArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:KarmadaMember", name, {}, opts);
    const { member, karmadaProvider } = args;
    const inMember = { parent: this, provider: member.provider };
    const inKarmada = { parent: this, provider: karmadaProvider };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: KARMADA_CLUSTER_NAMESPACE, labels: KARMADA_SYSTEM_LABEL } },
      inMember,
    );
    const controller = new ClusterAccess(
      `${name}-controller`,
      {
        cluster: member,
        namespace: namespace.metadata.name,
        serviceAccountName: `karmada-${member.name}`,
        role: { rules: KARMADA_CONTROLLER_RULES },
        labels: KARMADA_SYSTEM_LABEL,
      },
      { parent: this },
    );
    // Its RBAC is pushed later by Karmada's unified-auth controller.
    const impersonator = new ClusterAccess(
      `${name}-impersonator`,
      {
        cluster: member,
        namespace: namespace.metadata.name,
        serviceAccountName: "karmada-impersonator",
        labels: KARMADA_SYSTEM_LABEL,
      },
      { parent: this },
    );

    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: member.name, namespace: KARMADA_CLUSTER_NAMESPACE, labels: KARMADA_SYSTEM_LABEL },
        stringData: {
          token: controller.token,
          caBundle: controller.caData.apply((b64) => Buffer.from(b64, "base64").toString("utf8")),
        },
      },
      inKarmada,
    );
    const impersonatorSecret = new k8s.core.v1.Secret(
      `${name}-impersonator-secret`,
      {
        metadata: { name: `${member.name}-impersonator`, namespace: KARMADA_CLUSTER_NAMESPACE, labels: KARMADA_SYSTEM_LABEL },
        stringData: { token: impersonator.token },
      },
      inKarmada,
    );

    this.cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      karmadaCluster(member, controller.server),
      { ...inKarmada, dependsOn: [secret, impersonatorSecret] },
    );
    this.registerOutputs({});
  }
}

/** The Karmada `Cluster` object of a member. */
export function karmadaCluster(member: Cluster, apiEndpoint: pulumi.Input<string>): Pending<KarmadaCluster> {
  const spec: Pending<KarmadaCluster>["spec"] = {
    syncMode: "Push",
    apiEndpoint,
    secretRef: { namespace: KARMADA_CLUSTER_NAMESPACE, name: member.name },
    impersonatorSecretRef: { namespace: KARMADA_CLUSTER_NAMESPACE, name: `${member.name}-impersonator` },
    provider: member.infrastructure,
    region: member.spec.region,
  };
  return {
    apiVersion: "cluster.karmada.io/v1alpha1",
    kind: "Cluster",
    metadata: { name: member.name, labels: { ...member.spec.labels } },
    spec,
  };
}
