import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartSource, METALLB_CHART } from "../versions";

export interface MetalLbArgs {
  /** The address pool: the cluster's `lbCidr`, inside the docker `kind` network. */
  pool: string;
  /** The kind cluster's provider. */
  provider: k8s.Provider;
}

const NAMESPACE = "metallb-system";

/**
 * MetalLB in plain L2 mode on a kind cluster, announcing the cluster's own pool from the plan,
 * so LoadBalancer Services (the east-west gateway) get addresses other kind clusters reach.
 */
export class MetalLb extends pulumi.ComponentResource {
  /** The pool and its advertisement: what a LoadBalancer Service must wait for. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: MetalLbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:MetalLb", name, {}, opts);
    const inCluster = { parent: this, provider: args.provider };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: NAMESPACE,
          // The speaker needs host networking and raw sockets.
          labels: {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "privileged",
            "pod-security.kubernetes.io/warn": "privileged",
          },
        },
      },
      inCluster,
    );
    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "metallb",
        namespace: namespace.metadata.name,
        ...chartSource(METALLB_CHART),
        values: metalLbValues(),
      },
      inCluster,
    );
    // The pool is refused until MetalLB's webhook answers: it waits for the whole release.
    const pool = new k8s.apiextensions.CustomResource(
      `${name}-pool`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: "platform", namespace: NAMESPACE },
        spec: { addresses: [args.pool], autoAssign: true },
      },
      { ...inCluster, dependsOn: [release] },
    );
    const advertisement = new k8s.apiextensions.CustomResource(
      `${name}-l2`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "L2Advertisement",
        metadata: { name: "platform", namespace: NAMESPACE },
        spec: { ipAddressPools: ["platform"] },
      },
      { ...inCluster, dependsOn: [pool] },
    );
    this.ready = [pool, advertisement];
    this.registerOutputs({});
  }
}

/** Native L2 speaker only: the FRR-K8s backend is for BGP, which a kind network does not need. */
export function metalLbValues(): Record<string, unknown> {
  return { frrk8s: { enabled: false } };
}
