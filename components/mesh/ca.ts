import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

export interface MeshCaArgs {
  /** Clusters that get an intermediate CA (Istio cluster IDs). */
  clusters: string[];
  /** Validity of the root and intermediates, in hours. Default ten years (87600), as Istio's own tooling. */
  validityHours?: number;
}

/** One cluster's plug-in CA: what goes into its `cacerts` Secret. */
export interface IntermediateCa {
  certPem: pulumi.Output<string>;
  /** Secret. */
  privateKeyPem: pulumi.Output<string>;
  /** The intermediate followed by the root. */
  chainPem: pulumi.Output<string>;
}

/** Key usages of a signing CA; no extended usages, which would restrict what it may sign. */
const CA_USES = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"];

/**
 * The mesh's shared root of trust: one self-signed root CA and an intermediate CA per cluster,
 * signed by it. Without a common root, mTLS between clusters fails.
 */
export class MeshCa extends pulumi.ComponentResource {
  readonly rootCertPem: pulumi.Output<string>;
  readonly intermediates: Record<string, IntermediateCa> = {};

  constructor(name: string, args: MeshCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:MeshCa", name, {}, opts);
    const validityPeriodHours = args.validityHours ?? 87600;
    const child = { parent: this };

    const rootKey = new tls.PrivateKey(`${name}-root-key`, { algorithm: "RSA", rsaBits: 4096 }, child);
    const root = new tls.SelfSignedCert(
      `${name}-root`,
      {
        privateKeyPem: rootKey.privateKeyPem,
        subject: { organization: "Istio", commonName: "Root CA" },
        isCaCertificate: true,
        setSubjectKeyId: true,
        allowedUses: CA_USES,
        validityPeriodHours,
      },
      child,
    );
    this.rootCertPem = root.certPem;

    for (const cluster of args.clusters) {
      const key = new tls.PrivateKey(`${name}-${cluster}-key`, { algorithm: "RSA", rsaBits: 4096 }, child);
      const request = new tls.CertRequest(
        `${name}-${cluster}-csr`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { organization: "Istio", commonName: "Intermediate CA", locality: cluster },
          dnsNames: ["istiod.istio-system.svc"],
        },
        child,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${cluster}-cert`,
        {
          certRequestPem: request.certRequestPem,
          caPrivateKeyPem: rootKey.privateKeyPem,
          caCertPem: root.certPem,
          isCaCertificate: true,
          // Meant to sign workload certificates only; tls 5.6.1 writes 0 as no constraint (it never
          // sets Go's MaxPathLenZero), so the certificate carries none (docs/mesh.md).
          maxPathLength: 0,
          setSubjectKeyId: true,
          allowedUses: CA_USES,
          validityPeriodHours,
        },
        child,
      );
      this.intermediates[cluster] = {
        certPem: cert.certPem,
        privateKeyPem: pulumi.secret(key.privateKeyPem),
        chainPem: pulumi.all([cert.certPem, root.certPem]).apply(([c, r]) => `${c.trimEnd()}\n${r.trimEnd()}\n`),
      };
    }
    this.registerOutputs({ rootCertPem: this.rootCertPem });
  }
}
