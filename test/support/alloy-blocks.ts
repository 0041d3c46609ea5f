/** Top-level blocks of an Alloy config, checking that strings close and brackets balance and nest. */
export function alloyBlocks(text: string): string[] {
  const pairs: Record<string, string> = { "}": "{", "]": "[", ")": "(" };
  const stack: string[] = [];
  const blocks: string[] = [];
  let header = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i < 0) break;
    } else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length || text[i] === "\n") throw new Error(`unterminated string at ${start}`);
        if (text[i] === "\\") i++;
      }
      if (stack.length === 0) header += text.slice(start, i + 1);
    } else if ("{[(".includes(c)) {
      if (stack.length === 0) blocks.push(header.trim().replace(/\s+/g, " "));
      stack.push(c);
    } else if ("}])".includes(c)) {
      if (stack.pop() !== pairs[c]) throw new Error(`unbalanced ${c} at ${i}`);
      if (stack.length === 0) header = "";
    } else if (stack.length === 0) header += c;
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join("")}`);
  if (header.trim()) throw new Error(`text after the last block: ${header.trim()}`);
  return blocks;
}
