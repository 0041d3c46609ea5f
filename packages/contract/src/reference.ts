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

const KEYS: readonly (keyof FleetOutputs)[] = ["clusters", "kubeconfigs", "karmada", "argocd", "grafana", "prometheus", "mesh", "apps", "observability", "readers"];

/**
 * The outputs of a fleet stack through `ref`, typed by the contract: the one place where the
 * contract's types are trusted. An output is read when first used, so a program needs only the
 * outputs it uses; one the fleet lacks rejects the run (the fleet is older than this contract).
 * Secret outputs stay secret.
 */
export function readFleet(ref: pulumi.StackReference): Fleet {
  const read = new Map<keyof FleetOutputs, pulumi.Output<unknown>>();
  const fleet = {};
  for (const key of KEYS) {
    Object.defineProperty(fleet, key, {
      enumerable: true,
      get: () => {
        if (!read.has(key)) read.set(key, ref.requireOutput(key));
        return read.get(key);
      },
    });
  }
  return fleet as Fleet;
}

/** The fleet's workload clusters, in a stable order (by name): where teams run their apps. */
export function workloadClusters(fleet: Pick<Fleet, "clusters">): pulumi.Output<ClusterOutput[]> {
  return fleet.clusters.apply((clusters) =>
    Object.values(clusters)
      .filter((c) => c.role === "workload")
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}
