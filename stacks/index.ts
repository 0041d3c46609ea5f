import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../plan";
import { loadFleetPlan } from "./config";
import type { StackOutputs } from "./outputs";
import { dev } from "./dev";
import { prod } from "./prod";
import { declareReadOutputsOnly } from "./unread-outputs";

/** Compositions by name; a stack picks one with `platform:composition` (default: the stack's name). */
export const compositions: Record<string, (plan: FleetPlan) => Promise<StackOutputs>> = { dev, prod };

/** Builds the stack being run: validates the plan first, then composes its fleet. */
export function composeStack(): Promise<StackOutputs> {
  const config = new pulumi.Config("platform");
  const plan = loadFleetPlan(config);
  const name = config.get("composition") || pulumi.getStack();
  const compose = compositions[name];
  if (!compose) {
    throw new pulumi.RunError(
      `platform:composition ${JSON.stringify(name)} is not one of ${Object.keys(compositions).join(", ")}; ` +
        "set it in Pulumi.<stack>.yaml",
    );
  }
  declareReadOutputsOnly();
  return compose(plan);
}
