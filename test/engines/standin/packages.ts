/**
 * What the stand-ins answer for the resources the program uses: pulumi-command 1.2.1 (built on
 * pulumi-go-provider v1.3.0), pulumi-random 4.21.2 and pulumi-tls 5.6.1 (Terraform providers behind
 * the Plugin Framework bridge). Each follows its provider's schema and code at that version: what
 * Check answers, which input changes replace, what a preview computes (unknown), which outputs are
 * secret, and what a real create, update and delete do. docs/testing.md says where each behaviour
 * was read.
 */
import { randomBytes } from "crypto";
import { type CommandInputs, type CommandOutputs, type LogLine, runCommand } from "./command";
import { bcryptHash, createPassword, type PasswordParams } from "./random";
import * as tlsKeys from "./keys";
import * as tlsApply from "./tls";
import { fromOutputValues, hasUnknown, isSecret, OUTPUT_SIG, type Props, reveal, secret, SECRET_SIG, SIG_KEY, UNKNOWN } from "./wire";

export type { Props } from "./wire";

/** What a resource's operations know of the step: its name (the URN's last part) and where its logs go. */
export interface StepContext {
  name: string;
  log: LogLine;
}

export interface ResourceStandIn {
  /** Check: the inputs the provider answers with (the engine stores and diffs these). */
  check(news: Props): Props;
  /** Of the inputs that changed, those the provider reports as replacing the resource. */
  replaces(changed: string[], olds: Props, news: Props): string[];
  /** Create in a preview: its id and outputs (computed ones unknown). */
  preview(name: string, inputs: Props): { id: string; outputs: Props };
  /** A real Create: its id and outputs. */
  create(inputs: Props, step: StepContext): Promise<{ id: string; outputs: Props }>;
  /** A real Update of the resource whose outputs are `olds`: the new outputs. */
  update(olds: Props, news: Props, step: StepContext): Promise<Props>;
  /** A real Delete of the resource whose outputs are `olds`. */
  delete(olds: Props, step: StepContext): Promise<void>;
}

export interface StandIn {
  name: string;
  /** The provider's Configure answer: the bridge takes no secrets (the engine strips and re-marks them). */
  acceptSecrets: boolean;
  resources: Record<string, ResourceStandIn>;
}

/**
 * pulumi-go-provider v1.3.0's Check echo of an element of an input typed `Any` (infer's
 * applySecrets, then marshalling that skips nulls): a secret whose value is unknown comes back as
 * the secret marker alone, without `value`, which the engine refuses ("malformed RPC secret:
 * missing value"). Inside an object or array element, a secret unknown comes back as an output
 * value (secret, no value); every other value comes back as sent.
 */
export function goProviderEchoAny(element: unknown): unknown {
  if (isSecret(element) && element.value === UNKNOWN) return { [SIG_KEY]: SECRET_SIG };
  return nestedEcho(element);
}

function nestedEcho(value: unknown): unknown {
  if (isSecret(value)) return value.value === UNKNOWN ? { [SIG_KEY]: OUTPUT_SIG, secret: true } : secret(nestedEcho(value.value));
  if (Array.isArray(value)) return value.map(nestedEcho);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nestedEcho(v)]));
  return value;
}

/** go-provider's echo of a typed input that is a secret and unknown: a secret of the type's zero value. */
function typedEcho(value: unknown, zero: unknown): unknown {
  return isSecret(value) && value.value === UNKNOWN ? secret(zero) : value;
}

/** resource.NewUniqueHex(name, 8, 0): the name and eight random hex digits. */
const commandId = (name: string) => `${name}${randomBytes(4).toString("hex")}`;

type CommandScripts = CommandInputs & { create?: string; update?: string; delete?: string };

function previousOutputs(olds: Props): CommandOutputs {
  const plain = reveal(olds) as Partial<CommandOutputs>;
  return { stdout: plain.stdout ?? "", stderr: plain.stderr ?? "" };
}

