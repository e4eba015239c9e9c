/** What `fortiflex doctor` reports: one result per line, each a check's name, status and what a person can act on. */

/** The checks, in the order they run and print; each can be left out with `--skip`. */
export const CHECKS = [
  "node",
  "terraform",
  "customers-file",
  "credentials",
  "endpoints",
  "authentication",
  "programs",
  "accounts",
  "answer-shapes",
  "state-backend",
] as const;
export type CheckName = (typeof CHECKS)[number];

export type CheckStatus = "ok" | "FAIL" | "warn" | "skip";

export interface CheckResult {
  /** A check's name, or "save-answers" for what --save-answers wrote. */
  readonly check: CheckName | "save-answers";
  readonly status: CheckStatus;
  /** One line, or a first line and indented lines under it (a customers file's problems). */
  readonly detail: string;
}

const CHECK_WIDTH = Math.max(...CHECKS.map((c) => c.length));

/** The default output: `status  check  detail`, aligned, with a detail's further lines indented under it. */
export function checkLines(results: readonly CheckResult[]): string {
  return results
    .map((r) => `${r.status.padEnd(4)}  ${r.check.padEnd(CHECK_WIDTH)}  ${r.detail.split("\n").join(`\n${" ".repeat(CHECK_WIDTH + 8)}`)}\n`)
    .join("");
}
