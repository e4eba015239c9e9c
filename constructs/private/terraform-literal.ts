import { Token } from "cdktf";

/**
 * `text` written so that Terraform reads it literally. Terraform evaluates `${...}` and `%{...}` in every
 * string of a configuration, JSON included, so a description such as `${file("/proc/self/environ")}` would
 * run inside the process that holds the FortiFlex credentials. Doubling the `$` or `%` makes it plain text.
 * cdktf token markers (references it resolves into Terraform expressions) are kept, and only those: text
 * around them is escaped as well.
 */
export function terraformLiteral(text: string): string {
  return text
    .split(TOKEN_MARKER)
    .map((part, i) => (i % 2 ? part : part.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{")))
    .join("");
}

/** Every value of a string map, as Terraform literals. */
export function terraformLiterals(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [terraformLiteral(k), terraformLiteral(v)]));
}

/** cdktf's string and list token markers (captured, so that split keeps them). */
const TOKEN_MARKER = /(\$\{TfToken\[[^\]]*\]\}|#\{TfToken\[[^\]]*\]\})/;

/**
 * True when `text` holds a cdktf token marker: a reference made in this process, or text crafted to look
 * like one (which would resolve to one of the library's own expressions, a license token for instance).
 * Fields that only ever take literal text refuse both.
 */
export function hasTokenMarker(text: string): boolean {
  return Token.isUnresolved(text) || /TfToken\[/.test(text);
}
