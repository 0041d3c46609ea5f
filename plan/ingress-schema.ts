import { z } from "zod";
import type { Problem } from "./problem";

/** How users reach the apps: an ingress gateway per workload cluster, and one entry in front of the fleet. */
export const ingressSchema = z
  .strictObject({
    /**
     * Apps are served as `<app>.<domain>`. Default `localhost`, which a workstation resolves by
     * itself (`*.localhost` is loopback), right for a kind fleet's entry.
     */
    domain: z
      .string()
      .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "is not a DNS name" })
      .default("localhost"),
    /** Who may reach the ingress gateways of EKS clusters (their internet-facing NLBs). Default everyone. */
    allowedCidrs: z
      .array(z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { message: "is not an IPv4 CIDR" }))
      .min(1)
      .default(["0.0.0.0/0"]),
    /**
     * Route 53 hosted zone of `domain`, on an EKS fleet: each app gets latency records, one per
     * cluster that runs it, withdrawn while that cluster's gateway fails its health check. Default:
     * no DNS (reach a gateway by its NLB name, with the app's host name).
     */
    route53ZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, { message: "is not a Route 53 hosted zone ID" }).optional(),
  })
  .prefault({});

export type IngressSettings = z.output<typeof ingressSchema>;

/**
 * What Route 53 needs: records in the zone's own domain (`localhost` is no zone's), and gateways
 * its health checkers reach (they come from AWS's public ranges; a restricted NLB fails every
 * check, and with every record unhealthy Route 53 answers with all of them: no failover). The
 * ranges of a Service cover all its ports, so the status port cannot be opened alone.
 */
export function ingressProblems(ingress: IngressSettings): Problem[] {
  if (!ingress.route53ZoneId) return [];
  const problems: Problem[] = [];
  if (ingress.domain === "localhost") {
    problems.push({ key: "ingress.domain", message: "ingress.domain is localhost: with ingress.route53ZoneId, give the hosted zone's domain" });
  }
  if (!ingress.allowedCidrs.includes("0.0.0.0/0")) {
    problems.push({
      key: "ingress.allowedCidrs",
      message:
        `ingress.allowedCidrs ${ingress.allowedCidrs.join(", ")} shuts out Route 53's health checkers: with ingress.route53ZoneId, ` +
        "the gateways must admit 0.0.0.0/0 (Route 53 would otherwise see every cluster down and answer with all of them); " +
        "an NLB's ranges cover its status port and the apps' alike, so the apps are then public: protect them in the apps, " +
        "or leave out ingress.route53ZoneId to restrict the NLBs (docs/prod.md, What the apps' ingress exposes)",
    });
  }
  return problems;
}
