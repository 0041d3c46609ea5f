import { z } from "zod";
import { count, dnsLabel, labelKey, labelValue } from "./primitives";

/** An image pinned by tag (never `latest`) or digest. */
const pinnedImage = z.string().regex(/^[^:@\s]+(:[^:@/\s]+)?(@sha256:[a-f0-9]{64})?$/, { message: "is not an image reference" }).refine(
  (image) => image.includes("@sha256:") || (/:[^/:]+$/.test(image) && !image.endsWith(":latest")),
  { message: "must be pinned by a tag other than latest, or by a digest" },
);
/** A folder of a git repository, relative to its root. */
const repoPath = z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, { message: "is not a relative folder path" }).refine(
  (path) => !path.split("/").includes(".."),
  { message: "may not leave the repository" },
);
/** A Kubernetes resource quantity (`250m`, `1`, `128Mi`). */
export const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, { message: "is not a Kubernetes quantity such as 250m or 128Mi" });
const cpuMemory = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "is not an environment variable name" });

const unique = <T extends z.ZodArray<z.ZodString>>(list: T) =>
  list.refine((items) => new Set(items).size === items.length, { message: "names a cluster twice" });
const nonEmpty = <T extends z.ZodRecord<z.ZodString, z.ZodTypeAny>>(record: T) =>
  record.refine((entries) => Object.keys(entries).length > 0, { message: "is empty: leave it out instead" });

/** What may differ in one cluster. */
const overrideSchema = z.strictObject({
  /** Variables set or replaced in that cluster (e.g. `REGION`). */
  env: z.record(envName, z.string()).optional(),
  /** Replicas there (duplicated placement only: a divided one splits the total). */
  replicas: count(1, 1000).optional(),
  image: pinnedImage.optional(),
});

/** An app declared once and placed on clusters. */
export const appSchema = z.strictObject({
  /** Its name: namespace, Deployment and Service are all called this. */
  name: dnsLabel,
  /**
   * What places it: `karmada` (the platform makes its Deployment and Service, and the Karmada API
   * propagates them) or `argocd` (an ApplicationSet syncs each target cluster's overlay from git).
   * Default karmada.
   */
  engine: z.enum(["karmada", "argocd"]).default("karmada"),
  /** Its container image (karmada; an argocd app's images are in its overlays). */
  image: pinnedImage.optional(),
  /** The port its Service serves (the container's too, for karmada). Default 80. */
  port: count(1, 65535).default(80),
  /** Replicas (karmada): per cluster when duplicated, in all when divided. Default 1. */
  replicas: count(1, 1000).optional(),
  /** Environment variables of its container (karmada). Default none. */
  env: z.record(envName, z.string()).default({}),
  /**
   * Its container's requests and limits (karmada). Default requests 50m CPU and 64Mi memory (what
   * the schedulers count), no limits.
   */
  resources: z.strictObject({ requests: cpuMemory.optional(), limits: cpuMemory.optional() }).optional(),
  /**
   * An HTTP path on its port the kubelet asks for readiness and liveness (karmada): a copy counts
   * as healthy, for the mesh and for Karmada's failover, once it answers. Default: no probe.
   */
  probe: z.strictObject({ path: z.string().regex(/^\/[^\s]*$/, { message: "is not an absolute HTTP path" }), initialDelaySeconds: count(0, 600).default(0) }).optional(),
  /**
   * Where an argocd app is in the GitOps repository: a folder with `overlays/<cluster>/` (a
   * kustomization) per target cluster. Default `gitops/apps/<name>`.
   */
  source: z.strictObject({ path: repoPath }).optional(),
  placement: z.strictObject({
    /** Target clusters by name. */
    clusters: unique(z.array(dnsLabel).min(1)).optional(),
    /** Or by the labels of the clusters (as `platform:clusters` gives them, plus cluster, region, env). */
    labels: nonEmpty(z.record(labelKey, labelValue)).optional(),
    /** `duplicated`: every cluster runs `replicas`; `divided`: `replicas` are split by `weights`. Default duplicated. */
    mode: z.enum(["duplicated", "divided"]).default("duplicated"),
    /** Static weights by cluster for a divided placement. Default: equal. */
    weights: nonEmpty(z.record(dnsLabel, count(1, 1000))).optional(),
    /**
     * How a divided placement splits `replicas`: by `weights` (the plan computes the split), or by
     * `capacity`: in proportion to how many more copies each target can fit, as Karmada estimates
     * from its free resources and the app's requests when it schedules. Default weights.
     */
    divideBy: z.enum(["weights", "capacity"]).default("weights"),
    /**
     * Active-passive: clusters that run the app only when its targets cannot (Karmada tries the
     * targets first, then these). Needs `failover`, which is what moves it. Default: none.
     */
    standby: unique(z.array(dnsLabel).min(1)).optional(),
    /** How many clusters at least and at most (duplicated placements). */
    spread: z.strictObject({ min: count(1, 100), max: count(1, 100) }).optional(),
  }),
  /**
   * The Pod Security level its namespace enforces: `restricted` (ambient mode only: sidecar
   * injection needs privileges) makes a karmada app's pods run as non-root without privileges,
   * which its image must allow. Default baseline.
   */
  podSecurity: z.enum(["baseline", "restricted"]).default("baseline"),
  /** Per cluster: what differs there. */
  overrides: z.record(dnsLabel, overrideSchema).default({}),
  /**
   * When a cluster's copy stays unhealthy, or the cluster down (not Ready), this long, Karmada
   * moves it elsewhere. A rollout counts as unhealthy, so the plan wants at least its waves times
   * the probe's initial delay plus 60 s; the app needs somewhere to move (a standby, a spread.max
   * below its targets, or, divided, a second target). Default: no failover (it stays).
   */
  failover: z.strictObject({ tolerationSeconds: count(0, 3600).default(300) }).optional(),
});

export type AppConfig = z.output<typeof appSchema>;

/** A git repository's clone URL. */
export const cloneUrl = z.string().regex(/^(https?|ssh):\/\/[^\s]+$/, { message: "must be an http(s):// or ssh:// clone URL" });

/** The GitOps repository Argo CD reads for `argocd` apps. */
export const gitopsSchema = z
  .strictObject({
    /**
     * Its clone URL (`https://…`, `http://…`, `ssh://…`), exactly as the server serves it (Argo CD
     * follows no redirects). Default: the platform's own git server on the management cluster,
     * seeded from this repository's `gitops/` folder.
     */
    repoURL: cloneUrl.optional(),
    /**
     * The branch, tag or commit Argo CD syncs; a branch with the platform's own git server, which
     * pushes the seed to a branch of this name (the plan refuses a commit there). Default main.
     */
    revision: z.string().regex(/^[^\s]+$/, { message: "is not a git revision" }).default("main"),
  })
  .prefault({});

export type GitOpsSettings = z.output<typeof gitopsSchema>;
