/**
 * What an nginx `map` of regular expressions answers for a key: the first expression that
 * matches, in the order written, else the default (every key of the platform's maps is an
 * expression). `snippet` holds one `map` block.
 */
export function mapValue(snippet: string, key: string): string {
  const block = /map "[^"]*" \$\w+ \{\n([\s\S]*?)\n\}/.exec(snippet);
  if (!block) throw new Error(`no map block in ${snippet}`);
  const lines = block[1].split("\n").map((l) => l.trim().replace(/;$/, ""));
  const fallback = lines.find((l) => l.startsWith("default "))!.split(" ")[1];
  for (const line of lines.filter((l) => l.startsWith('"~'))) {
    const [, pattern, value] = /^"~(.*)" (\S+)$/.exec(line)!;
    if (new RegExp(pattern).test(key)) return value;
  }
  return fallback;
}

/** Whether a gateway whose map is in `snippet` lets `user` (empty: none) use `uri`. */
export function allowedBy(snippet: string, user: string, uri: string): boolean {
  return mapValue(snippet, `${user} ${uri}`) === "0";
}
