import { constants, createPublicKey, generateKeyPairSync, privateEncrypt } from "crypto";
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import forge from "node-forge";
import { tmpdir } from "os";
import { join } from "path";

/**
 * What each `tls` resource answered, by type, name and inputs. A file that evaluates a stack more
 * than once gets the same key and certificates again for the same resource with the same inputs,
 * as the engine keeps them in its state (a new resource, or new inputs, get new ones).
 */
const answered = new Map<string, Record<string, unknown> | undefined>();

/**
 * What the `tls` provider would compute, done for real (node-forge builds the certificates and
 * requests, OpenSSL does the RSA), so tests can check that certificates chain and carry the right
 * constraints. Keys are 2048-bit for speed; the key size the program asks for is asserted on its inputs.
 */
export function tlsOutputs(type: string, name: string, plainInputs: () => Record<string, any>): Record<string, unknown> | undefined {
  if (!type.startsWith("tls:")) return undefined;
  const inputs = plainInputs();
  const key = JSON.stringify([type, name, inputs]);
  if (!answered.has(key)) answered.set(key, compute(type, inputs));
  return answered.get(key);
}

function compute(type: string, inputs: Record<string, any>): Record<string, unknown> | undefined {
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return rsaKey(nextKey++);
    case "tls:index/selfSignedCert:SelfSignedCert": {
      const cert = newCert(publicKeyOf(inputs.privateKeyPem), attributes(inputs.subject), inputs);
      cert.setIssuer(attributes(inputs.subject));
      cert.sign(signer(inputs.privateKeyPem), forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert) };
    }
    case "tls:index/certRequest:CertRequest": {
      const csr = forge.pki.createCertificationRequest();
      csr.publicKey = publicKeyOf(inputs.privateKeyPem);
      csr.setSubject(attributes(inputs.subject));
      csr.sign(signer(inputs.privateKeyPem), forge.md.sha256.create());
      return { certRequestPem: forge.pki.certificationRequestToPem(csr) };
    }
    case "tls:index/locallySignedCert:LocallySignedCert": {
      const csr = forge.pki.certificationRequestFromPem(inputs.certRequestPem);
      const ca = forge.pki.certificateFromPem(inputs.caCertPem);
      const cert = newCert(csr.publicKey as forge.pki.rsa.PublicKey, csr.subject.attributes, inputs);
      cert.setIssuer(ca.subject.attributes);
      cert.sign(signer(inputs.caPrivateKeyPem), forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert) };
    }
  }
  return undefined;
}

/**
 * RSA keys for the mocked PrivateKeys, kept between files and runs in a folder of the temporary
 * directory: generating one takes a quarter of a second of CPU, and each file that evaluates a
 * stack needs three or more. Any key serves: the tests check what is built from it (chains,
 * constraints, a key matching its certificate), not the key itself. A file hands each PrivateKey
 * it meets the next key of the pool, so no two of its keys are the same. Each key is written aside
 * and linked into place, so a worker running alongside only ever reads it whole.
 */
const KEY_POOL = join(tmpdir(), `platform-test-rsa2048-keys-${process.getuid?.() ?? "user"}`);
let nextKey = 0;

function rsaKey(slot: number): { privateKeyPem: string; publicKeyPem: string } {
  const file = join(KEY_POOL, `${slot}.json`);
  if (!existsSync(file)) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    mkdirSync(KEY_POOL, { recursive: true });
    const aside = `${file}.${process.pid}`;
    writeFileSync(aside, JSON.stringify({ privateKeyPem: privateKey, publicKeyPem: publicKey }));
    try {
      linkSync(aside, file);
    } catch (error) {
      // Another worker published this slot first: its key serves.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(aside);
    }
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

function publicKeyOf(privateKeyPem: string): forge.pki.rsa.PublicKey {
  return forge.pki.publicKeyFromPem(createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }) as string);
}

/** DER of a SHA-256 DigestInfo up to the digest itself (RFC 8017, section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/**
 * The private key as node-forge's `sign` uses it: RSASSA-PKCS1-v1_5 over the SHA-256 digest forge
 * computed, the RSA operation done by OpenSSL (forge's own, in JavaScript, took 0.1 s a signature).
 */
function signer(privateKeyPem: string): forge.pki.rsa.PrivateKey {
  const sign = (md: forge.md.MessageDigest) => {
    if (md.algorithm !== "sha256") throw new Error(`signing with ${md.algorithm}: only sha256 is mocked`);
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), "binary")]);
    return privateEncrypt({ key: privateKeyPem, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString("binary");
  };
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

function newCert(publicKey: forge.pki.rsa.PublicKey, subject: forge.pki.CertificateField[], inputs: Record<string, any>) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = "0" + Math.floor(Math.random() * 1e12).toString(16);
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + inputs.validityPeriodHours * 3600 * 1000);
  cert.setSubject(subject);
  const uses: string[] = inputs.allowedUses ?? [];
  cert.setExtensions([
    {
      name: "basicConstraints",
      cA: inputs.isCaCertificate === true,
      critical: true,
      // As the real provider (tls 5.6.1) writes it: Go's MaxPathLen without MaxPathLenZero, so 0
      // is no constraint at all (docs/testing.md, the tls stand-in).
      ...(typeof inputs.maxPathLength === "number" && inputs.maxPathLength > 0 && inputs.isCaCertificate ? { pathLenConstraint: inputs.maxPathLength } : {}),
    },
    {
      name: "keyUsage",
      critical: true,
      keyCertSign: uses.includes("cert_signing"),
      cRLSign: uses.includes("crl_signing"),
      digitalSignature: uses.includes("digital_signature"),
      keyEncipherment: uses.includes("key_encipherment"),
    },
  ]);
  return cert;
}

function attributes(subject: Record<string, string> | undefined): forge.pki.CertificateField[] {
  const names: Record<string, string> = { commonName: "commonName", organization: "organizationName", locality: "localityName" };
  return Object.entries(subject ?? {}).map(([key, value]) => ({ name: names[key] ?? key, value }));
}
