import Table from "cli-table3";
import { stringify } from "csv-stringify/sync";

export type OutputFormat = "table" | "csv" | "json";
export const OUTPUT_FORMATS: OutputFormat[] = ["table", "csv", "json"];

/** Renders rows (objects with the same keys) as an aligned table, CSV with a header, or JSON. */
export function render(rows: Record<string, unknown>[], columns: string[], format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? "" : String(r[c]))));
  if (format === "csv") return stringify([columns, ...cells]);
  if (!rows.length) return "(none)\n";
  const table = new Table({ head: columns, style: { head: [], border: [] }, chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" } });
  table.push(...cells);
  return `${table.toString()}\n`;
}
