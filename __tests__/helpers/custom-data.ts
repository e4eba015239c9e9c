/**
 * Turns the synthesized `custom_data` expression back into the document FortiOS receives: the
 * `base64encode(join("", [<literal>, <reference>, <literal>, ...]))` that the FortiGate constructs emit,
 * with the token reference replaced by `token` and a pair's derived HA password by `other(reference)`.
 */
export function renderCustomData(expression: string, token: string, other: (reference: string) => string = (r) => `<${r}>`): string {
  const m = /^\$\{base64encode\(join\("", \[(.*)\]\)\)\}$/s.exec(expression);
  if (!m) throw new Error(`unexpected custom_data expression: ${expression.slice(0, 80)}`);
  const items = splitTopLevel(m[1]);
  return items
    .map((item) => {
      if (item.startsWith('"')) return (JSON.parse(item) as string).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
      // The derived HA password is a sha256(...) expression; any other reference is the token.
      return /^substr\(sha256\(/.test(item) ? other(item) : token;
    })
    .join("");
}

/** Splits "a, b(c, d), "e, f"" at top-level commas, respecting strings and parentheses. */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

export interface MimePart {
  headers: Record<string, string>;
  body: string;
}

/** A strict parser of the multipart document: top-level headers, boundary, parts in order. */
export function parseMultipart(doc: string): { headers: Record<string, string>; parts: MimePart[] } {
  const [head, ...rest] = doc.split("\n\n");
  const headers = parseHeaders(head);
  const boundary = /boundary="([^"]+)"/.exec(headers["Content-Type"] ?? "")?.[1];
  if (!boundary) throw new Error("no boundary in Content-Type");
  const bodyText = rest.join("\n\n");
  const segments = bodyText.split(`--${boundary}`);
  if (segments[0] !== "") throw new Error(`text before the first boundary: ${JSON.stringify(segments[0])}`);
  const last = segments[segments.length - 1];
  if (!last.startsWith("--")) throw new Error("no closing boundary");
  const parts = segments.slice(1, -1).map((segment) => {
    const s = segment.replace(/^\n/, "");
    const split = s.indexOf("\n\n");
    return { headers: parseHeaders(s.slice(0, split)), body: s.slice(split + 2).replace(/\n$/, "") };
  });
  return { headers, parts };
}

function parseHeaders(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split("\n").map((line) => {
      const i = line.indexOf(":");
      if (i < 0) throw new Error(`bad header line ${JSON.stringify(line)}`);
      return [line.slice(0, i), line.slice(i + 1).trim()];
    }),
  );
}
