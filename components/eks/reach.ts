import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { loadBalancerEndpoint, type ServiceReach, type ServiceRequest } from "../cluster";
import { answering } from "./readiness";

/** Who may reach the platform services an EKS cluster exposes. */
export interface EksServiceAccess {
  /** The fleet's VPC ranges: what the internal NLBs of fleet and console services admit. */
  fleetRanges: string[];
  /**
   * The NLB of a service the host running Pulumi calls (the Karmada API): internet-facing for
   * the given ranges (workstations, CI runners), or internal like the others (Pulumi runs
   * inside the fleet's network).
   */
  operator: { scheme: "internet-facing"; ranges: string[] } | { scheme: "internal" };
  /** Who may reach the apps' ingress gateways: an internet-facing NLB for these ranges. */
  public: string[];
}

/** An AWS network load balancer, as the Service annotations the AWS cloud provider reads. */
export function loadBalancerAnnotations(scheme: "internal" | "internet-facing", ranges: string[]): Record<string, string> {
  return {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    ...(scheme === "internal" ? { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" } : {}),
    // Instance targets see the client's address: admit exactly these ranges.
    "service.beta.kubernetes.io/load-balancer-source-ranges": ranges.join(","),
  };
}

/**
 * How a service on an EKS cluster is reached: always through an NLB that admits only the ranges
 * of its audience (the apps' users: `ingress.allowedCidrs`), reached under its AWS DNS name.
 */
export function eksReach(
  access: EksServiceAccess,
  region: string,
  provider: k8s.Provider,
  drained: pulumi.Resource[],
  request: ServiceRequest,
): ServiceReach {
  const nlb =
    request.audience === "public"
      ? loadBalancerAnnotations("internet-facing", access.public)
      : request.audience === "operator" && access.operator.scheme === "internet-facing"
        ? loadBalancerAnnotations("internet-facing", access.operator.ranges)
        : loadBalancerAnnotations("internal", access.fleetRanges);
  return {
    service: { type: "LoadBalancer", annotations: nlb },
    // The NLB's name is only known after it exists; one wildcard matches any NLB of the region.
    tlsNames: [`*.elb.${region}.amazonaws.com`],
    // Its Service is deleted before the drain gate, which waits for the NLB to be gone.
    dependsOn: drained,
    address: (read) => {
      const endpoint = loadBalancerEndpoint(read, request.port, provider);
      return request.audience === "operator" && request.readyPath ? answering(endpoint, request.readyPath, read) : endpoint;
    },
  };
}
