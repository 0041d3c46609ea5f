import { z } from "zod";
import { cloneUrl, quantity } from "./apps-schema";
import { count, dnsLabel } from "./primitives";

const unique = <T extends z.ZodArray<z.ZodString>>(list: T, what: string) =>
  list.refine((items) => new Set(items).size === items.length, { message: `names a ${what} twice` });

/** A secrets provider the Pulumi CLI takes for a stack (`pulumi stack init --secrets-provider`). */
const SECRETS_PROVIDER = /^(passphrase|default|(awskms|azurekeyvault|gcpkms|hashivault):\/\/\S+)$/;

/**
 * A team and what it owns: namespaces on some workload clusters, where it may edit and
 * nowhere else; the identity each cluster admits it as; the repositories Argo CD may sync for it.
 */
export const teamSchema = z.strictObject({
  /** Its name: of its AppProject, its Karmada identity and its kubeconfigs. */
  name: dnsLabel,
  /**
   * The namespaces it owns: the platform creates them on each of its clusters (and in the
   * Karmada API), with its quota and defaults. None may be an app's (`platform:apps` names its
   * own), another team's or the platform's.
   */
  namespaces: unique(z.array(dnsLabel).min(1), "namespace"),
  /** The workload clusters it is on. Default: every workload cluster. */
  clusters: unique(z.array(dnsLabel).min(1), "cluster").optional(),
  /** Who the team's people are to each cluster. */
  identity: z
    .strictObject({
      /** The IAM role its people assume: EKS admits it through an access entry. Required when one of its clusters runs on EKS. */
      roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, { message: "must be an IAM role ARN" }).optional(),
      /** Its ServiceAccount on kind clusters, whose token its kubeconfig carries. Default `team-<name>`. */
      name: dnsLabel.optional(),
    })
    .prefault({}),
  /**
   * The secrets provider of the team's stack, where `npm run teams:publish` writes what the team reads
   * of the fleet (docs/teams.md): `passphrase` (the team's own, which the platform team is given in
   * `PLATFORM_TEAM_PASSPHRASE_<NAME>`), `default` (Pulumi Cloud's) or a key's URL (`awskms://`,
   * `azurekeyvault://`, `gcpkms://`, `hashivault://`). Default `passphrase`.
   */
  secretsProvider: z
    .string()
    .regex(SECRETS_PROVIDER, { message: "must be passphrase, default, or an awskms://, azurekeyvault://, gcpkms:// or hashivault:// URL" })
    .default("passphrase"),
  /** Repositories its AppProject lets Argo CD sync from. Default: the platform's GitOps repository. */
  repos: z.array(cloneUrl).min(1).optional(),
  /** What each of its namespaces may hold at most (a ResourceQuota): requested CPU and memory, and pods. Default 4 CPUs, 8Gi, 50 pods. */
  quota: z
    .strictObject({ cpu: quantity.default("4"), memory: quantity.default("8Gi"), pods: count(1, 10000).default(50) })
    .prefault({}),
  /**
   * What a container that declares none gets (a LimitRange): requests, so that the quota can
   * count it, and a memory limit. Default 100m CPU and 128Mi requested, 512Mi limit.
   */
  defaults: z
    .strictObject({
      requests: z.strictObject({ cpu: quantity.default("100m"), memory: quantity.default("128Mi") }).prefault({}),
      limits: z.strictObject({ memory: quantity.default("512Mi") }).prefault({}),
    })
    .prefault({}),
});

export type TeamConfig = z.output<typeof teamSchema>;
