import * as pulumi from "@pulumi/pulumi";
import type { ClusterOutput, FleetOutputs } from "./outputs";

/** Every output of a fleet stack, typed. */
export type Fleet = { readonly [K in keyof FleetOutputs]: pulumi.Output<FleetOutputs[K]> };

/**
 * The name of a fleet stack for a StackReference. On a self-managed backend (file://, s3://) the
 * organization is the literal `organization`; on Pulumi Cloud, give your organization.
 */
export function fleetStackName(stack: string, options: { organization?: string; project?: string } = {}): string {
  return `${options.organization ?? "organization"}/${options.project ?? "platform"}/${stack}`;
}

/**
 * The outputs of a fleet stack through `ref`, typed by the contract: the one place where the
 * contract's types are trusted. A missing output rejects (the fleet is older than this contract);
 * secret outputs stay secret.
 */
export function readFleet(ref: pulumi.StackReference): Fleet {
  const output = <K extends keyof FleetOutputs>(key: K) => ref.requireOutput(key) as pulumi.Output<FleetOutputs[K]>;
  return {
    clusters: output("clusters"),
    kubeconfigs: output("kubeconfigs"),
    karmada: output("karmada"),
    argocd: output("argocd"),
    grafana: output("grafana"),
    prometheus: output("prometheus"),
    mesh: output("mesh"),
  };
}

/** The fleet's workload clusters, in a stable order (by name): where teams run their apps. */
export function workloadClusters(fleet: Pick<Fleet, "clusters">): pulumi.Output<ClusterOutput[]> {
  return fleet.clusters.apply((clusters) =>
    Object.values(clusters)
      .filter((c) => c.role === "workload")
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}
