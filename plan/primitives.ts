import { z } from "zod";

/** Value shapes every part of the config uses. */

/** DNS-1123 label: used as kind node names, Karmada/ArgoCD cluster names and Istio cluster IDs. */
export const dnsLabel = z
  .string()
  .max(40, { message: "must be at most 40 characters (kind appends -control-plane)" })
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, {
    message: "must be a DNS label: lower-case letters, digits and '-', starting with a letter",
  });

export const labelValue = z
  .string()
  .max(63)
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, { message: "is not a valid Kubernetes label value" });

export const labelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    message: "is not a valid Kubernetes label key",
  });

export const count = (min: number, max: number) => z.number().int().min(min).max(max);

/** A cluster's placement labels: its own, then the platform's (`cluster`, `region`, `env`). */
export function placementLabels(
  cluster: { name: string; region: string; labels?: Record<string, string> },
  environment: string,
): Record<string, string> {
  return { ...cluster.labels, cluster: cluster.name, region: cluster.region, env: environment };
}
