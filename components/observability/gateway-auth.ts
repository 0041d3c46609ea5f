import { accessMap, refuseForbidden } from "../management";

/** Who may use Loki's gateway: the collectors push, readers query. */
export const LOKI_WRITER = "loki-writer";
export const LOKI_READER = "loki-reader";

/**
 * nginx rules for the Loki chart's gateway (loki chart 18.11.0 values `gateway.nginxConfig`), on
 * top of its basic auth: the writer may only push, the reader may use every other
 * `/loki/api/v1/` path, anything else is refused, bar the chart's probe path `/`. Neither
 * snippet may contain `{{`: the chart passes both through `tpl`.
 */
export function lokiAccessRules(): { httpSnippet: string; locationSnippet: string } {
  const httpSnippet = accessMap("loki_forbidden", [
    { user: LOKI_WRITER, path: "/loki/api/v1/push$", allow: true },
    { path: "/loki/api/v1/push$", allow: false },
    { user: LOKI_READER, path: "/loki/api/v1/", allow: true },
    { path: "/$", allow: true },
  ]);
  return { httpSnippet, locationSnippet: refuseForbidden("loki_forbidden") };
}
