import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PACKAGES } from "./standin/packages";
import { secret } from "./standin/wire";

// The tls stand-in's real creates (tls 5.6.1 on the Terraform bridge): keys and certificates as
// the provider makes them, read back by OpenSSL and OpenSSH (docs/testing.md), not by this code.

const context = { name: "seed", log: () => undefined };
const scratch = () => mkdtempSync(join(tmpdir(), "standin-tls-"));

describe("tls: real keys and certificates, read back by OpenSSL and OpenSSH", () => {
  const tls = PACKAGES.tls.resources;
  const reveal = (v: unknown) => (v && typeof v === "object" && "value" in v ? String((v as { value: unknown }).value) : String(v));
  const openssl = (args: string[], input?: string) => execFileSync("openssl", args, { input, stdio: ["pipe", "pipe", "pipe"] }).toString();
  const file = (dir: string, name: string, text: string, mode = 0o600) => {
    writeFileSync(join(dir, name), text, { mode });
    return join(dir, name);
  };
  const key = async (inputs: Record<string, unknown>) => (await tls["tls:index/privateKey:PrivateKey"].create(inputs, context)).outputs;

  test("PrivateKey RSA: PKCS#1 and PKCS#8 PEM, an OpenSSH key ssh-keygen reads, its fingerprints, id = SHA-1 of the public DER", async () => {
    const dir = scratch();
    const k = await key({ algorithm: "RSA", rsaBits: 2048 });
    expect(reveal(k.privateKeyPem)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(openssl(["rsa", "-check", "-noout"], reveal(k.privateKeyPem))).toContain("RSA key ok");
    expect(reveal(k.privateKeyPemPkcs8)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(k.privateKeyPem).toEqual(secret(reveal(k.privateKeyPem)));
    const sshKey = file(dir, "id", reveal(k.privateKeyOpenssh));
    expect(reveal(k.privateKeyOpenssh)).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(`${execFileSync("ssh-keygen", ["-y", "-f", sshKey]).toString().trim()}\n`).toBe(k.publicKeyOpenssh);
    const pub = file(dir, "id.pub", String(k.publicKeyOpenssh));
    expect(execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", pub]).toString()).toContain(` ${k.publicKeyFingerprintSha256} `);
    expect(execFileSync("ssh-keygen", ["-l", "-E", "md5", "-f", pub]).toString()).toContain(` MD5:${k.publicKeyFingerprintMd5} `);
    const publicDer = execFileSync("openssl", ["pkey", "-pubin", "-outform", "DER"], { input: String(k.publicKeyPem) });
    expect(k.id).toBe(createHash("sha1").update(publicDer).digest("hex"));
  });

  test("PrivateKey ECDSA is SEC 1 (no OpenSSH form on P-224); ED25519 is PKCS#8", async () => {
    const p256 = await key({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    expect(reveal(p256.privateKeyPem)).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(openssl(["ec", "-noout", "-text"], reveal(p256.privateKeyPem))).toContain("NIST CURVE: P-256");
    expect(String(p256.publicKeyOpenssh)).toMatch(/^ecdsa-sha2-nistp256 /);
    const dir = scratch();
    expect(execFileSync("ssh-keygen", ["-y", "-f", file(dir, "ec", reveal(p256.privateKeyOpenssh))]).toString()).toBe(p256.publicKeyOpenssh);
    const p224 = await key({ algorithm: "ECDSA", ecdsaCurve: "P224" });
    expect([reveal(p224.privateKeyOpenssh), p224.publicKeyOpenssh, p224.publicKeyFingerprintSha256]).toEqual(["", "", ""]);
    const ed = await key({ algorithm: "ED25519" });
    expect(reveal(ed.privateKeyPem)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(execFileSync("ssh-keygen", ["-y", "-f", file(dir, "ed", reveal(ed.privateKeyOpenssh))]).toString()).toBe(ed.publicKeyOpenssh);
  });

  test("a self-signed CA, a request and a locally signed CA as the mesh makes them: OpenSSL verifies the chain, names, usages and key ids", async () => {
    const dir = scratch();
    const CA_USES = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"];
    const rootKey = await key({ algorithm: "RSA", rsaBits: 2048 });
    const root = (
      await tls["tls:index/selfSignedCert:SelfSignedCert"].create(
        { privateKeyPem: rootKey.privateKeyPem, subject: { organization: "Istio", commonName: "Root CA" }, isCaCertificate: true, setSubjectKeyId: true, allowedUses: CA_USES, validityPeriodHours: 87600 },
        context,
      )
    ).outputs;
    const rootPem = file(dir, "root.pem", String(root.certPem));
    const rootText = openssl(["x509", "-noout", "-text", "-in", rootPem]);
    expect(rootText).toMatch(/Subject: O ?= ?Istio, CN ?= ?Root CA/);
    expect(rootText).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    expect(rootText).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment, Certificate Sign, CRL Sign\n/);
    expect(rootText).toContain("sha256WithRSAEncryption");
    expect(openssl(["verify", "-CAfile", rootPem, rootPem])).toContain(": OK");
    expect(root).toMatchObject({ keyAlgorithm: "RSA", readyForRenewal: false, earlyRenewalHours: 0, setAuthorityKeyId: false });
    expect(root.id).toBe(BigInt(`0x${openssl(["x509", "-noout", "-serial", "-in", rootPem]).trim().split("=")[1]}`).toString());
    const start = Date.parse(String(root.validityStartTime));
    expect(String(root.validityStartTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(String(root.validityEndTime)) - start).toBe(87600 * 3_600_000);
    expect(Math.abs(start - Date.now())).toBeLessThan(60_000);

    const intKey = await key({ algorithm: "RSA", rsaBits: 2048 });
    const csr = (
      await tls["tls:index/certRequest:CertRequest"].create(
        { privateKeyPem: intKey.privateKeyPem, subject: { organization: "Istio", commonName: "Intermediate CA", locality: "west" }, dnsNames: ["istiod.istio-system.svc"], ipAddresses: ["10.0.0.1"], uris: ["spiffe://cluster.local/ns/x"] },
        context,
      )
    ).outputs;
    expect(openssl(["req", "-verify", "-noout", "-text"], String(csr.certRequestPem))).toContain("DNS:istiod.istio-system.svc, IP Address:10.0.0.1, URI:spiffe://cluster.local/ns/x");
    const csrDer = execFileSync("openssl", ["req", "-outform", "DER"], { input: String(csr.certRequestPem) });
    expect(csr.id).toBe(createHash("sha1").update(csrDer).digest("hex"));

    const intermediate = (
      await tls["tls:index/locallySignedCert:LocallySignedCert"].create(
        { certRequestPem: csr.certRequestPem, caPrivateKeyPem: rootKey.privateKeyPem, caCertPem: root.certPem, isCaCertificate: true, maxPathLength: 0, setSubjectKeyId: true, allowedUses: CA_USES, validityPeriodHours: 87600 },
        context,
      )
    ).outputs;
    const intPem = file(dir, "int.pem", String(intermediate.certPem));
    expect(openssl(["verify", "-CAfile", rootPem, intPem])).toContain(": OK");
    const intText = openssl(["x509", "-noout", "-text", "-in", intPem]);
    expect(intText).toMatch(/Issuer: O ?= ?Istio, CN ?= ?Root CA/);
    expect(intText).toMatch(/Subject: L ?= ?west, O ?= ?Istio, CN ?= ?Intermediate CA/);
    expect(intText).toContain("DNS:istiod.istio-system.svc, IP Address:10.0.0.1, URI:spiffe://cluster.local/ns/x");
    // maxPathLength 0 without Go's MaxPathLenZero: no path length constraint is written.
    expect(intText).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    const rootSki = /Subject Key Identifier: *\n\s+([0-9A-F:]+)/.exec(rootText)![1];
    expect(intText).toMatch(new RegExp(`Authority Key Identifier: *\\n\\s+(keyid:)?${rootSki}`));
    expect(intermediate).toMatchObject({ caKeyAlgorithm: "RSA", readyForRenewal: false });

    // A leaf signed by the intermediate, with extended usages: the whole chain verifies for TLS.
    const leafKey = await key({ algorithm: "ECDSA", ecdsaCurve: "P256" });
    const leafCsr = (await tls["tls:index/certRequest:CertRequest"].create({ privateKeyPem: leafKey.privateKeyPem, subject: { commonName: "leaf" }, dnsNames: ["a.example"] }, context)).outputs;
    const leaf = (
      await tls["tls:index/locallySignedCert:LocallySignedCert"].create(
        { certRequestPem: leafCsr.certRequestPem, caPrivateKeyPem: intKey.privateKeyPem, caCertPem: intermediate.certPem, allowedUses: ["digital_signature", "server_auth", "client_auth"], validityPeriodHours: 24 },
        context,
      )
    ).outputs;
    const leafPem = file(dir, "leaf.pem", String(leaf.certPem));
    expect(openssl(["verify", "-CAfile", rootPem, "-untrusted", intPem, "-purpose", "sslserver", leafPem])).toContain(": OK");
    expect(openssl(["x509", "-noout", "-text", "-in", leafPem])).toMatch(/Extended Key Usage: *\n\s+TLS Web Server Authentication, TLS Web Client Authentication/);
  });
});
