/**
 * Which customer stacks a change touches: compares two synth outputs (base branch vs. pull request) stack
 * by stack. A stack's cdk.tf.json holds everything it plans from, the handler asset's hash included, so
 * equal files mean an empty plan apart from drift.
 *
 *   node dist/gitops/changed-stacks.js <base cdktf.out> <head cdktf.out>   -> JSON on stdout
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isScript } from "./script-entry";

export interface StackChanges {
  /** In both, with a different configuration: plan and apply. */
  readonly changed: string[];
  /** New customers: plan and apply. */
  readonly added: string[];
  /** Gone from the customers file without being decommissioned: their resources still exist. */
  readonly removed: string[];
  /** Gone from the customers file after a decommission (the base declares no FortiFlex object and no Azure resource). */
  readonly retired: string[];
  readonly unchanged: number;
  /** Changed or added stacks without a remote backend: a runner's local state would be lost after the job. */
  readonly localState: string[];
}

export function changedStacks(baseOut: string, headOut: string): StackChanges {
  const digests = (out: string) => {
    const dir = path.join(out, "stacks");
    const result = new Map<string, string>();
    if (!fs.existsSync(dir)) return result;
    for (const name of fs.readdirSync(dir)) {
      for (const file of ["cdk.tf.json", "cdk.tf"]) {
        const p = path.join(dir, name, file);
        if (fs.existsSync(p)) result.set(name, crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex"));
      }
    }
    return result;
  };
  /** The backend type of a synthesized stack ("local" when none is declared, Terraform's default). */
  const backendOf = (name: string) => {
    const json = path.join(headOut, "stacks", name, "cdk.tf.json");
    if (fs.existsSync(json)) return Object.keys((JSON.parse(fs.readFileSync(json, "utf8")) as { terraform?: { backend?: object } }).terraform?.backend ?? { local: {} })[0];
    const hcl = fs.readFileSync(path.join(headOut, "stacks", name, "cdk.tf"), "utf8");
    return /^\s*backend\s+"([^"]+)"/m.exec(hcl)?.[1] ?? (/^\s*cloud\s*\{/m.test(hcl) ? "cloud" : "local");
  };
  const base = digests(baseOut);
  const head = digests(headOut);
  const changed = [...head.keys()].filter((k) => base.has(k) && base.get(k) !== head.get(k)).sort();
  const added = [...head.keys()].filter((k) => !base.has(k)).sort();
  const gone = [...base.keys()].filter((k) => !head.has(k)).sort();
  const retired = gone.filter((k) => decommissioned(path.join(baseOut, "stacks", k)));
  const removed = gone.filter((k) => !retired.includes(k));
  const localState = [...changed, ...added].filter((name) => backendOf(name) === "local").sort();
  return { changed, added, removed, retired, unchanged: head.size - changed.length - added.length, localState };
}

/**
 * True when a synthesized stack is a decommissioned customer: nothing but the stack's FortiFlex owner and
 * reconcile steps (which declare no key) and providers.
 */
function decommissioned(stackDir: string): boolean {
  const json = path.join(stackDir, "cdk.tf.json");
  if (!fs.existsSync(json)) return false;
  const tf = JSON.parse(fs.readFileSync(json, "utf8")) as { resource?: Record<string, Record<string, { triggers?: Record<string, string> }>>; data?: object };
  const resources = Object.entries(tf.resource ?? {}).flatMap(([type, blocks]) => Object.entries(blocks).map(([id, block]) => ({ type, id, block })));
  const reconcile = resources.find((r) => r.id.startsWith("FortiFlexRuntime_Reconcile"));
  return !tf.data && reconcile?.block.triggers?.declared === "[]" && resources.every((r) => /^FortiFlexRuntime_(Owner|Reconcile)/.test(r.id));
}

if (isScript("changed-stacks")) {
  const [baseOut, headOut] = process.argv.slice(2);
  if (!baseOut || !headOut) {
    process.stderr.write("usage: changed-stacks <base cdktf.out> <head cdktf.out>\n");
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(changedStacks(baseOut, headOut))}\n`);
}
