import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KindClusterPlan } from "../../plan";
import { loadBalancerEndpoint, type PlatformService, type ServiceReach, type ServiceRequest } from "../cluster";
import { nodePort } from "./ports";

export interface KindReachContext {
  spec: KindClusterPlan;
  provider: k8s.Provider;
  /** Host ports (on 127.0.0.1) that the kind config forwards to services' node ports. */
  hostPorts: Partial<Record<PlatformService, number>>;
  /** The in-cluster load balancer, installed on first use: what a LoadBalancer Service waits for. */
  loadBalancer: () => pulumi.Resource[];
}

/**
 * How a service on a kind cluster is reached. Every kind node sits on the docker `kind` network:
 * other clusters reach a node port on the control-plane node by its container name, or a MetalLB
 * address from the cluster's pool; the host reaches a node port only through a port mapping of
 * the kind config; a console stays in-cluster, behind `kubectl port-forward`. Public services get
 * a MetalLB address, which a proxy on the `kind` network (the fleet's entry) forwards the host to.
 */
export function kindReach(ctx: KindReachContext, request: ServiceRequest): ServiceReach {
  const { spec } = ctx;
  const node = `${spec.kindName}-control-plane`;
  const fixed = (host: string, port: number) => () => pulumi.output({ host, port });

  if (request.audience === "console") {
    const address = fixed("localhost", request.localPort ?? request.port);
    return { service: { type: "ClusterIP", annotations: {} }, tlsNames: [], dependsOn: [], address };
  }
  if ((request.audience === "fleet" && request.loadBalancer) || request.audience === "public") {
    return {
      service: { type: "LoadBalancer", annotations: {} },
      tlsNames: [],
      dependsOn: ctx.loadBalancer(),
      address: (read) => loadBalancerEndpoint(read, request.port, ctx.provider),
    };
  }
  const port = nodePort(request.service);
  const service = { type: "NodePort" as const, nodePort: port, annotations: {} };
  if (request.audience === "fleet") {
    return { service, tlsNames: [node], dependsOn: [], address: fixed(node, port) };
  }
  const hostPort = ctx.hostPorts[request.service];
  if (hostPort === undefined) {
    throw new Error(
      `the kind cluster ${spec.name} forwards no host port to ${request.service}: give it in hostPorts when the ` +
        "cluster is created (a port mapping added later recreates the cluster)",
    );
  }
  return { service, tlsNames: [node, "127.0.0.1"], dependsOn: [], address: fixed("127.0.0.1", hostPort) };
}
