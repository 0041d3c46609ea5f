import { z } from "zod";

/** A Prometheus-style duration (`15d`, `72h`, `30m`), as Prometheus and Loki read them. */
const duration = z.string().regex(/^[0-9]+(ms|s|m|h|d|w|y)$/, { message: "is not a duration such as 72h or 15d" });
/** A Go duration (`72h`, `30m`), as Tempo reads it: no days. */
const goDuration = z.string().regex(/^[0-9]+(ms|s|m|h)$/, { message: "is not a duration in hours or less, such as 72h (Tempo has no days)" });
/** A Kubernetes storage quantity (`50Gi`). */
const storage = z.string().regex(/^[0-9]+(Mi|Gi|Ti)$/, { message: "is not a storage size such as 50Gi" });

/** How long and how much the fleet's signals are kept, and what cross-cluster traffic costs. */
export const observabilitySchema = z
  .strictObject({
    /** The central Prometheus: how long it keeps samples, and the volume it keeps them on (where the cluster has volumes). */
    metrics: z.strictObject({ retention: duration.default("15d"), volume: storage.default("50Gi") }).prefault({}),
    /** Loki: how long log lines are kept, and its volume where it has no object storage. */
    logs: z.strictObject({ retention: duration.default("168h"), volume: storage.default("10Gi") }).prefault({}),
    /**
     * Tempo: how long traces are kept; the share of requests the mesh traces, in percent. Default
     * 1, Istio's own default (istio 1.30.3 pilot/pkg/features/telemetry.go): enough for latency
     * and error traces at a small cost; raise it per stack to follow rare requests.
     */
    traces: z
      .strictObject({ retention: goDuration.default("72h"), samplingPercent: z.number().min(0).max(100).default(1) })
      .prefault({}),
    /** The price of data crossing clusters, and the projected monthly spend that raises an alert. */
    cost: z
      .strictObject({
        /** USD per GB sent between clusters of different regions (AWS inter-region is 0.02). Default 0.02. */
        transferUsdPerGb: z.number().min(0).max(10).default(0.02),
        /** USD per GB sent between two clusters of one region (AWS cross-AZ/peering is 0.01). Default 0.01. */
        sameRegionTransferUsdPerGb: z.number().min(0).max(10).default(0.01),
        /** Alert when the month's projected cross-cluster transfer passes this many USD. Default 100. */
        monthlyTransferAlertUsd: z.number().min(0).default(100),
      })
      .prefault({}),
  })
  .prefault({});

export type ObservabilitySettings = z.output<typeof observabilitySchema>;
