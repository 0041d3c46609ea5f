/**
 * What terraform-provider-tls (the revision pulumi-tls 5.6.1 bridges) makes on a real create, with
 * Node's crypto for keys and signatures and DER written here in the layout Go's crypto/x509 gives
 * (internal/provider/resource_private_key.go, common_key.go, common_cert.go and the three
 * certificate resources; Go's x509.CreateCertificate and CreateCertificateRequest; x/crypto/ssh).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, randomBytes, sign } from "crypto";
import { isIP } from "net";
import { promisify } from "util";
import * as der from "./der";

type Inputs = Record<string, unknown>;

const generate = promisify(generateKeyPair);

/** PEM as Go's pem.EncodeToMemory writes it: 64 columns, a trailing newline. */
export function pem(type: string, bytes: Buffer): string {
  const lines = bytes.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

/** The one PEM block of `text` of one of `types`; Go's parsers refuse any other block type. */
function pemBlock(text: string, types: string[]): { type: string; bytes: Buffer } {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) throw new Error("failed to decode PEM block");
  if (!types.includes(match[1])) throw new Error(`unsupported PEM preamble/type: ${match[1]}`);
  return { type: match[1], bytes: Buffer.from(match[2].replace(/\s+/g, ""), "base64") };
}

// ---- keys ----

const CURVES: Record<string, { openssl: string; ssh?: string; hash?: string; oid: string }> = {
  P224: { openssl: "secp224r1", oid: "1.3.132.0.33" },
  P256: { openssl: "prime256v1", ssh: "nistp256", hash: "sha256", oid: "1.2.840.10045.3.1.7" },
  P384: { openssl: "secp384r1", ssh: "nistp384", hash: "sha384", oid: "1.3.132.0.34" },
  P521: { openssl: "secp521r1", ssh: "nistp521", hash: "sha512", oid: "1.3.132.0.35" },
};

const sshString = (bytes: Buffer | string) => {
  const body = Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
};
/** An SSH mpint from a JWK's big-endian base64url bytes: a leading zero where the high bit is set. */
const sshMpint = (base64url: string) => {
  let bytes = Buffer.from(base64url, "base64url");
  while (bytes.length > 1 && bytes[0] === 0 && !(bytes[1] & 0x80)) bytes = bytes.subarray(1);
  return sshString(bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
};
const jwkBytes = (value: unknown) => Buffer.from(String(value), "base64url");

/** The curve name of an EC key, as the provider's `ecdsa_curve` spells it. */
function curveOf(key: KeyObject): string {
  const named = key.asymmetricKeyDetails?.namedCurve;
  const found = Object.entries(CURVES).find(([, c]) => c.openssl === named);
  if (!found) throw new Error(`unsupported elliptic curve ${named}`);
  return found[0];
}

/** The public key in SSH wire form (x/crypto/ssh's Marshal), or undefined for P-224, which ssh lacks. */
function sshPublicKey(key: KeyObject): { type: string; wire: Buffer } | undefined {
  if (key.asymmetricKeyType === "ec" && !CURVES[curveOf(key)].ssh) return undefined;
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "rsa") return { type: "ssh-rsa", wire: Buffer.concat([sshString("ssh-rsa"), sshMpint(jwk.e!), sshMpint(jwk.n!)]) };
  if (key.asymmetricKeyType === "ed25519") return { type: "ssh-ed25519", wire: Buffer.concat([sshString("ssh-ed25519"), sshString(jwkBytes(jwk.x))]) };
  const ssh = CURVES[curveOf(key)].ssh!;
  const type = `ecdsa-sha2-${ssh}`;
  return { type, wire: Buffer.concat([sshString(type), sshString(ssh), sshString(ecPoint(jwk))]) };
}

const ecPoint = (jwk: { x?: string; y?: string }) => Buffer.concat([Buffer.from([4]), jwkBytes(jwk.x), jwkBytes(jwk.y)]);

