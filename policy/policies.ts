import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { parse } from "yaml";
import { claimedRanges, overlap } from "./ranges";

/**
 * The platform's guardrails, applied with `pulumi preview --policy-pack ./policy`. Each checks what
 * the program declares (inputs); `policy/index.ts` serves them, tests call them directly.
 */

const stackOf = (urn: string) => urn.split("::")[0].replace(/^urn:pulumi:/, "");

export const noOverlappingRanges: StackValidationPolicy = {
  name: "no-overlapping-ranges",
  description: "No two address ranges of the fleet overlap (VPCs, service, pod and load-balancer ranges).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const ranges = claimedRanges(args.resources);
    ranges.forEach((a, i) =>
      ranges.slice(0, i).forEach((b) => {
        if (overlap(a.cidr, b.cidr)) report(`${a.owner} ${a.cidr} overlaps ${b.owner} ${b.cidr}`, a.urn);
      }),
    );
  },
};

/**
 * The EKS control plane as the engine hands it to policies: `eks:index:Cluster` is a component
 * made by the pulumi-eks plugin, whose own props reach policies empty; this child carries the
 * cluster's settings.
 */
const EKS_CLUSTER = "aws:eks/cluster:Cluster";

export const eksApiNotOpen: ResourceValidationPolicy = {
  name: "eks-api-not-open-to-the-internet",
  description: "An EKS public endpoint admits listed ranges only, never 0.0.0.0/0.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const vpc = args.props.vpcConfig ?? {};
    if (args.type !== EKS_CLUSTER || vpc.endpointPublicAccess === false) return;
    const cidrs: string[] = vpc.publicAccessCidrs ?? [];
    if (cidrs.length === 0) report("the public endpoint admits everybody: set publicAccessCidrs");
    for (const cidr of cidrs.filter((c) => /\/0$/.test(c))) report(`publicAccessCidrs holds ${cidr}, the whole internet`);
  },
};

export const eksSecretsEncrypted: ResourceValidationPolicy = {
  name: "eks-secrets-encrypted",
  description: "EKS clusters encrypt Kubernetes Secrets with a KMS key.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== EKS_CLUSTER) return;
    const config = args.props.encryptionConfig as { resources?: string[]; provider?: { keyArn?: string } } | undefined;
    const encrypted = Boolean(config?.provider?.keyArn) && (config?.resources ?? []).includes("secrets");
    if (!encrypted) report(`${args.name} does not encrypt Secrets with a KMS key`);
  },
};

const PROTECTED = [EKS_CLUSTER, "aws:ec2/vpc:Vpc", "aws:kms/key:Key"];

export const prodProtected: ResourceValidationPolicy = {
  name: "prod-protected",
  description: "In the protected stacks (config `stacks`, default prod), clusters, VPCs and KMS keys are protected.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { stacks: { type: "array", items: { type: "string" }, default: ["prod"] } } },
  validateResource: (args, report) => {
    const stacks = args.getConfig<{ stacks?: string[] }>().stacks ?? ["prod"];
    if (PROTECTED.includes(args.type) && stacks.includes(stackOf(args.urn)) && !args.opts.protect) {
      report(`${args.type} ${args.name} in stack ${stackOf(args.urn)} is not protected`);
    }
  },
};

const providerOf = (r: PolicyResource) => r.provider?.urn;

export const strictMtls: StackValidationPolicy = {
  name: "mesh-strict-mtls",
  description: "Every cluster running istiod has mesh-wide STRICT mTLS (a PeerAuthentication in istio-system).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const strict = args.resources.filter(
      (r) =>
        r.type === "kubernetes:security.istio.io/v1:PeerAuthentication" &&
        r.props.metadata?.namespace === "istio-system" &&
        r.props.spec?.mtls?.mode === "STRICT" &&
        !r.props.spec?.selector,
    );
    for (const istiod of args.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.props.chart === "istiod")) {
      if (!strict.some((p) => providerOf(p) === providerOf(istiod))) report(`${istiod.name}: its cluster has no mesh-wide STRICT PeerAuthentication`, istiod.urn);
    }
  },
};

/** A container image pinned by tag (not `latest`) or digest. */
export function pinnedImage(image: string): boolean {
  if (image.includes("@sha256:")) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== "latest";
}

const WORKLOADS = ["apps/v1:Deployment", "apps/v1:StatefulSet", "apps/v1:DaemonSet", "batch/v1:Job", "core/v1:Pod"].map((t) => `kubernetes:${t}`);

