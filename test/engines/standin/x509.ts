/**
 * The parts of an X.509 certificate or request terraform-provider-tls (the revision pulumi-tls
 * 5.6.1 bridges) fills from its inputs, DER-encoded as Go's crypto/x509 writes them: the subject
 * (createSubjectDistinguishedNames, pkix.Name), key usages, extended key usages and subject
 * alternative names (common_cert.go). Used by ./tls.ts.
 */
import { isIP } from "net";
import * as der from "./der";

type Inputs = Record<string, unknown>;

// ---- names ----

/** Subject attributes in the order Go's pkix.Name.ToRDNSequence writes them. */
const NAME_FIELDS: [field: string, oid: string][] = [
  ["country", "2.5.4.6"], ["province", "2.5.4.8"], ["locality", "2.5.4.7"], ["streetAddresses", "2.5.4.9"],
  ["postalCode", "2.5.4.17"], ["organization", "2.5.4.10"], ["organizationalUnit", "2.5.4.11"],
  ["commonName", "2.5.4.3"], ["serialNumber", "2.5.4.5"],
];
const EMAIL_OID = "1.2.840.113549.1.9.1";

/** Go marshals a string as PrintableString when it can ('*' and '&' excluded), else UTF8String. */
const goString = (value: string) => der.tlv(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? 0x13 : 0x0c, Buffer.from(value, "utf8"));

/** A subject as the provider builds it (createSubjectDistinguishedNames), DER-encoded. */
export function encodeName(subject: Inputs | undefined): Buffer {
  const rdns: Buffer[] = [];
  for (const [field, oid] of NAME_FIELDS) {
    const value = subject?.[field];
    const values = (Array.isArray(value) ? value : value === undefined || value === null || value === "" ? [] : [value]).map(String);
    // Go writes a multi-valued attribute (street addresses) as one RDN holding every value.
    if (values.length) rdns.push(der.set(...values.map((v) => der.sequence(der.oid(oid), goString(v)))));
  }
  if (subject?.emailAddress) rdns.push(der.set(der.sequence(der.oid(EMAIL_OID), der.tlv(0x16, Buffer.from(String(subject.emailAddress))))));
  return der.sequence(...rdns);
}

/**
 * A Name read back as Go's pkix.Name holds it and re-encoded as Go writes it (a certificate signed
 * from a request takes the request's parsed subject): attributes Name has no field for are dropped.
 */
export function reencodeName(name: der.Node): Buffer {
  const subject: Inputs = {};
  for (const rdn of der.children(name.content)) {
    for (const atv of der.children(rdn.content)) {
      const [type, value] = der.children(atv.content);
      const field = NAME_FIELDS.find(([, o]) => o === der.oidString(type))?.[0];
      if (!field) continue;
      const text = value.content.toString("utf8");
      if (field === "commonName" || field === "serialNumber") subject[field] = text;
      else subject[field] = [...((subject[field] as string[]) ?? []), text];
    }
  }
  return encodeName(subject);
}

// ---- extensions ----

export const KEY_USAGES: Record<string, number> = {
  digital_signature: 0, content_commitment: 1, key_encipherment: 2, data_encipherment: 3, key_agreement: 4,
  cert_signing: 5, crl_signing: 6, encipher_only: 7, decipher_only: 8,
};
export const EXT_KEY_USAGES: Record<string, string> = {
  any_extended: "2.5.29.37.0", server_auth: "1.3.6.1.5.5.7.3.1", client_auth: "1.3.6.1.5.5.7.3.2", code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4", ipsec_end_system: "1.3.6.1.5.5.7.3.5", ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7", timestamping: "1.3.6.1.5.5.7.3.8", ocsp_signing: "1.3.6.1.5.5.7.3.9",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3", netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22", microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

export const extension = (id: string, critical: boolean, value: Buffer) => der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octets(value));

/** The key usage BIT STRING: bit 0 first, trailing zero bits dropped (Go's asn1BitLength). */
export function keyUsage(usages: number[]): Buffer {
  const bytes = Buffer.alloc(Math.max(...usages) < 8 ? 1 : 2);
  for (const bit of usages) bytes[bit >> 3] |= 0x80 >> (bit & 7);
  const last = Math.max(...usages);
  const unused = bytes.length * 8 - (last + 1);
  return der.tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** An IP address's bytes as Go's net.ParseIP and To4 give them (4 for IPv4, 16 for IPv6). */
function ipBytes(text: string): Buffer {
  const v4 = (s: string) => Buffer.from(s.split(".").map(Number));
  if (isIP(text) === 4) return v4(text);
  if (isIP(text) !== 6) throw new Error(`Failed to parse "${text}"`);
  let address = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const b = v4(dotted[1]);
    address = address.slice(0, -dotted[1].length) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail] = address.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":") : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill("0"), ...groups(tail)];
  const bytes = Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
  // ::ffff:a.b.c.d is an IPv4 address to Go.
  return bytes.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) ? bytes.subarray(12) : bytes;
}

export interface Sans {
  dnsNames: string[];
  ipAddresses: Buffer[];
  uris: string[];
}

/** GeneralNames in Go's order: DNS names, then IP addresses, then URIs. */
export const encodeSans = (sans: Sans) =>
  der.sequence(
    ...sans.dnsNames.map((n) => der.context(2, Buffer.from(n), false)),
    ...sans.ipAddresses.map((ip) => der.context(7, ip, false)),
    ...sans.uris.map((u) => der.context(6, Buffer.from(u), false)),
  );
export const hasSans = (sans: Sans) => sans.dnsNames.length + sans.ipAddresses.length + sans.uris.length > 0;

export function sansOf(inputs: Inputs): Sans {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return { dnsNames: list(inputs.dnsNames), ipAddresses: list(inputs.ipAddresses).map(ipBytes), uris: list(inputs.uris) };
}
