import { z } from "zod";

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
