import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster, ServiceReach, ServiceRequest } from "../../components/cluster";
import type { ClusterPlan } from "../../plan";
import { b64 } from "./provider-outputs";

/** What a fake cluster answers to every `reach`: a node port on a host named after the cluster. */
export function fakeReach(name: string, request: ServiceRequest): ServiceReach {
  const host = `${name}.reach.example`;
  return {
    service: { type: "NodePort", nodePort: 30000 + (request.port % 1000), annotations: { "fake/audience": request.audience } },
    tlsNames: [host],
    dependsOn: [],
    address: () => pulumi.output({ host, port: request.port }),
  };
}

/** A cluster as components see it: a provider and endpoints, nothing real behind them. */
export function fakeCluster(name: string, spec: Partial<ClusterPlan> = {}): Cluster {
  return {
    name,
    spec: { name, role: "workload", provider: "kind", region: "local", network: name, labels: { cluster: name }, ...spec } as ClusterPlan,
    provider: new k8s.Provider(`${name}-k8s`, { kubeconfig: "{}" }),
    kubeconfig: pulumi.secret("{}"),
    endpoint: pulumi.output("https://127.0.0.1:1"),
    internalEndpoint: pulumi.output(`https://${name}-control-plane:6443`),
    caData: pulumi.output(b64(`CA of ${name}`)),
    infrastructure: "fake-cloud",
    reach: (request) => fakeReach(name, request),
  };
}