/** Command's typed inputs and the zero value go-provider aligns an unknown secret to. */
const COMMAND_TYPED: Record<string, unknown> = {
  create: "", update: "", delete: "", stdin: "", dir: "", logging: "",
  addPreviousOutputInEnv: false, interpreter: [], assetPaths: [], archivePaths: [], environment: {},
};

const command: StandIn = {
  name: "command",
  acceptSecrets: true,
  resources: {
    "command:local:Command": {
      // No defaults: addPreviousOutputInEnv and logging are defaulted only when the command runs.
      check: (sent) => {
        const news = fromOutputValues(sent) as Props;
        const echoed: Props = {};
        for (const [key, value] of Object.entries(news)) {
          if (value === null || value === undefined) continue;
          if (key === "triggers") {
            echoed.triggers = isSecret(value) && value.value === UNKNOWN ? secret([]) : Array.isArray(value) ? value.map(goProviderEchoAny) : value;
          } else {
            echoed[key] = key in COMMAND_TYPED ? typedEcho(value, COMMAND_TYPED[key]) : value;
          }
        }
        return echoed;
      },
      // Only adding or removing `triggers` as a whole replaces; a changed element is an update
      // that the SDK's `replaceOnChanges: ["triggers[*]"]` makes the engine turn into a replace.
      replaces: (changed, olds, news) => changed.filter((k) => k === "triggers" && (olds.triggers === undefined) !== (news.triggers === undefined)),
      preview: (name, inputs) => ({ id: commandId(name), outputs: { ...inputs, stdout: UNKNOWN, stderr: UNKNOWN } }),
      // Create runs `create` (if any) with no previous outputs; the outputs echo the inputs as sent
      // (secrets where they were: go-provider re-marks the paths it decoded them from).
      create: async (inputs, step) => {
        const plain = reveal(inputs) as CommandScripts;
        const outputs = plain.create === undefined ? { stdout: "", stderr: "" } : await runCommand(plain.create, plain, undefined, step.log);
        return { id: commandId(step.name), outputs: { ...inputs, ...outputs } };
      },
      // Update runs `update`, else `create`, with the new inputs and the old outputs in the env.
      update: async (olds, news, step) => {
        const plain = reveal(news) as CommandScripts;
        const previous = previousOutputs(olds);
        const script = plain.update ?? plain.create;
        const outputs = script === undefined ? previous : await runCommand(script, plain, previous, step.log);
        return { ...news, ...outputs };
      },
      // Delete has only the state: its `delete`, environment and interpreter, its outputs in the env.
      delete: async (olds, step) => {
        const plain = reveal(olds) as CommandScripts;
        if (plain.delete !== undefined) await runCommand(plain.delete, plain, previousOutputs(olds), step.log);
      },
    },
  },
};

/**
 * Bridged resources: Check echoes the inputs (Sensitive ones marked secret); every input but `keep`
 * replaces. `planned` is Terraform's planned state (defaults filled in); `apply` computes the
 * attributes a create sets (`id` included), `computed` names them for a preview. An update (only
 * `keep` inputs change in place) writes the plan over the state; a delete removes nothing real.
 */
function bridged(options: {
  sensitive?: string[];
  keep?: string[];
  planned: (inputs: Props) => Props;
  /** The attributes a preview leaves unknown, given the planned state. */
  computed: (planned: Props) => string[];
  apply: (planned: Props) => Props | Promise<Props>;
}): ResourceStandIn {
  const sensitive = options.sensitive ?? [];
  const markSensitive = (props: Props) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sensitive.includes(k) && !isSecret(v) ? secret(v) : v]));
  return {
    check: (news) => markSensitive(news),
    replaces: (changed) => changed.filter((k) => !(options.keep ?? []).includes(k)),
    // The planned state: Terraform's defaults filled in, computed attributes (and `id`) unknown.
    preview: (_name, inputs) => ({
      id: "",
      outputs: { ...options.planned(inputs), ...Object.fromEntries(options.computed(options.planned(inputs)).map((n) => [n, sensitive.includes(n) ? secret(UNKNOWN) : UNKNOWN])), id: UNKNOWN },
    }),
    create: async (inputs) => {
      const planned = options.planned(reveal(inputs) as Props);
      const state = markSensitive({ ...planned, ...(await options.apply(planned)) });
      return { id: String(state.id), outputs: state };
    },
    update: async (olds, news) => markSensitive({ ...olds, ...options.planned(reveal(news) as Props) }),
    delete: async () => undefined,
  };
}

