import { LOKI_READER, LOKI_WRITER, lokiAccessRules } from "../../components/observability/gateway-auth";
import { allowedBy } from "../support/nginx-map";

describe("the gateway's access rules", () => {
  test("the writer only pushes, the reader only queries, nobody else gets past the probe path", () => {
    const allowed = (user: string, uri: string) => allowedBy(lokiAccessRules().httpSnippet, user, uri);
    expect(allowed(LOKI_WRITER, "/loki/api/v1/push")).toBe(true);
    expect(allowed(LOKI_WRITER, "/loki/api/v1/query_range")).toBe(false);
    expect(allowed(LOKI_READER, "/loki/api/v1/query_range")).toBe(true);
    expect(allowed(LOKI_READER, "/loki/api/v1/labels")).toBe(true);
    expect(allowed(LOKI_READER, "/loki/api/v1/push")).toBe(false);
    for (const uri of ["/loki/api/v1/push", "/loki/api/v1/query", "/api/prom/push", "/config", "/flush"]) expect(allowed("", uri)).toBe(false);
    expect(allowed(LOKI_READER, "/flush")).toBe(false);
    // The gateway routes deletion (the compactor) and rules (the ruler) under the same prefix: not a reader's.
    for (const uri of ["/loki/api/v1/delete", "/loki/api/v1/cache/generation_numbers", "/loki/api/v1/rules", "/loki/api/v1/rules/team/group"]) {
      expect([uri, allowed(LOKI_READER, uri)]).toEqual([uri, false]);
    }
    for (const uri of ["/loki/api/v1/query", "/loki/api/v1/label/app/values", "/loki/api/v1/series", "/loki/api/v1/tail", "/loki/api/v1/index/volume"]) {
      expect([uri, allowed(LOKI_READER, uri)]).toEqual([uri, true]);
    }
    // The chart's probes call `/` without credentials (templates/_helpers.tpl, `location = /`).
    expect(allowed("", "/")).toBe(true);
    expect(lokiAccessRules().locationSnippet).toBe("if ($loki_forbidden) { return 403; }");
    expect(JSON.stringify(lokiAccessRules())).not.toContain("{{");
  });
});
