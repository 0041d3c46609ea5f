/**
 * The keys terraform-provider-tls (the revision pulumi-tls 5.6.1 bridges) makes on a real create,
 * with Node's crypto, in every encoding the provider outputs (internal/provider/
 * resource_private_key.go, common_key.go; x/crypto/ssh). Certificates: ./tls.ts.
 */
import { createHash, createPublicKey, generateKeyPair, type KeyObject, randomBytes } from "crypto";
import { promisify } from "util";

type Inputs = Record<string, unknown>;

const generate = promisify(generateKeyPair);

/** PEM as Go's pem.EncodeToMemory writes it: 64 columns, a trailing newline. */
export function pem(type: string, bytes: Buffer): string {
  const lines = bytes.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

/** The one PEM block of `text` of one of `types`; Go's parsers refuse any other block type. */
export function pemBlock(text: string, types: string[]): { type: string; bytes: Buffer } {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) throw new Error("failed to decode PEM block");
  if (!types.includes(match[1])) throw new Error(`unsupported PEM preamble/type: ${match[1]}`);
  return { type: match[1], bytes: Buffer.from(match[2].replace(/\s+/g, ""), "base64") };
}

// ---- keys ----

export const CURVES: Record<string, { openssl: string; ssh?: string; hash?: string; oid: string }> = {
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
export function curveOf(key: KeyObject): string {
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
