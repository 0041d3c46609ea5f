import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * How a platform service is reached from outside its cluster: through a node port on a kind node
 * (dev), or through an AWS network load balancer (prod) that admits only `sourceRanges`: an
 * internal one reached over the peered VPCs, or an internet-facing one for the workstations and
 * CI runners that run Pulumi.
 */
export type Exposure =
  | { kind: "nodePort" }
  | { kind: "internalLoadBalancer" | "publicLoadBalancer"; sourceRanges: string[] };

/** Service annotations that make the AWS cloud provider build the NLB for the ranges. */
export function loadBalancerAnnotations(exposure: Exposure): Record<string, string> {
  if (exposure.kind === "nodePort") return {};
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    ...(exposure.kind === "internalLoadBalancer" ? { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" } : {}),
    // Instance targets see the client's address: admit exactly these ranges.
    "service.beta.kubernetes.io/load-balancer-source-ranges": exposure.sourceRanges.join(","),
  };
}

/**
 * The address of a LoadBalancer Service that a chart or controller created (a DNS name on AWS,
 * an IP from MetalLB on kind), read back once it exists: Pulumi does not own that Service.
 * Pass `id` through `readAfter`, so that a preview skips the read until its creator exists.
 */
export function loadBalancerAddress(name: string, id: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  return k8s.core.v1.Service.get(name, id, opts).status.apply((status) => {
    const ingress = status?.loadBalancer?.ingress?.[0];
    const address = ingress?.hostname || ingress?.ip;
    if (!address) throw new Error(`the load balancer of Service ${name} has no address yet`);
    return address;
  });
}

/**
 * `namespace/name` of an object that `creator` makes, known only once the creator exists: a
 * preview before the creator is created skips the read instead of failing on a missing object,
 * while later previews (the creator's id is known then) read as usual.
 */
export function readAfter(creator: pulumi.CustomResource, id: string): pulumi.Output<string> {
  return creator.id.apply(() => id);
}