/** x/crypto/ssh's MarshalPrivateKey with no passphrase: openssh-key-v1, a random check word, padding to 8. */
function opensshPrivateKey(key: KeyObject, publicWire: Buffer, type: string): string {
  const jwk = key.export({ format: "jwk" });
  let rest: Buffer;
  if (key.asymmetricKeyType === "rsa") {
    rest = Buffer.concat([jwk.n, jwk.e, jwk.d, jwk.qi, jwk.p, jwk.q].map((v) => sshMpint(v!)));
  } else if (key.asymmetricKeyType === "ed25519") {
    const pub = jwkBytes(jwk.x);
    rest = Buffer.concat([sshString(pub), sshString(Buffer.concat([jwkBytes(jwk.d), pub]))]);
  } else {
    rest = Buffer.concat([sshString(CURVES[curveOf(key)].ssh!), sshString(ecPoint(jwk)), sshMpint(jwk.d!)]);
  }
  const check = randomBytes(4);
  const block = [...Buffer.concat([check, check, sshString(type), rest, sshString("")])];
  for (let i = 1; block.length % 8 !== 0; i++) block.push(i);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), Buffer.from([0, 0, 0, 1]), sshString(publicWire), sshString(Buffer.from(block))]);
  return pem("OPENSSH PRIVATE KEY", body);
}

/**
 * Go's strings.TrimSpace over bytes, as the provider's hashForState applies it to DER: ASCII and
 * Unicode white space at either end (a multi-byte one only where the bytes are valid UTF-8).
 */
