import { originOf } from "./defaults-merge";
import { shortText } from "./short-text";
import type { YamlLocator } from "./yaml-locator";

/**
 * A part of the customers file as written (one customer entry with defaults merged under it, or the file's top
 * level), naming its fields in problems: "file:line:col: customer "contoso" (customers[0]): fortigate.cpu = 4
 * (from defaults): ...". The line is the value's, or its nearest parent's when it is missing; without a parsed
 * YAML document (values given as objects) there is no line.
 */
export class WrittenFields {
  constructor(
    /** "customer "contoso" (customers[0])", or "" for the top level. */
    readonly label: string,
    private readonly written: {
      /** Where the part is in the document: ["customers", 0], or [] for the top level. */
      readonly at: readonly PropertyKey[];
      readonly defaults: unknown;
      readonly entry: unknown;
      readonly merged: unknown;
    },
    private readonly source?: YamlLocator,
  ) {}

  valueAt(path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), this.written.merged);
  }

  /** Whether the entry or defaults say the field. */
  says(path: readonly PropertyKey[]): boolean {
    return originOf(this.written.defaults, this.written.entry, path).present;
  }

  /** "file:line:col: " of the field (its key with `key: true`), or "" without a document. */
  where(path: readonly PropertyKey[], options: { readonly key?: boolean } = {}): string {
    if (!this.source) return "";
    const origin = originOf(this.written.defaults, this.written.entry, path);
    const base = origin.from === "defaults" ? ["defaults"] : this.written.at;
    return `${this.source.at([...base, ...origin.written], { key: options.key || !origin.present })}: `;
  }

  /**
   * A problem of the field at `path`: its line, the part's label, the field, its value (unless `showValue` is
   * false) and whether defaults gave it. `locate` is the path whose line is shown (an unknown key's own).
   */
  problem(path: readonly PropertyKey[], message: string, options: { readonly showValue?: boolean; readonly locate?: readonly PropertyKey[] } = {}): string {
    const located = options.locate ?? path;
    const origin = originOf(this.written.defaults, this.written.entry, located);
    const value = this.valueAt(path);
    const shown = options.showValue === false ? "" : value === undefined ? " = (missing)" : ` = ${shortText(JSON.stringify(value) ?? String(value))}`;
    const fromDefaults = origin.present && origin.from === "defaults" ? " (from defaults)" : "";
    const field = fieldName(path);
    const subject = field ? `${field}${shown}${fromDefaults}: ` : fromDefaults ? "(from defaults): " : "";
    return `${this.where(located, { key: options.locate !== undefined })}${this.label ? `${this.label}: ` : ""}${subject}${message}`;
  }
}

/** "fortigate.publicPorts[0].port", as a person would write the path. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${k === "" ? '""' : shortText(String(k), 40)}`)).join("");
}