/** RandomPassword's planned state: `numeric` and its deprecated twin `number` follow each other. */
function passwordPlan(inputs: Props): Props {
  const numeric = inputs.numeric ?? inputs.number ?? true;
  return {
    lower: true, upper: true, special: true, minLower: 0, minUpper: 0, minNumeric: 0, minSpecial: 0,
    ...inputs,
    numeric, number: inputs.number ?? numeric,
  };
}

const random: StandIn = {
  name: "random",
  acceptSecrets: false,
  resources: {
    "random:index/randomPassword:RandomPassword": bridged({
      sensitive: ["result", "bcryptHash"],
      planned: passwordPlan,
      computed: () => ["result", "bcryptHash"],
      apply: (planned) => {
        const result = createPassword(planned as unknown as PasswordParams);
        return { result, bcryptHash: bcryptHash(result), id: "none" };
      },
    }),
  },
};

/** A certificate's `readyForRenewal` in a plan: true when its validity leaves no time before renewal. */
function readyForRenewal(inputs: Props): boolean {
  const hours = typeof inputs.validityPeriodHours === "number" ? inputs.validityPeriodHours : 0;
  const early = typeof inputs.earlyRenewalHours === "number" ? inputs.earlyRenewalHours : 0;
  return hours === 0 || early >= hours;
}

function certificate(computed: string[], defaults: Props, sensitive: string[], apply: (planned: Props) => Props): ResourceStandIn {
  return bridged({
    sensitive,
    keep: ["earlyRenewalHours"],
    planned: (inputs) => ({ ...defaults, ...inputs, readyForRenewal: readyForRenewal(inputs) }),
    // An unset max_path_length is unknown in the plan and null (absent) once created.
    computed: (planned) => [...computed, ...(planned.maxPathLength === undefined ? ["maxPathLength"] : [])],
    apply,
  });
}

const tls: StandIn = {
  name: "tls",
  acceptSecrets: false,
  resources: {
    "tls:index/privateKey:PrivateKey": bridged({
      sensitive: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
      planned: (inputs) => ({ rsaBits: 2048, ecdsaCurve: "P224", ...inputs }),
      computed: () => ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh", "publicKeyPem", "publicKeyOpenssh", "publicKeyFingerprintMd5", "publicKeyFingerprintSha256"],
      apply: tlsKeys.privateKey,
    }),
    "tls:index/selfSignedCert:SelfSignedCert": certificate(
      ["certPem", "validityStartTime", "validityEndTime", "keyAlgorithm"],
      { earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false, setAuthorityKeyId: false },
      ["privateKeyPem"],
      tlsApply.selfSignedCert,
    ),
    "tls:index/certRequest:CertRequest": bridged({
      sensitive: ["privateKeyPem"],
      planned: (inputs) => inputs,
      computed: () => ["certRequestPem", "keyAlgorithm"],
      apply: tlsApply.certRequest,
    }),
    "tls:index/locallySignedCert:LocallySignedCert": certificate(
      ["certPem", "validityStartTime", "validityEndTime", "caKeyAlgorithm"],
      { earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false },
      ["caPrivateKeyPem"],
      tlsApply.locallySignedCert,
    ),
  },
};

export const PACKAGES: Record<string, StandIn> = { command, random, tls };

/** Diff: the inputs that changed (an unknown counts as a change), and those that replace. */
export function diff(resource: ResourceStandIn, olds: Props, news: Props): { changed: string[]; replaces: string[] } {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])];
  const changed = keys.filter((k) => hasUnknown(news[k]) || JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
  return { changed, replaces: resource.replaces(changed, olds, news) };
}
