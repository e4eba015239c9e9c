/** GitHub-flavoured Markdown tables for the workflow's summaries. */

/** Text made safe for one table cell: a "|" or a line break would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** `align`: "l" or "r" per column. Cells are escaped here. */
export function table(header: string[], align: string, rows: string[][]): string {
  const rule = [...align].map((a) => (a === "r" ? "---:" : "---"));
  return [header, rule, ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
