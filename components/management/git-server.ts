import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { readdirSync, readFileSync } from "fs";
import { join, relative } from "path";
import type { Cluster } from "../cluster";
import { GIT_SERVER_IMAGE } from "../versions";

export interface GitServerArgs {
  /** The management cluster: the server runs there, next to the Argo CD that reads it. */
  host: Cluster;
  /** The folder published to it on every change (this repository's `gitops/`). */
  seed: string;
  /** Argo CD's namespace: the only one whose pods may reach the server. */
  readerNamespace: string;
  /** The branch the seed is pushed to: the revision Argo CD syncs. */
  branch: string;
}

const NAMESPACE = "gitops";
const SERVICE = "git";
const PORT = 23232;
/** The repository Argo CD reads, created by the first push (see `scripts/gitops-push.sh`). */
const REPOSITORY = "platform.git";

/**
 * A small git server (soft-serve) on the management cluster, for fleets that point Argo CD at no
 * hosted repository: pods of a kind fleet cannot read a folder of the workstation. It serves
 * anonymous reads and pushes, so a NetworkPolicy admits only Argo CD's namespace (the kubelet's
 * probes come from the node, which kindnet and the VPC CNI always admit); people push through
 * `kubectl port-forward`, which needs the cluster's credentials and passes no NetworkPolicy.
 * Its data is on a volume, and the seed folder is pushed again whenever it or the volume changes.
 */
export class GitServer extends pulumi.ComponentResource {
  /** The clone URL Argo CD uses, inside the management cluster. */
  readonly repoURL: string;
  /** The server serves and holds the seed: what an Application reading it waits for. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: GitServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:GitServer", name, {}, opts);
    const { host } = args;
    const inHost = { parent: this, provider: host.provider };
    const labels = { app: "git-server" };
    this.repoURL = `http://${SERVICE}.${NAMESPACE}.svc.cluster.local:${PORT}/${REPOSITORY}`;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
      inHost,
    );
    const inNamespace = { ...inHost, dependsOn: [namespace, ...(host.persistentStorage?.ready ?? [])] };
    const volume = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-data`,
      {
        // Bound only once the pod is scheduled where the class waits for a consumer: the
        // Deployment's readiness is what says it worked.
        metadata: { name: "git-data", namespace: NAMESPACE, annotations: { "pulumi.com/skipAwait": "true" } },
        spec: {
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: "1Gi" } },
          ...(host.persistentStorage ? { storageClassName: host.persistentStorage.storageClassName } : {}),
        },
      },
      inNamespace,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-readers`,
      {
        metadata: { name: "readers", namespace: NAMESPACE },
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.readerNamespace } } }],
              ports: [{ protocol: "TCP", port: PORT }],
            },
          ],
        },
      },
      inNamespace,
    );
    const server = new k8s.apps.v1.Deployment(
      `${name}-server`,
      {
        metadata: { name: SERVICE, namespace: NAMESPACE, labels },
        spec: {
          replicas: 1,
          // One writer of the volume and its SQLite database at a time.
          strategy: { type: "Recreate" },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: "soft-serve",
                  image: GIT_SERVER_IMAGE,
                  env: [
                    { name: "SOFT_SERVE_ANON_ACCESS", value: "read-write" },
                    { name: "SOFT_SERVE_ALLOW_KEYLESS", value: "true" },
                    { name: "SOFT_SERVE_HTTP_PUBLIC_URL", value: `http://${SERVICE}.${NAMESPACE}.svc.cluster.local:${PORT}` },
                  ],
                  ports: [{ name: "http", containerPort: PORT }],
                  readinessProbe: { httpGet: { path: "/readyz", port: "http" } },
                  livenessProbe: { httpGet: { path: "/livez", port: "http" } },
                  resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                  volumeMounts: [{ name: "data", mountPath: "/soft-serve" }],
                },
              ],
              volumes: [{ name: "data", persistentVolumeClaim: { claimName: "git-data" } }],
            },
          },
        },
      },
      { ...inNamespace, dependsOn: [volume] },
    );
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: SERVICE, namespace: NAMESPACE, labels },
        spec: { selector: labels, ports: [{ name: "http", port: PORT, targetPort: "http" }] },
      },
      inNamespace,
    );
    const seed = new command.local.Command(
      `${name}-seed`,
      {
        create: "bash scripts/gitops-push.sh",
        environment: { GITOPS_DIR: args.seed, GITOPS_BRANCH: args.branch, GITOPS_KUBECONFIG: host.kubeconfig },
        // Pushed again when the folder changes, or onto a new volume.
        triggers: [folderDigest(args.seed), volume.metadata.uid],
        addPreviousOutputInEnv: false,
      },
      { parent: this, dependsOn: [server, service] },
    );
    this.ready = [seed];
    this.registerOutputs({ repoURL: this.repoURL });
  }
}

/** A digest of every file under `dir` (paths and contents, in a fixed order). */
export function folderDigest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (at: string): string[] =>
    readdirSync(at, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(at, entry.name)) : [join(at, entry.name)],
    );
  for (const file of walk(dir).sort()) {
    hash.update(relative(dir, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}
