import type * as pulumi from "@pulumi/pulumi";
import { eksComponentReferences } from "./references";

/**
 * What the providers would answer, as placeholders, so the program evaluates offline (no CLI,
 * credentials or clusters). Only the values the program parses need a shape; the rest echo inputs.
 */
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const PEM = (what: string) => `-----BEGIN ${what}-----\n(known after deploy)\n-----END ${what}-----\n`;

function kubeconfig(name: string): string {
  return [
    "apiVersion: v1",
    `clusters: [{name: ${name}, cluster: {certificate-authority-data: ${b64("ca")}, server: "https://127.0.0.1"}}]`,
    `users: [{name: ${name}, user: {client-certificate-data: ${b64("cert")}, client-key-data: ${b64("key")}}}]`,
  ].join("\n");
}

export function placeholderOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs;
  switch (args.type) {
    case "command:local:Command":
      return { stdout: inputs.environment?.KIND_CLUSTER ? kubeconfig(inputs.environment.KIND_CLUSTER) : "(known after deploy)" };
    case "eks:index:Cluster":
      return {
        ...eksComponentReferences(args.name, {
          eksCluster: {
            name: inputs.name,
            endpoint: `https://${inputs.name}.eks.amazonaws.com`,
            certificateAuthority: { data: b64("ca") },
            vpcConfig: { clusterSecurityGroupId: `${inputs.name}-sg` },
          },
          instanceRoles: [{ arn: `arn:aws:iam::000000000000:role/${args.name}` }],
        }),
        oidcProviderArn: "(known after deploy)",
        oidcIssuer: "(known after deploy)",
      };
    // NAT addresses reach the public endpoints with eks.admitPeersPublicly.
    case "aws:ec2/eip:Eip":
      return { publicIp: "192.0.2.1" };
    case "random:index/randomPassword:RandomPassword":
      return { result: "(secret)", bcryptHash: "(secret)" };
    case "tls:index/privateKey:PrivateKey":
      return { privateKeyPem: PEM("PRIVATE KEY") };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: PEM("CERTIFICATE") };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: PEM("CERTIFICATE REQUEST") };
    case "kubernetes:core/v1:Service":
      return { status: { loadBalancer: { ingress: [{ hostname: `${String(args.id).replace("/", "-")}.(address after deploy)` }] } } };
    case "kubernetes:core/v1:Secret":
      if (args.id) return { data: { kubeconfig: b64(kubeconfig("karmada-apiserver")) } };
      return inputs.type === "kubernetes.io/service-account-token" ? { data: { token: b64("token"), "ca.crt": b64("ca") } } : {};
    default:
      return {};
  }
}

/** What the invokes would answer. */
export function placeholderInvoke(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  if (args.token === "aws:index/getAvailabilityZones:getAvailabilityZones") {
    return { zoneIds: ["az-1", "az-2", "az-3"], names: ["zone-1", "zone-2", "zone-3"] };
  }
  return args.inputs;
}
