/** Pulumi's wire encoding of property values, as a provider's Check, Diff and Create see them. */

export type Props = Record<string, unknown>;

/** The value of a property that is not known yet (a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key that marks a special value, and its value for a secret. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The marker of an output value (`{sig, value?, secret?, dependencies?}`), sent to providers that accept them. */
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export function isSecret(value: unknown): value is { [SIG_KEY]: string; value?: unknown } {
  return !!value && typeof value === "object" && (value as Props)[SIG_KEY] === SECRET_SIG;
}

export function secret(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

export function isOutputValue(value: unknown): value is { [SIG_KEY]: string; value?: unknown; secret?: boolean } {
  return !!value && typeof value === "object" && (value as Props)[SIG_KEY] === OUTPUT_SIG;
}

/** An output value as the plain wire form: its value (unknown when it has none), secret if it is. */
export function fromOutputValues(value: unknown): unknown {
  if (isOutputValue(value)) {
    const inner = "value" in value ? fromOutputValues(value.value) : UNKNOWN;
    return value.secret ? secret(inner) : inner;
  }
  if (Array.isArray(value)) return value.map(fromOutputValues);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromOutputValues(v)]));
  return value;
}

/** Whether a value is, or holds anywhere, an unknown. */
export function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

/** A value with every secret replaced by what it holds: what a provider's code works on. */
export function reveal(value: unknown): unknown {
  const plain = fromOutputValues(value);
  if (isSecret(plain)) return reveal(plain.value);
  if (Array.isArray(plain)) return plain.map(reveal);
  if (plain && typeof plain === "object") return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, reveal(v)]));
  return plain;
}
