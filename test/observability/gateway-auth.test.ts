import { LOKI_READER, LOKI_WRITER, lokiAccessRules } from "../../components/observability/gateway-auth";

/**
 * What nginx's `map` answers for `"$remote_user $uri"`: the first regular expression that
 * matches, in the order written, else the default (the map's keys here are all expressions).
 */
function forbidden(user: string, uri: string): string {
  const lines = lokiAccessRules().httpSnippet.split("\n").slice(1, -1).map((l) => l.trim().replace(/;$/, ""));
  const fallback = lines.find((l) => l.startsWith("default "))!.split(" ")[1];
  for (const line of lines.filter((l) => l.startsWith('"~'))) {
    const [, pattern, value] = /^"~(.*)" (\S+)$/.exec(line)!;
    if (new RegExp(pattern).test(`${user} ${uri}`)) return value;
  }
  return fallback;
}

describe("the gateway's access rules", () => {
  test("the writer only pushes, the reader only queries, nobody else gets past the probe path", () => {
    const allowed = (user: string, uri: string) => forbidden(user, uri) === "0";
    expect(allowed(LOKI_WRITER, "/loki/api/v1/push")).toBe(true);
    expect(allowed(LOKI_WRITER, "/loki/api/v1/query_range")).toBe(false);
    expect(allowed(LOKI_READER, "/loki/api/v1/query_range")).toBe(true);
    expect(allowed(LOKI_READER, "/loki/api/v1/labels")).toBe(true);
    expect(allowed(LOKI_READER, "/loki/api/v1/push")).toBe(false);
    for (const uri of ["/loki/api/v1/push", "/loki/api/v1/query", "/api/prom/push", "/config", "/flush"]) expect(allowed("", uri)).toBe(false);
    expect(allowed(LOKI_READER, "/flush")).toBe(false);
    // The chart's probes call `/` without credentials (templates/_helpers.tpl, `location = /`).
    expect(allowed("", "/")).toBe(true);
    expect(lokiAccessRules().locationSnippet).toBe("if ($loki_forbidden) { return 403; }");
    expect(JSON.stringify(lokiAccessRules())).not.toContain("{{");
  });
});
