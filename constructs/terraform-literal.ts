import { Token } from "cdktf";

/**
 * `text` written so that Terraform reads it literally. Terraform evaluates `${...}` and `%{...}` in every
 * string of a configuration, JSON included, so a description such as `${file("/proc/self/environ")}` would
 * run inside the process that holds the FortiFlex credentials. Doubling the `$` or `%` makes it plain text.
 * Tokens (references cdktf resolves into Terraform expressions) are left as they are: they are meant to be
 * evaluated.
 */
export function terraformLiteral(text: string): string {
  if (Token.isUnresolved(text)) return text;
  // A function as replacement: in a replacement string "$$" would mean one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Every value of a string map, as Terraform literals. */
export function terraformLiterals(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [terraformLiteral(k), terraformLiteral(v)]));
}
