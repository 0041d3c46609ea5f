/**
 * The certificates and requests terraform-provider-tls (the revision pulumi-tls 5.6.1 bridges)
 * makes on a real create: DER written here in the layout Go's crypto/x509 gives, signed with
 * Node's crypto (internal/provider/common_cert.go and the three certificate resources; Go's
 * x509.CreateCertificate and CreateCertificateRequest). Keys: ./keys.ts.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign } from "crypto";
import * as der from "./der";
import { CURVES, curveOf, hashForState, pem, pemBlock } from "./keys";
import { encodeName, reencodeName, KEY_USAGES, EXT_KEY_USAGES, extension, keyUsage, Sans, encodeSans, hasSans, sansOf } from "./x509";

type Inputs = Record<string, unknown>;

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
