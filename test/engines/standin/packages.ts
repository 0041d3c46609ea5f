/**
 * What the stand-ins answer for the resources the program uses: pulumi-command 1.2.1 (built on
 * pulumi-go-provider v1.3.0), pulumi-random 4.21.2 and pulumi-tls 5.6.1 (Terraform providers behind
 * the Plugin Framework bridge). Each follows its provider's schema and code at that version: what
 * Check answers, which input changes replace, what a preview's Create computes (unknown) and which
 * outputs are secret. docs/testing.md says where each behaviour was read.
 */
import { randomBytes } from "crypto";
import { fromOutputValues, hasUnknown, isSecret, OUTPUT_SIG, type Props, secret, SECRET_SIG, SIG_KEY, UNKNOWN } from "./wire";

export type { Props } from "./wire";

export interface ResourceStandIn {
  /** Check: the inputs the provider answers with (the engine stores and diffs these). */
  check(news: Props): Props;
  /** Of the inputs that changed, those the provider reports as replacing the resource. */
  replaces(changed: string[], olds: Props, news: Props): string[];
  /** Create in a preview: its id and outputs (computed ones unknown). */
  preview(name: string, inputs: Props): { id: string; outputs: Props };
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
      preview: (name, inputs) => ({ id: `${name}${randomBytes(4).toString("hex")}`, outputs: { ...inputs, stdout: UNKNOWN, stderr: UNKNOWN } }),
    },
  },
};

/** Bridged resources: Check echoes the inputs (Sensitive ones marked secret); every input but `keep` replaces. */
function bridged(options: {
  sensitive?: string[];
  keep?: string[];
  preview: (inputs: Props) => Props;
}): ResourceStandIn {
  return {
    check: (news) => Object.fromEntries(Object.entries(news).map(([k, v]) => [k, options.sensitive?.includes(k) && !isSecret(v) ? secret(v) : v])),
    replaces: (changed) => changed.filter((k) => !(options.keep ?? []).includes(k)),
    // The planned state: Terraform's defaults filled in, computed attributes (and `id`) unknown.
    preview: (_name, inputs) => ({ id: "", outputs: { ...options.preview(inputs), id: UNKNOWN } }),
  };
}

const unknowns = (names: string[], secrets: string[] = []) =>
  Object.fromEntries(names.map((n) => [n, secrets.includes(n) ? secret(UNKNOWN) : UNKNOWN]));

const random: StandIn = {
  name: "random",
  acceptSecrets: false,
  resources: {
    "random:index/randomPassword:RandomPassword": bridged({
      preview: (inputs) => {
        // `numeric` and its deprecated twin `number` follow each other; both true when neither is set.
        const numeric = inputs.numeric ?? inputs.number ?? true;
        return {
          lower: true, upper: true, special: true, minLower: 0, minUpper: 0, minNumeric: 0, minSpecial: 0,
          ...inputs,
          numeric, number: inputs.number ?? numeric,
          ...unknowns(["result", "bcryptHash"], ["result", "bcryptHash"]),
        };
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

function certificate(computedNames: string[], defaults: Props, sensitive: string[]): ResourceStandIn {
  return bridged({
    sensitive,
    keep: ["earlyRenewalHours"],
    preview: (inputs) => ({
      ...defaults,
      ...inputs,
      ...(inputs.maxPathLength === undefined ? { maxPathLength: UNKNOWN } : {}),
      readyForRenewal: readyForRenewal(inputs),
      ...unknowns(computedNames),
    }),
  });
}

const tls: StandIn = {
  name: "tls",
  acceptSecrets: false,
  resources: {
    "tls:index/privateKey:PrivateKey": bridged({
      preview: (inputs) => ({
        rsaBits: 2048,
        ecdsaCurve: "P224",
        ...inputs,
        ...unknowns(
          ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh", "publicKeyPem", "publicKeyOpenssh", "publicKeyFingerprintMd5", "publicKeyFingerprintSha256"],
          ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
        ),
      }),
    }),
    "tls:index/selfSignedCert:SelfSignedCert": certificate(
      ["certPem", "validityStartTime", "validityEndTime", "keyAlgorithm"],
      { earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false, setAuthorityKeyId: false },
      ["privateKeyPem"],
    ),
    "tls:index/certRequest:CertRequest": bridged({ sensitive: ["privateKeyPem"], preview: (inputs) => ({ ...inputs, ...unknowns(["certRequestPem", "keyAlgorithm"]) }) }),
    "tls:index/locallySignedCert:LocallySignedCert": certificate(
      ["certPem", "validityStartTime", "validityEndTime", "caKeyAlgorithm"],
      { earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false },
      ["caPrivateKeyPem"],
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
