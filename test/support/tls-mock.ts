import { generateKeyPairSync } from "crypto";
import forge from "node-forge";

/**
 * What the `tls` provider would compute, done for real (node-forge), so tests can check that
 * certificates chain and carry the right constraints. Keys are 2048-bit for speed; the key size
 * the program asks for is asserted on its inputs.
 */
export function tlsOutputs(type: string, inputs: Record<string, any>): Record<string, unknown> | undefined {
  switch (type) {
    case "tls:index/privateKey:PrivateKey": {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
        publicKeyEncoding: { type: "spki", format: "pem" },
      });
      return { privateKeyPem: privateKey, publicKeyPem: publicKey };
    }
    case "tls:index/selfSignedCert:SelfSignedCert": {
      const key = forge.pki.privateKeyFromPem(inputs.privateKeyPem);
      const cert = newCert(forge.pki.setRsaPublicKey(key.n, key.e), attributes(inputs.subject), inputs);
      cert.setIssuer(attributes(inputs.subject));
      cert.sign(key, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert) };
    }
    case "tls:index/certRequest:CertRequest": {
      const key = forge.pki.privateKeyFromPem(inputs.privateKeyPem);
      const csr = forge.pki.createCertificationRequest();
      csr.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
      csr.setSubject(attributes(inputs.subject));
      csr.sign(key, forge.md.sha256.create());
      return { certRequestPem: forge.pki.certificationRequestToPem(csr) };
    }
    case "tls:index/locallySignedCert:LocallySignedCert": {
      const csr = forge.pki.certificationRequestFromPem(inputs.certRequestPem);
      const ca = forge.pki.certificateFromPem(inputs.caCertPem);
      const cert = newCert(csr.publicKey as forge.pki.rsa.PublicKey, csr.subject.attributes, inputs);
      cert.setIssuer(ca.subject.attributes);
      cert.sign(forge.pki.privateKeyFromPem(inputs.caPrivateKeyPem), forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert) };
    }
  }
  return undefined;
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
      ...(typeof inputs.maxPathLength === "number" && inputs.isCaCertificate ? { pathLenConstraint: inputs.maxPathLength } : {}),
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
