import type * as pulumi from "@pulumi/pulumi";
import type { ClusterOutput, FleetOutputs } from "./outputs";
import { assertCompatibleFleet } from "./version";

/**
 * What the reader needs of a stack reference: its outputs by name. An interface, not the
 * `StackReference` class: a class's private members tie it to one copy of `@pulumi/pulumi`, so a
 * program on another copy (another version, or the same one installed twice) could not pass its
 * own; any `pulumi.StackReference` has these two methods.
 */
export interface FleetReference {
  /** The output, or a rejection when the stack lacks it. */
  requireOutput(name: string): pulumi.Output<unknown>;
  /** The output, `undefined` when the stack lacks it. */
  getOutput(name: string): pulumi.Output<unknown>;
}

/** Every output of a fleet stack, typed. */
export type Fleet = { readonly [K in keyof FleetOutputs]: pulumi.Output<FleetOutputs[K]> };

/**
 * The name of a fleet stack for a StackReference. On a self-managed backend (file://, s3://) the
 * organization is the literal `organization`; on Pulumi Cloud, give your organization.
 */
export function fleetStackName(stack: string, options: { organization?: string; project?: string } = {}): string {
  return `${options.organization ?? "organization"}/${options.project ?? "platform"}/${stack}`;
}

const KEYS: readonly (keyof FleetOutputs)[] = [
  "contractVersion",
  "clusters",
  "kubeconfigs",
  "karmada",
  "argocd",
  "grafana",
  "prometheus",
  "mesh",
  "apps",
  "observability",
  "readers",
];

/**
 * The outputs of a fleet stack through `ref`, typed by the contract: the one place where the
 * contract's types are trusted. An output is read when first used, so a program needs only the
 * outputs it uses; one the fleet lacks rejects the run (the fleet is older than this contract).
 * Secret outputs stay secret. Every output waits on the fleet's `contractVersion`: a fleet of another
 * major rejects whatever is read, with {@link assertCompatibleFleet}'s error.
 */
export function readFleet(ref: FleetReference): Fleet {
  return readVersioned<FleetOutputs>(ref, KEYS);
}

/**
 * `keys` of the stack behind `ref`, each read when first used and only once `contractVersion`
 * passes {@link assertCompatibleFleet}: what every reader of this package does.
 */
export function readVersioned<T extends { contractVersion: string }>(
  ref: FleetReference,
  keys: readonly (keyof T & string)[],
): { readonly [K in keyof T]: pulumi.Output<T[K]> } {
  const read = new Map<string, pulumi.Output<unknown>>();
  let compatible: pulumi.Output<unknown> | undefined;
  // getOutput, not requireOutput: a stack older than the version output is still read.
  const checked = () => (compatible ??= ref.getOutput("contractVersion").apply((v) => assertCompatibleFleet(v as string | undefined)));
  const outputs = {};
  for (const key of keys) {
    Object.defineProperty(outputs, key, {
      enumerable: true,
      get: () => {
        if (!read.has(key)) read.set(key, checked().apply(() => ref.requireOutput(key)));
        return read.get(key);
      },
    });
  }
  return outputs as { readonly [K in keyof T]: pulumi.Output<T[K]> };
}

/** The fleet's workload clusters, in a stable order (by name): where teams run their apps. */
export function workloadClusters(fleet: Pick<Fleet, "clusters">): pulumi.Output<ClusterOutput[]> {
  return fleet.clusters.apply((clusters) =>
    Object.values(clusters)
      .filter((c) => c.role === "workload")
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}
