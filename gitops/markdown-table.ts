/**
 * GitHub-flavoured Markdown for the workflow's summaries. Most text in them comes from a change under
 * review (file names, FortiFlex drift text, record notes written on a runner that ran its Terraform), so it
 * is written as text: an HTML comment, tag or mention in it must neither hide rows nor reach anyone.
 */

/** Text as literal Markdown text on one line: HTML, table cells, mentions and line breaks neutralized. */
export function text(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/@/g, "&#64;")
    .replace(/`/g, "&#96;")
    .replace(/\r\n|\r|\n/g, " ");
}

/** A cell: text, or lines of text shown one under the other. */
export type Cell = string | readonly string[];

/** `align`: "l" or "r" per column. Cells are escaped here (see text); emphasis (`**`) is kept. */
export function table(header: string[], align: string, rows: Cell[][]): string {
  const rule = [...align].map((a) => (a === "r" ? "---:" : "---"));
  const cell = (c: Cell) => (typeof c === "string" ? [c] : c).map(text).join("<br>");
  return [header, rule, ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** A bullet list of text items. */
export function list(items: readonly string[]): string {
  return items.map((i) => `- ${text(i)}`).join("\n");
}
