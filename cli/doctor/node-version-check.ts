import type { CheckResult } from "./check-result";

/** Node.js 20's end of life (nodejs.org's release schedule): still in the package's engines, no longer patched after it. */
const NODE_20_END_OF_LIFE = "2026-04-30";

/**
 * The running Node.js against the package's `engines.node` (a ">=major.minor[.patch]" range); Node.js 20 is
 * allowed but warned about, with the day its security fixes end.
 */
export function nodeVersionCheck(version: string, engines: string, today: string): CheckResult {
  const minimum = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(engines.trim())?.[1];
  if (!minimum)
    return { check: "node", status: "warn", detail: `Node.js ${version}; the package's engines.node (${engines}) is not a ">=x.y" range doctor reads` };
  if (compareVersions(version, minimum) < 0)
    return { check: "node", status: "FAIL", detail: `Node.js ${version} is older than the package needs (${engines}): install Node.js 22 or 24 (LTS)` };
  if (Number(version.split(".")[0]) === 20) {
    const when = today > NODE_20_END_OF_LIFE ? "reached its end of life on" : "reaches its end of life on";
    return {
      check: "node",
      status: "warn",
      detail: `Node.js ${version} works (${engines}), but Node.js 20 ${when} ${NODE_20_END_OF_LIFE}: move to Node.js 22 or 24 (LTS)`,
    };
  }
  return { check: "node", status: "ok", detail: `Node.js ${version} (the package needs ${engines})` };
}

/** Dotted numeric versions compared part by part, missing parts as 0: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
