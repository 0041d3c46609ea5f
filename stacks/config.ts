import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { AlertReceiver } from "../components/monitoring";
import { ClusterPlan, ClusterProvider, FleetPlan, planFleet, PlanError } from "../plan";

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
    mesh: config.getObject("mesh"),
  };
  try {
    return planFleet(input);
  } catch (error) {
    // RunError prints the message without a stack trace: the problems are the user's to fix.
    if (error instanceof PlanError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

const receiversSchema = z.array(
  z.strictObject({
    name: z.string().regex(/^[a-z][-a-z0-9]*$/, { message: "must be lower-case letters, digits and '-'" }),
    webhookUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }),
  }),
);

/**
 * Alertmanager webhook receivers from `platform:alertReceivers`, read as a secret (their URLs
 * often carry keys): set them with `pulumi config set --secret --path ...`.
 */
export function loadAlertReceivers(config: pulumi.Config = new pulumi.Config("platform")): pulumi.Output<AlertReceiver[]> {
  const raw: pulumi.Output<unknown> = config.getSecretObject<unknown>("alertReceivers") ?? pulumi.secret<unknown>([]);
  return raw.apply((value) => {
    const parsed = receiversSchema.safeParse(value ?? []);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map(
      (issue) => `platform:alertReceivers${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`,
    );
    throw new pulumi.RunError(`Invalid alert receivers:\n  - ${problems.join("\n  - ")}`);
  });
}

const DISPLAY: Record<ClusterProvider, string> = { kind: "kind", eks: "EKS" };

/** The plan's clusters, refusing any that the composition cannot run (before any resource exists). */
export function clustersOf<P extends ClusterProvider>(plan: FleetPlan, provider: P, composition: string) {
  return plan.clusters.map((spec) => {
    if (spec.provider !== provider) {
      throw new pulumi.RunError(
        `${spec.key}.provider is ${spec.provider}, but the ${composition} composition runs ${DISPLAY[provider]} clusters only`,
      );
    }
    return spec as Extract<ClusterPlan, { provider: P }>;
  });
}
