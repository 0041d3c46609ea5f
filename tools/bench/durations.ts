import type { Declared } from "../offline/evaluate";

/**
 * How long creating each kind of resource takes, in minutes: typical figures from public apply
 * logs and provider timeouts (docs/performance.md lists the sources). Kubernetes objects, reads,
 * providers and keys take seconds: 0.05.
 */
const BY_TYPE: Record<string, number> = {
  "eks:index:Cluster": 12, // control plane 8.5-15 min, then pulumi-eks's health check
  "eks:index:ManagedNodeGroup": 2,
  "aws:eks/addon:Addon": 1.5,
  "aws:ec2/natGateway:NatGateway": 2,
  "aws:ec2/vpc:Vpc": 0.3,
  "aws:ec2/subnet:Subnet": 0.2,
  "aws:ec2/internetGateway:InternetGateway": 0.2,
  "aws:kms/key:Key": 0.2,
  "aws:iam/role:Role": 0.1,
  "aws:ec2transitgateway/transitGateway:TransitGateway": 3,
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": 3,
  "aws:ec2transitgateway/peeringAttachmentAccepter:PeeringAttachmentAccepter": 5,
  "kubernetes:helm.sh/v3:Release": 2,
  "aws:route53/resolverEndpoint:ResolverEndpoint": 3,
  "aws:route53/resolverRule:ResolverRule": 0.5,
  "aws:route53/resolverRuleAssociation:ResolverRuleAssociation": 1,
};

/** Charts whose install takes longer than the usual release: hook jobs, many components, an NLB. */
const BY_CHART: Record<string, number> = {
  "kube-prometheus-stack": 4,
  "argo-cd": 3,
  istiod: 2,
  gateway: 3, // waits for its LoadBalancer Service (an NLB on EKS)
  base: 0.5,
};

/** Commands by what they do: a kind cluster boots in about a minute and a half; waits are waits. */
function commandMinutes(d: Declared): number {
  if (d.name.endsWith("-cluster")) return 1.5;
  if (d.name.endsWith("-ready")) return 3; // a new NLB answering
  if (d.name.endsWith("-webhook-ready")) return 0.5;
  return 0.05;
}

export function minutes(d: Declared): number {
  if (d.read || d.type.startsWith("platform:index:") || d.type.startsWith("pulumi:providers:")) return 0;
  if (d.type === "command:local:Command") return commandMinutes(d);
  if (d.type === "kubernetes:helm.sh/v3:Release") {
    const chart = d.chart ?? "";
    if (chart.includes("karmada")) return 5; // certificate and CRD jobs, eight components
    return BY_CHART[chart] ?? BY_TYPE[d.type];
  }
  return BY_TYPE[d.type] ?? 0.05;
}
