import * as pulumi from "@pulumi/pulumi";
import { FleetPlan, planFleet, PlanError } from "../plan";

/**
 * Reads the stack's `platform:*` config and returns the validated fleet plan. A bad plan stops
 * the program here, before any resource is registered, with every problem listed.
 */
export function loadFleetPlan(config: pulumi.Config = new pulumi.Config("platform")): FleetPlan {
  const input = {
    environment: config.get("environment"),
    clusters: config.getObject("clusters"),
    network: config.getObject("network"),
    kind: config.getObject("kind"),
    eks: config.getObject("eks"),
  };
  try {
    return planFleet(input);
  } catch (error) {
    // RunError prints the message without a stack trace: the problems are the user's to fix.
    if (error instanceof PlanError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
