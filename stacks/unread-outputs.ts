import * as pulumi from "@pulumi/pulumi";

/**
 * The outputs the program reads that a resource computes itself (not inputs it was given), by
 * type, whether it declares the resource, reads it (`get`) or gets it back as a reference. A
 * read of any other computed output fails loudly, naming this list.
 */
const READ: Readonly<Record<string, readonly string[]>> = {
  "aws:ec2/eip:Eip": ["publicIp"],
  "aws:ec2transitgateway/transitGateway:TransitGateway": ["associationDefaultRouteTableId"],
  "aws:iam/role:Role": ["arn", "name"],
  "aws:kms/key:Key": ["arn"],
  "aws:s3/bucket:Bucket": ["arn", "bucket"],
  "command:local:Command": ["stdout"],
  "eks:index:Cluster": ["eksCluster", "instanceRoles", "oidcIssuer", "oidcProviderArn"],
  "kubernetes:core/v1:Secret": ["data"],
  "kubernetes:core/v1:Service": ["status"],
  "pulumi:pulumi:StackReference": ["outputs", "secretOutputNames"],
  "random:index/randomPassword:RandomPassword": ["bcryptHash", "result"],
  "tls:index/certRequest:CertRequest": ["certRequestPem"],
  "tls:index/locallySignedCert:LocallySignedCert": ["certPem"],
  "tls:index/privateKey:PrivateKey": ["privateKeyPem"],
  "tls:index/selfSignedCert:SelfSignedCert": ["certPem"],
};

/**
 * From here on, resources carry only the outputs the program reads. A resource class declares an
 * Output for every property its schema has (39 for a Helm release, 26 for a subnet), and the SDK
 * makes four promises for each, recording a stack trace for every one, which the language host
 * formats through source maps: most of a large fleet's evaluation (docs/performance.md). The
 * request the engine receives is unchanged: outputs are not part of it.
 */
export function declareReadOutputsOnly(): void {
  pulumi.runtime.registerStackTransformation(withoutUnreadOutputs);
}

/** Drops the computed outputs the program never reads, each replaced by a getter that fails. */
function withoutUnreadOutputs(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
  const { resource, type, props, opts } = args;
  const read = READ[type] ?? [];
  const unread = Object.keys(props).filter((k) => props[k] === undefined && k !== "id" && k !== "urn" && !read.includes(k));
  if (unread.length === 0) return undefined;
  for (const key of unread) {
    Object.defineProperty(resource, key, {
      configurable: true,
      enumerable: false,
      get() {
        throw new Error(`${type} output "${key}" is read, but not in stacks/unread-outputs.ts READ: add it there`);
      },
    });
  }
  const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !unread.includes(k)));
  return { props: kept, opts };
}
