import { Address4 } from "ip-address";

/** An IPv4 network parsed once, with its bounds as integers for range arithmetic. */
export interface Cidr {
  /** Canonical text, e.g. `10.1.0.0/16`. */
  readonly text: string;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

const CIDR_SHAPE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Parses `a.b.c.d/n`; refuses host bits, a missing prefix and anything not IPv4. */
export function parseCidr(text: string): CidrParse {
  if (!CIDR_SHAPE.test(text) || !Address4.isValid(text)) {
    return { ok: false, reason: "is not an IPv4 CIDR (a.b.c.d/n)" };
  }
  const address = new Address4(text);
  const network = address.startAddress();
  const canonical = `${network.correctForm()}/${address.subnetMask}`;
  if (canonical !== text) {
    return { ok: false, reason: `has host bits set (the network is ${canonical})` };
  }
  return { ok: true, cidr: fromAddress(address) };
}

/** Parses a CIDR that is known to be valid (pools and constants); throws otherwise. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`${text} ${parsed.reason}`);
  return parsed.cidr;
}

function fromAddress(address: Address4): Cidr {
  return {
    text: `${address.startAddress().correctForm()}/${address.subnetMask}`,
    prefix: address.subnetMask,
    first: address.startAddress().bigInt(),
    last: address.endAddress().bigInt(),
  };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** Number of addresses in the network. */
export function size(c: Cidr): bigint {
  return c.last - c.first + 1n;
}

/**
 * The aligned sub-networks of `pool` with the given prefix, lowest first. Lazy, so a caller
 * that stops at the first free block never walks a large pool.
 */
export function* subnets(pool: Cidr, prefix: number): Generator<Cidr> {
  if (prefix < pool.prefix || prefix > 32) return;
  const step = 1n << BigInt(32 - prefix);
  for (let first = pool.first; first <= pool.last; first += step) {
    yield fromAddress(new Address4(`${Address4.fromBigInt(first).correctForm()}/${prefix}`));
  }
}

/** The private (RFC 1918) ranges. */
export const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(cidr);
