import { accessMap, refuseForbidden } from "../management";

/** Who may use Loki's gateway: the collectors push, readers query. */
export const LOKI_WRITER = "loki-writer";
export const LOKI_READER = "loki-reader";

/** Loki's read API (Loki 3's HTTP API reference), as paths under `/loki/api/v1/`. */
const LOKI_READ_API =
  "/loki/api/v1/(query|query_range|labels|label/[^/]+/values|series|tail|index/(stats|volume|volume_range)|detected_fields|detected_field/[^/]+/values|detected_labels|patterns|format_query)$";

/**
 * nginx rules for the Loki chart's gateway (loki chart 18.11.0 values `gateway.nginxConfig`), on
 * top of its basic auth: the writer may only push, the reader only Loki's read API (queries,
 * labels, series, tail, index stats, detected fields and patterns); anything else is refused, bar
 * the chart's probe path `/`. The gateway also routes `/loki/api/v1/delete` (the compactor, with
 * deletion on) and `/loki/api/v1/rules` (the ruler): a reader gets neither. Neither snippet may
 * contain `{{`: the chart passes both through `tpl`.
 */
export function lokiAccessRules(): { httpSnippet: string; locationSnippet: string } {
  const httpSnippet = accessMap("loki_forbidden", [
    { user: LOKI_WRITER, path: "/loki/api/v1/push$", allow: true },
    { path: "/loki/api/v1/push$", allow: false },
    { user: LOKI_READER, path: LOKI_READ_API, allow: true },
    { path: "/$", allow: true },
  ]);
  return { httpSnippet, locationSnippet: refuseForbidden("loki_forbidden") };
}
