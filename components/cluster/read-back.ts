import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Endpoint, ServiceRead } from "./reach";

/**
 * `namespace/name` of an object that `creator` makes, known only once the creator exists: a
 * preview before the creator is created skips the read instead of failing on a missing object,
 * while later previews (the creator's id is known then) read as usual.
 */
export function readAfter(creator: pulumi.CustomResource, id: string): pulumi.Output<string> {
  return creator.id.apply(() => id);
}

/**
 * The address of a LoadBalancer Service that a chart or controller created (a DNS name on AWS,
 * an IP from an in-cluster load balancer), read back once it exists: Pulumi does not own it.
 */
export function loadBalancerEndpoint(read: ServiceRead, port: number, provider: k8s.Provider): pulumi.Output<Endpoint> {
  const service = k8s.core.v1.Service.get(read.name, readAfter(read.creator, read.id), {
    parent: read.parent,
    provider,
    dependsOn: [read.creator],
  });
  return service.status.apply((status) => {
    const ingress = status?.loadBalancer?.ingress?.[0];
    const host = ingress?.hostname || ingress?.ip;
    if (!host) throw new Error(`the load balancer of Service ${read.id} has no address yet`);
    return { host, port };
  });
}
