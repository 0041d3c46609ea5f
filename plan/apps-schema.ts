import { z } from "zod";
import { count, dnsLabel, labelKey, labelValue } from "./primitives";

/** An image pinned by tag (never `latest`) or digest. */
const pinnedImage = z.string().regex(/^[^:@\s]+(:[^:@/\s]+)?(@sha256:[a-f0-9]{64})?$/, { message: "is not an image reference" }).refine(
  (image) => image.includes("@sha256:") || (/:[^/:]+$/.test(image) && !image.endsWith(":latest")),
  { message: "must be pinned by a tag other than latest, or by a digest" },
);
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
  /** What places it: `karmada` (the Karmada API propagates it). */
  engine: z.enum(["karmada"]).default("karmada"),
  image: pinnedImage,
  /** The container's port, served by the Service on the same port. Default 80. */
  port: count(1, 65535).default(80),
  /** Replicas: per cluster when duplicated, in all when divided. Default 1. */
  replicas: count(1, 1000).default(1),
  env: z.record(envName, z.string()).default({}),
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
     * Active-passive: clusters that run the app only when its targets cannot (Karmada tries the
     * targets first, then these). Needs `failover`, which is what moves it. Default: none.
     */
    standby: unique(z.array(dnsLabel).min(1)).optional(),
    /** How many clusters at least and at most (duplicated placements). */
    spread: z.strictObject({ min: count(1, 100), max: count(1, 100) }).optional(),
  }),
  /** Per cluster: what differs there. */
  overrides: z.record(dnsLabel, overrideSchema).default({}),
  /** When a cluster's copy stays unhealthy this long, Karmada moves it elsewhere. Default: no failover. */
  failover: z.strictObject({ tolerationSeconds: count(0, 3600).default(300) }).optional(),
});

export type AppConfig = z.output<typeof appSchema>;
