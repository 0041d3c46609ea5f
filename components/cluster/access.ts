import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster } from "./cluster";
import { buildKubeconfig } from "./kubeconfig";

/** What the identity may do: bind an existing ClusterRole, or create one from rules. */
export type AccessRole =
  | { clusterRole: string }
  | { rules: k8s.types.input.rbac.v1.PolicyRule[] };

export interface ClusterAccessArgs {
  /** The cluster (or a cluster-like API, such as Karmada's) the identity lives in and that the credentials open. */
  cluster: Pick<Cluster, "provider" | "internalEndpoint">;
  /** Namespace of the ServiceAccount and its token Secret; it must exist (see `dependsOn`). */
  namespace: pulumi.Input<string>;
  /** Name of the ServiceAccount; the token Secret is `<name>-token`. */
  serviceAccountName: string;
  /**
   * Create the ServiceAccount. Default true; false reuses one a chart already made (Istio's
   * `istio-reader-service-account`), with `dependsOn` pointing at that chart.
   */
  createServiceAccount?: boolean;
  /** The role bound to the identity. Default: no binding (the RBAC comes from elsewhere). */
  role?: AccessRole;
  /** Where `role` is bound: in these namespaces only, a RoleBinding each. Default: cluster-wide. */
  namespaces?: readonly string[];
  /** Labels on every object created. Default: none. */
  labels?: Record<string, string>;
  /** What must exist first: the namespace, or the chart that owns the ServiceAccount. */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Credentials another system uses to reach a cluster as this identity. */
export interface AccessCredentials {
  /** API URL reachable from other clusters. */
  server: string;
  /** Base64 PEM of the cluster CA. */
  caData: string;
  /** Long-lived ServiceAccount token. */
  token: string;
}

/**
 * A least-privilege identity in a cluster for another system (Karmada, Argo CD, istiod): a
 * ServiceAccount, an RBAC binding chosen by the caller and a long-lived token Secret. The
 * outputs are secrets.
 */
export class ClusterAccess extends pulumi.ComponentResource {
  readonly server: pulumi.Output<string>;
  readonly caData: pulumi.Output<string>;
  readonly token: pulumi.Output<string>;
  /** `{server, caData, token}` in one secret value. */
  readonly credentials: pulumi.Output<AccessCredentials>;

  constructor(name: string, args: ClusterAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:ClusterAccess", name, {}, opts);
    const { cluster, namespace, serviceAccountName } = args;
    const child = { parent: this, provider: cluster.provider };
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels: args.labels });

    const serviceAccount =
      args.createServiceAccount === false
        ? undefined
        : new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: metadata(serviceAccountName) }, {
            ...child,
            dependsOn: args.dependsOn,
          });
    const ready = serviceAccount ? [serviceAccount] : args.dependsOn;

    if (args.role) {
      const bindingName = pulumi.interpolate`platform:${namespace}:${serviceAccountName}`;
      const roleRef = "rules" in args.role
        ? new k8s.rbac.v1.ClusterRole(`${name}-role`, {
            metadata: { name: bindingName, labels: args.labels },
            rules: args.role.rules,
          }, child).metadata.name
        : pulumi.output(args.role.clusterRole);
      const binding = {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleRef },
        subjects: [{ kind: "ServiceAccount", name: serviceAccountName, namespace }],
      };
      if (args.namespaces) {
        for (const scope of args.namespaces) {
          new k8s.rbac.v1.RoleBinding(`${name}-binding-${scope}`, {
            metadata: { name: bindingName, namespace: scope, labels: args.labels },
            ...binding,
          }, { ...child, dependsOn: args.dependsOn });
        }
      } else {
        new k8s.rbac.v1.ClusterRoleBinding(`${name}-binding`, { metadata: { name: bindingName, labels: args.labels }, ...binding }, child);
      }
    }

    // A token Secret never expires, unlike projected tokens: what a remote registration needs.
    const tokenSecret = new k8s.core.v1.Secret(`${name}-token`, {
      metadata: {
        ...metadata(`${serviceAccountName}-token`),
        annotations: {
          "kubernetes.io/service-account.name": serviceAccountName,
          // The token controller fills it in later; the provider's own wait for that is 5 s. This
          // waits until the token is there, up to the create timeout (10 minutes).
          "pulumi.com/waitFor": "jsonpath={.data.token}",
        },
      },
      type: "kubernetes.io/service-account-token",
    }, { ...child, dependsOn: ready });

    const data = tokenSecret.data;
    this.server = pulumi.secret(cluster.internalEndpoint);
    this.caData = pulumi.secret(data.apply((d) => requireKey(d, "ca.crt")));
    this.token = pulumi.secret(data.apply((d) => Buffer.from(requireKey(d, "token"), "base64").toString("utf8")));
    this.credentials = pulumi.secret(
      pulumi.all([this.server, this.caData, this.token]).apply(([server, caData, token]) => ({ server, caData, token })),
    );
    this.registerOutputs({ server: this.server, caData: this.caData, token: this.token });
  }
}

function requireKey(data: Record<string, string> | undefined, key: string): string {
  const value = data?.[key];
  if (!value) throw new Error(`the ServiceAccount token Secret has no "${key}" yet`);
  return value;
}

/** Where a remote-cluster Secret goes, and how the tool that reads it finds it. */
export interface RemoteClusterSecretArgs {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A kubeconfig for an identity's credentials in a remote cluster, named (cluster, user, context) after it; secret as they are. */
export function remoteKubeconfig(remote: string, credentials: pulumi.Output<AccessCredentials>): pulumi.Output<string> {
  return credentials.apply((c) => buildKubeconfig({ name: remote, server: c.server, caData: c.caData, user: { token: c.token } }));
}

/**
 * A Secret handing remote clusters' APIs to a multi-cluster tool (istiod, Kiali): under each
 * remote's name, its kubeconfig (see {@link remoteKubeconfig}).
 */
export function remoteClusterSecret(
  { name, namespace, labels, annotations }: RemoteClusterSecretArgs,
  kubeconfigs: Record<string, pulumi.Output<string>>,
): k8s.core.v1.SecretArgs {
  return { metadata: { name, namespace, labels, ...(annotations && { annotations }) }, stringData: kubeconfigs };
}
