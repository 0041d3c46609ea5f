import * as pulumi from "@pulumi/pulumi";
import { type FleetPlan, PlanError, planFleet } from "../plan";

/**
 * Reads the stack's `platform:*` config and returns the validated fleet plan. A bad plan stops
 * the program here, before any resource is registered, with every problem listed.
 */
export function loadFleetPlan(config: pulumi.Config = new pulumi.Config("platform")): FleetPlan {
  return refuseWithoutTrace(() =>
    planFleet({
      environment: config.get("environment"),
      clusters: config.getObject("clusters"),
      network: config.getObject("network"),
      kind: config.getObject("kind"),
      eks: config.getObject("eks"),
      mesh: config.getObject("mesh"),
      // Secret in the stack file; read here only to be validated with the rest, and wrapped as a
      // secret again wherever it goes (`plan.alertReceivers`).
      alertReceivers: config.getObject("alertReceivers"),
    }),
  );
}

/** Runs `f`; a `PlanError` becomes a `RunError`, which Pulumi prints without a stack trace. */
export function refuseWithoutTrace<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    // The problems are the user's to fix, not the program's.
    if (error instanceof PlanError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