export const pinnedVersions: ResourceValidationPolicy = {
  name: "pinned-versions",
  description: "Every Helm chart and container image is pinned (a version, tag or digest; never latest).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type === "kubernetes:helm.sh/v3:Release") {
      const chart = String(args.props.chart ?? "");
      if (!args.props.version && !/v?\d+\.\d+\.\d+[^/]*\.tgz$/.test(chart)) report(`chart ${chart} has no version`);
      if (/"(tag|image)":"[^"]*latest"/.test(JSON.stringify(args.props.values ?? {}))) report(`chart ${chart} sets an image to latest`);
    }
    if (WORKLOADS.includes(args.type)) {
      const spec = args.type.endsWith(":Pod") ? args.props.spec : args.props.spec?.template?.spec ?? args.props.spec?.jobTemplate?.spec?.template?.spec;
      for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
        if (!pinnedImage(String(c.image ?? ""))) report(`container ${c.name} runs ${c.image}, not pinned by tag or digest`);
      }
    }
    const kindConfig = args.type === "command:local:Command" ? args.props.environment?.KIND_CONFIG : undefined;
    if (typeof kindConfig === "string") {
      for (const node of (parse(kindConfig) as { nodes?: { image?: string }[] }).nodes ?? []) {
        if (!String(node.image ?? "").includes("@sha256:")) report(`kind node image ${node.image} is not pinned by digest`);
      }
    }
  },
};

/** The Kubernetes minor version a cluster resource runs, if it says. */
function kubernetesMinor(r: PolicyResource): string | undefined {
  if (r.type === EKS_CLUSTER) return /^(\d+\.\d+)/.exec(String(r.props.version ?? ""))?.[1];
  const text = r.type === "command:local:Command" ? r.props.environment?.KIND_CONFIG : undefined;
  if (typeof text !== "string") return undefined;
  const image = (parse(text) as { nodes?: { image?: string }[] }).nodes?.[0]?.image ?? "";
  return /:v(\d+\.\d+)\./.exec(image)?.[1];
}

export const sameKubernetesMinor: StackValidationPolicy = {
  name: "same-kubernetes-minor",
  description: "Every cluster of a stack runs the same Kubernetes minor version.",
  // Advisory: during an upgrade, one minor at a time, the clusters differ on purpose.
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const minors = args.resources.flatMap((r) => {
      const minor = kubernetesMinor(r);
      return minor ? [{ minor, r }] : [];
    });
    const first = minors[0];
    for (const { minor, r } of minors.filter((m) => m.minor !== first?.minor)) {
      report(`${r.name} runs Kubernetes ${minor}, ${first.r.name} runs ${first.minor}`, r.urn);
    }
  },
};

/** Outputs that the contract makes secret as a whole; Pulumi hands policies secrets unwrapped. */
const SECRET_OUTPUTS = ["kubeconfigs", "karmada", "argocd", "grafana", "readers"];
const CREDENTIAL = /client-key-data|"token"|bearerToken|PRIVATE KEY|[Pp]assword/;

export const noPlainCredentials: StackValidationPolicy = {
  name: "no-plain-credentials",
  description:
    "Credentials (kubeconfigs, tokens, keys, passwords) appear only in the outputs the contract makes secret, " +
    "and a command that prints a kubeconfig marks its output secret.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    for (const r of args.resources) {
      if (r.type === "pulumi:pulumi:Stack") {
        for (const [name, value] of Object.entries(r.props)) {
          if (!SECRET_OUTPUTS.includes(name) && CREDENTIAL.test(JSON.stringify(value))) report(`stack output ${name} holds a credential`, r.urn);
        }
      }
      if (r.type === "command:local:Command" && /get kubeconfig/.test(String(r.props.create ?? "")) && !r.opts.additionalSecretOutputs?.includes("stdout")) {
        report(`${r.name} prints a kubeconfig without marking stdout secret`, r.urn);
      }
    }
  },
};

/** Components of the Kubernetes SDK: they carry no provider, their objects do. */
const KUBERNETES_COMPONENTS = /^kubernetes:(yaml\/v2|yaml|helm\.sh\/v4|helm\.sh\/v3|kustomize\/v2|kustomize):(ConfigFile|ConfigGroup|Chart|Directory)$/;

export const explicitKubernetesProvider: ResourceValidationPolicy = {
  name: "explicit-kubernetes-provider",
  description: "Every Kubernetes object names its cluster's provider; none uses the default (ambient kubeconfig).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (!args.type.startsWith("kubernetes:") || KUBERNETES_COMPONENTS.test(args.type)) return;
    const provider = args.provider?.urn ?? "";
    if (!provider || provider.includes("::default")) report(`${args.type} ${args.name} uses the default Kubernetes provider`);
  },
};

export const resourcePolicies = [eksApiNotOpen, eksSecretsEncrypted, prodProtected, pinnedVersions, explicitKubernetesProvider];
export const stackPolicies = [noOverlappingRanges, strictMtls, sameKubernetesMinor, noPlainCredentials];
