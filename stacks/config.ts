import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "fs";
import { join } from "path";
import { type FleetPlan, PlanError, planFleet } from "../plan";

/**
 * Reads the stack's `platform:*` config and returns the validated fleet plan. A bad plan stops
 * the program here, before any resource is registered, with every problem listed.
 */
export function loadFleetPlan(config: pulumi.Config = new pulumi.Config("platform")): FleetPlan {
  // Every `platform:*` key, so that one the plan does not know (`platform:meshh`) is refused: the
  // CLI checks only the keys Pulumi.yaml declares. `alertReceivers` is secret in the stack file;
  // it is read here only to be validated with the rest, and wrapped as a secret wherever it goes.
  const input: Record<string, unknown> = {};
  for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
    const [namespace, key] = fullKey.split(":");
    if (namespace !== config.name || !key || STACK_KEYS.includes(key)) continue;
    input[key] = TEXT_KEYS.includes(key) ? config.get(key) : config.getObject(key);
  }
  const plan = refuseWithoutTrace(() => planFleet(input));
  const problems = gitopsProblems(plan);
  if (problems.length > 0) throw new pulumi.RunError(problems.join("\n"));
  return plan;
}

/** The folder the fleet's own git server is seeded with, as the same path in its repository. */
const SEED = "gitops";

/**
 * Where the fleet's own git server is seeded from this repository, an argocd app's folder must be
 * in `gitops/` (the only folder published) and have an overlay per target: Argo CD would
 * otherwise report a missing path, long after `up`. A hosted repository is not here to read.
 */
export function gitopsProblems(plan: FleetPlan, root = "."): string[] {
  if (plan.gitops.repoURL) return [];
  return plan.apps.flatMap((app, i) => {
    if (app.engine !== "argocd") return [];
    if (!app.source.path.startsWith(`${SEED}/`)) {
      return [`apps[${i}].source.path (${app.name}) ${app.source.path} is outside ${SEED}/, the only folder the platform's own git server is seeded with`];
    }
    return app.targets
      .map((cluster) => `${app.source.path}/overlays/${cluster}/kustomization.yaml`)
      .filter((file) => !existsSync(join(root, file)))
      .map((file) => `apps[${i}] (${app.name}) targets a cluster without an overlay: ${file} does not exist`);
  });
}

/** Keys that choose how the stack is built rather than what the fleet is (read by `stacks/index.ts`). */
const STACK_KEYS = ["composition"];
/** Plain-text keys; every other one holds JSON (objects, arrays). */
const TEXT_KEYS = ["environment"];

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
