/** ASN.1 DER, the little the tls stand-in needs to write certificates and requests and to read them back. */

/** One TLV: its tag byte, its contents and the whole encoding. */
export interface Node {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

/** A TLV with a definite length (short form under 128, long form above). */
export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes = Buffer.from(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, "0"), "hex");
    length = Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

export const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
export const octets = (bytes: Buffer) => tlv(0x04, bytes);
/** A BIT STRING of whole bytes (no unused bits). */
export const bits = (bytes: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
export const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]));
export const NULL = Buffer.from([0x05, 0x00]);
/** A context-specific tag: constructed for EXPLICIT wrapping, primitive for an IMPLICIT string. */
export const context = (n: number, content: Buffer, constructed = true) => tlv((constructed ? 0xa0 : 0x80) | n, content);

/** A non-negative INTEGER, in the fewest bytes, with a leading zero where the high bit is set. */
export function integer(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export function oidString(node: Node): string {
  const bytes = [...node.content];
  const arcs = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const b of bytes.slice(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5), to the second, in UTC. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

/** The TLV at `offset` of `buffer`. */
export function read(buffer: Buffer, offset = 0): Node & { end: number } {
  const tag = buffer[offset];
  let length = buffer[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = buffer.subarray(start, start + count).reduce((n, b) => n * 256 + b, 0);
    start += count;
  }
  const end = start + length;
  if (end > buffer.length) throw new Error("DER: truncated");
  return { tag, content: buffer.subarray(start, end), raw: buffer.subarray(offset, end), end };
}

/** The TLVs inside a constructed node's contents. */
export function children(content: Buffer): Node[] {
  const nodes: Node[] = [];
  for (let offset = 0; offset < content.length; ) {
    const node = read(content, offset);
    nodes.push(node);
    offset = node.end;
  }
  return nodes;
}
