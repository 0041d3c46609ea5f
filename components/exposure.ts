import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * How a management-plane service is reached from outside its cluster: through a node port on a
 * kind node (dev), or through an internal AWS network load balancer reachable over the peered
 * VPCs (prod).
 */
export type Exposure =
  | { kind: "nodePort" }
  | {
      kind: "internalLoadBalancer";
      /** Client ranges the load balancer admits: the fleet's VPCs. */
      sourceRanges: string[];
    };

/** Service annotations that make the AWS cloud provider build an internal NLB for the ranges. */
export function loadBalancerAnnotations(exposure: Exposure): Record<string, string> {
  if (exposure.kind !== "internalLoadBalancer") return {};
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    // Instance targets see the client's address: admit the peered VPCs, not just this one.
    "service.beta.kubernetes.io/load-balancer-source-ranges": exposure.sourceRanges.join(","),
  };
}

/**
 * The address of a LoadBalancer Service that a chart or controller created (a DNS name on AWS,
 * an IP from MetalLB on kind), read back once it exists: Pulumi does not own that Service.
 * Derive `id` (`namespace/name`) from the creator's outputs, so that while the creator is yet to
 * be created the id is unknown and `pulumi preview` skips the read instead of failing on it.
 */
export function loadBalancerAddress(name: string, id: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): pulumi.Output<string> {
  return k8s.core.v1.Service.get(name, id, opts).status.apply((status) => {
    const ingress = status?.loadBalancer?.ingress?.[0];
    const address = ingress?.hostname || ingress?.ip;
    if (!address) throw new Error(`the load balancer of Service ${name} has no address yet`);
    return address;
  });
}
