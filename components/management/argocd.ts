import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type Cluster, ClusterAccess, type ServiceShape, serviceUrl, serviceValues } from "../cluster";
import { ARGOCD_CHART, ARGOCD_VERSION, chartSource } from "../versions";
import { passwordFingerprint } from "./basic-auth";

export interface ArgoCdArgs {
  /** The management cluster Argo CD runs on; it says how people reach the server's console. */
  host: Cluster;
  /** Workload clusters registered as Argo CD clusters. */
  clusters: Cluster[];
}

const NAMESPACE = "argocd";
/** Where `kubectl port-forward` puts the console when the host keeps it in-cluster. */
const CONSOLE_LOCAL_PORT = 8080;
/** What Argo CD's application controller may do in a target cluster (`argocd cluster add` grants the same). */
export const ARGOCD_MANAGER_RULES = [
  { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
  { nonResourceURLs: ["*"], verbs: ["*"] },
];

/**
 * Argo CD with the ApplicationSet controller, from the argo-helm chart as a `helm.v3.Release`
 * (the chart's redis-secret-init Job is a pre-install hook, which a Release runs). The admin
 * password is random and set as a bcrypt hash; every workload cluster is registered as a
 * declarative cluster Secret labelled for ApplicationSet cluster generators.
 */
export class ArgoCd extends pulumi.ComponentResource {
  /** Where its ApplicationSets and cluster Secrets live. */
  static readonly namespace = NAMESPACE;
  readonly url: pulumi.Output<string>;
  /** Its controllers and CRDs installed, every workload cluster registered: what an ApplicationSet waits for. */
  readonly ready: pulumi.Resource[];
  /** The `admin` user's password (secret). */
  readonly adminPassword: pulumi.Output<string>;

  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:ArgoCd", name, {}, opts);
    const { host } = args;
    const console = host.reach({ service: "argocd-server", port: 443, audience: "console", localPort: CONSOLE_LOCAL_PORT });
    const inHost = { parent: this, provider: host.provider };

    const password = new random.RandomPassword(`${name}-admin-password`, { length: 24, special: false }, { parent: this });
    this.adminPassword = pulumi.secret(password.result);
    // The chart renders the password's mtime from `now` unless given one: every upgrade would log
    // everybody out. This is the time the password was set, taken again only when it changes.
    // The trigger is a fingerprint of the salted hash, not a secret: pulumi-command echoes a secret
    // that is unknown (every first preview) without its value, and the engine refuses the preview.
    const passwordSetAt = new command.local.Command(
      `${name}-admin-password-mtime`,
      { create: "date -u +%Y-%m-%dT%H:%M:%SZ", triggers: [passwordFingerprint(password.bcryptHash)], addPreviousOutputInEnv: false },
      { parent: this },
    );

    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "argocd",
        namespace: NAMESPACE,
        createNamespace: true,
        ...chartSource(ARGOCD_CHART),
        values: argoCdValues(console.service, {
          hash: pulumi.secret(password.bcryptHash),
          mtime: passwordSetAt.stdout.apply((out) => out.trim()),
        }),
      },
      { ...inHost, dependsOn: console.dependsOn },
    );
    this.url = console
      .address({ name: `${name}-server`, creator: release, id: `${NAMESPACE}/argocd-server`, parent: this })
      .apply((endpoint) => serviceUrl("https", endpoint));

    this.ready = [release];
    for (const cluster of args.clusters) {
      const access = new ClusterAccess(
        `${name}-${cluster.name}-access`,
        { cluster, namespace: "kube-system", serviceAccountName: "argocd-manager", role: { rules: ARGOCD_MANAGER_RULES } },
        { parent: this },
      );
      this.ready.push(
        new k8s.core.v1.Secret(`${name}-${cluster.name}-cluster`, argoCdClusterSecret(cluster, access.credentials), {
          ...inHost,
          dependsOn: [release],
        }),
      );
    }
    this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
  }
}

/** Chart values: pinned image, the bcrypt admin password, the server's Service, ApplicationSets on. */
export function argoCdValues(
  server: ServiceShape,
  adminPassword: { hash: pulumi.Input<string>; mtime: pulumi.Input<string> },
): Record<string, unknown> {
  return {
    fullnameOverride: "argocd",
    global: { image: { tag: ARGOCD_VERSION } },
    configs: { secret: { argocdServerAdminPassword: adminPassword.hash, argocdServerAdminPasswordMtime: adminPassword.mtime } },
    server: { service: serviceValues(server) },
    applicationSet: { replicas: 1 },
  };
}

/** The declarative cluster Secret Argo CD reads (`argocd.argoproj.io/secret-type: cluster`). */
export function argoCdClusterSecret(
  cluster: Cluster,
  credentials: pulumi.Output<{ server: string; caData: string; token: string }>,
): k8s.core.v1.SecretArgs {
  return {
    metadata: {
      name: `cluster-${cluster.name}`,
      namespace: NAMESPACE,
      labels: { ...cluster.spec.labels, "argocd.argoproj.io/secret-type": "cluster" },
    },
    type: "Opaque",
    stringData: {
      name: cluster.name,
      server: credentials.server,
      config: credentials.apply((c) =>
        JSON.stringify({ bearerToken: c.token, tlsClientConfig: { insecure: false, caData: c.caData } }),
      ),
    },
  };
}