function goTrimSpace(bytes: Buffer): Buffer {
  const isSpace = (cp: number) =>
    (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
  const decodeAt = (b: Buffer): number | undefined => {
    const text = b.toString("utf8");
    return [...text].length === 1 && Buffer.from(text, "utf8").equals(b) ? text.codePointAt(0) : undefined;
  };
  let start = 0;
  let end = bytes.length;
  outer: while (start < end) {
    for (const size of [1, 2, 3]) {
      const cp = decodeAt(bytes.subarray(start, start + size));
      if (cp !== undefined) {
        if (!isSpace(cp)) break outer;
        start += size;
        continue outer;
      }
    }
    break;
  }
  outer2: while (end > start) {
    for (const size of [1, 2, 3]) {
      const cp = end - size >= start ? decodeAt(bytes.subarray(end - size, end)) : undefined;
      if (cp !== undefined) {
        if (!isSpace(cp)) break outer2;
        end -= size;
        continue outer2;
      }
    }
    break;
  }
  return bytes.subarray(start, end);
}

/** The provider's hashForState: SHA-1 hex of the value with white space trimmed (the ids). */
export const hashForState = (bytes: Buffer) => (bytes.length ? createHash("sha1").update(goTrimSpace(bytes)).digest("hex") : "");

/** The public-key outputs every key carries (setPublicKeyAttributes), `id` included. */
function publicKeyAttributes(key: KeyObject): Inputs {
  const publicKey = createPublicKey(key);
  const spki = publicKey.export({ type: "spki", format: "der" });
  const ssh = sshPublicKey(publicKey);
  return {
    id: hashForState(spki),
    publicKeyPem: pem("PUBLIC KEY", spki),
    publicKeyOpenssh: ssh ? `${ssh.type} ${ssh.wire.toString("base64")}\n` : "",
    publicKeyFingerprintMd5: ssh ? [...createHash("md5").update(ssh.wire).digest()].map((b) => b.toString(16).padStart(2, "0")).join(":") : "",
    publicKeyFingerprintSha256: ssh ? `SHA256:${createHash("sha256").update(ssh.wire).digest("base64").replace(/=+$/, "")}` : "",
  };
}

/** PrivateKey's Create: a new key of `algorithm`, in every encoding the resource outputs. */
export async function privateKey(inputs: Inputs): Promise<Inputs> {
  const algorithm = String(inputs.algorithm);
  let key: KeyObject;
  let pemType: "pkcs1" | "sec1" | "pkcs8";
  if (algorithm === "RSA") {
    ({ privateKey: key } = await generate("rsa", { modulusLength: Number(inputs.rsaBits), publicExponent: 65537 }));
    pemType = "pkcs1";
  } else if (algorithm === "ECDSA") {
    const curve = CURVES[String(inputs.ecdsaCurve)];
    if (!curve) throw new Error(`invalid ECDSA curve; supported values are: [${Object.keys(CURVES).join(" ")}]`);
    ({ privateKey: key } = await generate("ec", { namedCurve: curve.openssl }));
    pemType = "sec1";
  } else if (algorithm === "ED25519") {
    ({ privateKey: key } = await generate("ed25519", {}));
    pemType = "pkcs8";
  } else {
    throw new Error(`Key Algorithm "${algorithm}" is not supported`);
  }
  const ssh = sshPublicKey(createPublicKey(key));
  return {
    privateKeyPem: key.export({ type: pemType, format: "pem" }).toString(),
    privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }).toString(),
    privateKeyOpenssh: ssh ? opensshPrivateKey(key, ssh.wire, ssh.type) : "",
    ...publicKeyAttributes(key),
  };
}

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
function reencodeName(name: der.Node): Buffer {
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

const KEY_USAGES: Record<string, number> = {
  digital_signature: 0, content_commitment: 1, key_encipherment: 2, data_encipherment: 3, key_agreement: 4,
  cert_signing: 5, crl_signing: 6, encipher_only: 7, decipher_only: 8,
};
const EXT_KEY_USAGES: Record<string, string> = {
  any_extended: "2.5.29.37.0", server_auth: "1.3.6.1.5.5.7.3.1", client_auth: "1.3.6.1.5.5.7.3.2", code_signing: "1.3.6.1.5.5.7.3.3",
  email_protection: "1.3.6.1.5.5.7.3.4", ipsec_end_system: "1.3.6.1.5.5.7.3.5", ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7", timestamping: "1.3.6.1.5.5.7.3.8", ocsp_signing: "1.3.6.1.5.5.7.3.9",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3", netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22", microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};

const extension = (id: string, critical: boolean, value: Buffer) => der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octets(value));

/** The key usage BIT STRING: bit 0 first, trailing zero bits dropped (Go's asn1BitLength). */
function keyUsage(usages: number[]): Buffer {
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

interface Sans {
  dnsNames: string[];
  ipAddresses: Buffer[];
  uris: string[];
}

/** GeneralNames in Go's order: DNS names, then IP addresses, then URIs. */
const encodeSans = (sans: Sans) =>
  der.sequence(
    ...sans.dnsNames.map((n) => der.context(2, Buffer.from(n), false)),
    ...sans.ipAddresses.map((ip) => der.context(7, ip, false)),
    ...sans.uris.map((u) => der.context(6, Buffer.from(u), false)),
  );
const hasSans = (sans: Sans) => sans.dnsNames.length + sans.ipAddresses.length + sans.uris.length > 0;

function sansOf(inputs: Inputs): Sans {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return { dnsNames: list(inputs.dnsNames), ipAddresses: list(inputs.ipAddresses).map(ipBytes), uris: list(inputs.uris) };
}

// ---- keys for signing ----

interface SigningKey {
  key: KeyObject;
  /** The provider's name of the key's algorithm (`keyAlgorithm`, `caKeyAlgorithm`). */
  algorithm: string;
  /** Go's signature algorithm for the key (signingParamsForKey) and the hash Node signs with. */
  signatureAlgorithm: Buffer;
  hash: string | null;
}

/** parsePrivateKeyPEM: PKCS#1, SEC 1 or PKCS#8, and the signature Go's x509 makes with it. */
function signingKey(text: string): SigningKey {
  const block = pemBlock(text, ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY"]);
  const format = { "RSA PRIVATE KEY": "pkcs1", "EC PRIVATE KEY": "sec1", "PRIVATE KEY": "pkcs8" } as const;
  const key = createPrivateKey({ key: block.bytes, format: "der", type: format[block.type as keyof typeof format] });
  if (key.asymmetricKeyType === "rsa") return { key, algorithm: "RSA", signatureAlgorithm: der.sequence(der.oid("1.2.840.113549.1.1.11"), der.NULL), hash: "sha256" };
  if (key.asymmetricKeyType === "ed25519") return { key, algorithm: "ED25519", signatureAlgorithm: der.sequence(der.oid("1.3.101.112")), hash: null };
  if (key.asymmetricKeyType === "ec") {
    const hash = CURVES[curveOf(key)].hash;
    if (!hash) throw new Error("x509: unknown elliptic curve");
    const oid = { sha256: "1.2.840.10045.4.3.2", sha384: "1.2.840.10045.4.3.3", sha512: "1.2.840.10045.4.3.4" }[hash]!;
    return { key, algorithm: "ECDSA", signatureAlgorithm: der.sequence(der.oid(oid)), hash };
  }
  throw new Error(`unsupported private key type: ${key.asymmetricKeyType}`);
}

/** A signed structure: `SEQUENCE { body, algorithm, BIT STRING signature }`. */
const signed = (body: Buffer, signer: SigningKey) => der.sequence(body, signer.signatureAlgorithm, der.bits(sign(signer.hash, body, signer.key)));

const spkiOf = (key: KeyObject) => createPublicKey(key).export({ type: "spki", format: "der" });

/**
 * generateSubjectKeyID: SHA-1 of the public key as Go's asn1 marshals it: the RSAPublicKey and the
 * EC point are the SPKI's BIT STRING; an Ed25519 key is an OCTET STRING of it.
 */
function subjectKeyId(spki: Buffer): Buffer {
  const [algorithm, key] = der.children(der.read(spki).content);
  const bitString = key.content.subarray(1);
  const ed25519 = der.oidString(der.children(algorithm.content)[0]) === "1.3.101.112";
  return createHash("sha1").update(ed25519 ? der.octets(bitString) : bitString).digest();
}

/** The RFC 3339 time Go's time.Time MarshalText writes, in the local zone, to the millisecond. */
function goTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().replace(/\.?0+Z$/, "").replace(/Z$/, "");
  const zone = offset === 0 ? "Z" : `${offset > 0 ? "+" : "-"}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}:${String(Math.abs(offset) % 60).padStart(2, "0")}`;
  return `${local}${zone}`;
}

interface Template {
  subject: Buffer;
  sans: Sans;
  publicKey: Buffer;
  /** The issuer's subject and key identifier; absent for a self-signed certificate. */
  parent?: { subject: Buffer; subjectKeyId?: Buffer };
}

/** createCertificate and Go's x509.CreateCertificate: the extensions in Go's order and criticality. */
function createCertificate(inputs: Inputs, template: Template, signer: SigningKey): Inputs {
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + Number(inputs.validityPeriodHours) * 3_600_000);
  const serial = BigInt(`0x${randomBytes(16).toString("hex")}`);
  const uses = Array.isArray(inputs.allowedUses) ? inputs.allowedUses.map(String) : [];
  const usageBits = uses.filter((u) => u in KEY_USAGES).map((u) => KEY_USAGES[u]);
  const extUsages = uses.filter((u) => u in EXT_KEY_USAGES).map((u) => EXT_KEY_USAGES[u]);
  const isCa = inputs.isCaCertificate === true;
  const emptySubject = template.subject.equals(der.sequence());
  if (isCa && emptySubject) throw new Error("Must contain at least one Distinguished Name when creating Certificate Authority (CA)");
  // max_path_length sets MaxPathLen but never MaxPathLenZero: Go writes 0 as no constraint at all.
  const maxPathLen = typeof inputs.maxPathLength === "number" && inputs.maxPathLength > 0 ? inputs.maxPathLength : -1;
  if (!isCa && maxPathLen !== -1) throw new Error("x509: only CAs are allowed to specify MaxPathLen");
  const ski = isCa || inputs.setSubjectKeyId === true ? subjectKeyId(template.publicKey) : undefined;
  const issuer = template.parent?.subject ?? template.subject;
  let aki: Buffer | undefined;
  if (inputs.setAuthorityKeyId === true) {
    const parentSki = template.parent ? template.parent.subjectKeyId : ski;
    if (!parentSki) throw new Error("Could not determine Authority Key Identifier");
    aki = parentSki;
  }
  // Go takes the issuer's key id whenever issuer and subject differ and the issuer has one.
  if (!issuer.equals(template.subject) && template.parent?.subjectKeyId) aki = template.parent.subjectKeyId;

  const extensions: Buffer[] = [];
  if (usageBits.length) extensions.push(extension("2.5.29.15", true, keyUsage(usageBits)));
  if (extUsages.length) extensions.push(extension("2.5.29.37", false, der.sequence(...extUsages.map(der.oid))));
  extensions.push(extension("2.5.29.19", true, der.sequence(...(isCa ? [der.boolean(true)] : []), ...(maxPathLen >= 0 ? [der.integer(BigInt(maxPathLen))] : []))));
  if (ski) extensions.push(extension("2.5.29.14", false, der.octets(ski)));
  if (aki) extensions.push(extension("2.5.29.35", false, der.sequence(der.context(0, aki, false))));
  if (hasSans(template.sans)) extensions.push(extension("2.5.29.17", emptySubject, encodeSans(template.sans)));

  const tbs = der.sequence(
    der.context(0, der.integer(2n)),
    der.integer(serial),
    signer.signatureAlgorithm,
    issuer,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    template.subject,
    template.publicKey,
    der.context(3, der.sequence(...extensions)),
  );
  return {
    id: serial.toString(),
    certPem: pem("CERTIFICATE", signed(tbs, signer)),
    validityStartTime: goTime(notBefore),
    validityEndTime: goTime(notAfter),
    readyForRenewal: false,
  };
}

/** SelfSignedCert's Create. */
export function selfSignedCert(inputs: Inputs): Inputs {
  const signer = signingKey(String(inputs.privateKeyPem));
  const subject = encodeName(inputs.subject as Inputs | undefined);
  return { keyAlgorithm: signer.algorithm, ...createCertificate(inputs, { subject, sans: sansOf(inputs), publicKey: spkiOf(signer.key) }, signer) };
}

/** CertRequest's Create: Go's x509.CreateCertificateRequest, the SANs in an extensionRequest. */
export function certRequest(inputs: Inputs): Inputs {
  const signer = signingKey(String(inputs.privateKeyPem));
  const sans = sansOf(inputs);
  const attributes = hasSans(sans)
    ? der.sequence(der.oid("1.2.840.113549.1.9.14"), der.set(der.sequence(extension("2.5.29.17", false, encodeSans(sans)))))
    : Buffer.alloc(0);
  const info = der.sequence(der.integer(0n), encodeName(inputs.subject as Inputs | undefined), spkiOf(signer.key), der.context(0, attributes));
  const request = signed(info, signer);
  return { keyAlgorithm: signer.algorithm, certRequestPem: pem("CERTIFICATE REQUEST", request), id: hashForState(request) };
}

/** The SANs of a request's extensionRequest, as Go parses them into the template (emails are not copied). */
function requestSans(attributes: der.Node | undefined): Sans {
  const sans: Sans = { dnsNames: [], ipAddresses: [], uris: [] };
  for (const attribute of attributes ? der.children(attributes.content) : []) {
    const [type, values] = der.children(attribute.content);
    if (der.oidString(type) !== "1.2.840.113549.1.9.14") continue;
    for (const ext of der.children(der.children(values.content)[0].content)) {
      const parts = der.children(ext.content);
      if (der.oidString(parts[0]) !== "2.5.29.17") continue;
      const value = der.read(parts[parts.length - 1].content);
      for (const name of der.children(value.content)) {
        if (name.tag === 0x82) sans.dnsNames.push(name.content.toString());
        if (name.tag === 0x87) sans.ipAddresses.push(Buffer.from(name.content));
        if (name.tag === 0x86) sans.uris.push(name.content.toString());
      }
    }
  }
  return sans;
}

/** LocallySignedCert's Create: the request's subject, key and SANs, signed by the CA. */
export function locallySignedCert(inputs: Inputs): Inputs {
  const [info] = der.children(der.read(pemBlock(String(inputs.certRequestPem), ["CERTIFICATE REQUEST"]).bytes).content);
  const [, requestSubject, publicKey, attributes] = der.children(info.content);
  const signer = signingKey(String(inputs.caPrivateKeyPem));
  const [caTbs] = der.children(der.read(pemBlock(String(inputs.caCertPem), ["CERTIFICATE"]).bytes).content);
  const caFields = der.children(caTbs.content);
  // version [0], serial, signature, issuer, validity, subject, key, then [3] extensions.
  const caSubject = caFields[5].raw;
  const caExtensions = caFields.find((f) => f.tag === 0xa3);
  const skiExtension = caExtensions
    ? der.children(der.children(caExtensions.content)[0].content).find((e) => der.oidString(der.children(e.content)[0]) === "2.5.29.14")
    : undefined;
  const subjectKeyIdOfCa = skiExtension ? der.read(der.children(skiExtension.content).pop()!.content).content : undefined;
  const template: Template = {
    subject: reencodeName(requestSubject),
    sans: requestSans(attributes),
    publicKey: Buffer.from(publicKey.raw),
    parent: { subject: Buffer.from(caSubject), subjectKeyId: subjectKeyIdOfCa ? Buffer.from(subjectKeyIdOfCa) : undefined },
  };
  return { caKeyAlgorithm: signer.algorithm, ...createCertificate(inputs, template, signer) };
}
