import * as pulumi from "@pulumi/pulumi";

/**
 * The outputs the program reads that a resource computes itself (not inputs it was given), by
 * type, whether it declares the resource, reads it (`get`) or gets it as a reference in another's
 * outputs (an EKS component's cluster and roles). A read of any other computed output fails
 * loudly, naming this list.
 */
const READ: Readonly<Record<string, readonly string[]>> = {
  "aws:ec2/eip:Eip": ["publicIp"],
  "aws:ec2transitgateway/transitGateway:TransitGateway": ["associationDefaultRouteTableId"],
  "aws:eks/cluster:Cluster": ["certificateAuthority", "endpoint", "name", "vpcConfig"],
  "aws:iam/role:Role": ["arn", "name"],
  "aws:kms/key:Key": ["arn"],
  "aws:s3/bucket:Bucket": ["arn", "bucket"],
  "command:local:Command": ["stdout"],
  "eks:index:Cluster": ["eksCluster", "instanceRoles", "oidcIssuer", "oidcProviderArn"],
  "kubernetes:core/v1:Secret": ["data"],
  "kubernetes:core/v1:Service": ["status"],
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

/**
 * Drops the computed outputs the program never reads from the registrations of a provider SDK's
 * classes. A read of a dropped one fails through a getter on the class's prototype, made once per
 * class and output: an accessor on every instance would cost more than the outputs it saves.
 */
function withoutUnreadOutputs(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
  const { resource, type, props, opts } = args;
  const prototype = Object.getPrototypeOf(resource) as object;
  const declaredType = (prototype.constructor as { __pulumiType?: string }).__pulumiType;
  if (declaredType !== type && `pulumi:providers:${declaredType}` !== type) return undefined;
  const read = READ[type] ?? [];
  const unread = Object.keys(props).filter((k) => props[k] === undefined && k !== "id" && k !== "urn" && !read.includes(k));
  if (unread.length === 0) return undefined;
  for (const key of unread) guard(prototype, type, key);
  const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !unread.includes(k)));
  return { props: kept, opts };
}

/** Makes a read of `key` fail unless the SDK has set it on the instance (it does so for every output it declares). */
function guard(prototype: object, type: string, key: string): void {
  if (Object.prototype.hasOwnProperty.call(prototype, key)) return;
  Object.defineProperty(prototype, key, {
    configurable: true,
    enumerable: false,
    get() {
      throw new Error(`${type} output "${key}" is read, but not in stacks/unread-outputs.ts READ: add it there`);
    },
    set(value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
    },
  });
}
