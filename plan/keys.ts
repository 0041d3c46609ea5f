import type { z } from "zod";

/**
 * The keys a config object may have at `path` of `schema`, so that an unknown key can be answered
 * with the one meant. Where a union of cluster shapes applies, the shape is picked by its
 * discriminator (`provider`) when the input names one.
 */
export function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let node: z.core.$ZodType | undefined = schema;
  let value = input;
  for (const part of [...path, undefined]) {
    node = unwrap(node, value);
    if (!node) return [];
    if (part === undefined) break;
    const def = node._zod.def as unknown as Record<string, unknown>;
    node = typeof part === "number" ? (def.element as z.core.$ZodType) : (def.shape as Record<string, z.core.$ZodType>)?.[String(part)];
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  }
  const shape = (node?._zod.def as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Through optional, default and prefault wrappers, and into the union member the input selects. */
function unwrap(node: z.core.$ZodType | undefined, value: unknown): z.core.$ZodType | undefined {
  let current = node;
  for (;;) {
    const def = current?._zod.def as unknown as Record<string, unknown> | undefined;
    if (!def) return undefined;
    if (def.innerType) current = def.innerType as z.core.$ZodType;
    else if (def.type === "union" && def.discriminator) {
      const options = def.options as z.core.$ZodType[];
      const wanted = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[def.discriminator as string] : undefined;
      const picked = options.find((o) => {
        const literal = (o._zod.def as unknown as { shape: Record<string, z.core.$ZodType> }).shape[def.discriminator as string];
        return (literal._zod.def as unknown as { values: unknown[] }).values.includes(wanted);
      });
      if (picked) current = picked;
      else return mergedShapes(options);
    } else return current;
  }
}

/** A stand-in object schema whose keys are every member's keys (a union without a discriminator value). */
function mergedShapes(options: z.core.$ZodType[]): z.core.$ZodType {
  const shape = Object.assign({}, ...options.map((o) => (o._zod.def as unknown as { shape: object }).shape));
  return { _zod: { def: { type: "object", shape } } } as unknown as z.core.$ZodType;
}

/** The candidate closest to a misspelt word (case, one or two typos), if any is close enough. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const scored = candidates
    .map((c) => ({ c, d: c.toLowerCase() === word.toLowerCase() ? 0 : distance(word.toLowerCase(), c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.max(1, Math.floor(word.length / 4)) + 1 ? best.c : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}
