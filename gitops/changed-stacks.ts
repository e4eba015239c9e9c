/**
 * Which customer stacks a change touches: compares two synth outputs (base vs. the change) stack by stack,
 * by the digest of each stack's whole directory (configuration, lock file and assets: a handler changed by
 * the build shows even when cdk.tf.json stays the same). Equal digests mean an empty plan apart from drift.
 *
 *   fortiflex gitops changed-stacks <base cdktf.out> <head cdktf.out>   -> JSON on stdout
 *   exit 0; 1 when a stack directory is refused (its problems are in the JSON and on stderr); 2: bad usage
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stackDigest } from "./stack-digest";
import { type GitopsCommand, usageMistake } from "./gitops-command";
import { STEP_IDS } from "../contract/handler-contract";
import { fixedTriggersOf, hasStepId } from "../contract/step-address";

export interface StackChanges {
  /** In both, with a different directory: plan and apply. */
  readonly changed: string[];
  /** New customers: plan and apply. */
  readonly added: string[];
  /** Gone from the customers file without being decommissioned: their resources still exist. */
  readonly removed: string[];
  /**
   * Gone after a decommission (the base declares no FortiFlex object and no Azure resource): planned from the
   * base's directory, to prove its state holds nothing more, and destroyed by the apply.
   */
  readonly retired: string[];
  readonly unchanged: number;
  /** Changed or added stacks without a remote backend: a runner's local state would be lost after the job. */
  readonly localState: string[];
  /** The digest of each stack to plan: the head's directory, or the base's for a retired stack. */
  readonly digests: Record<string, string>;
  /** For each changed stack, the files that differ (added, removed or changed). */
  readonly files: Record<string, string[]>;
  /** Stack directories refused (unexpected files, links, an asset not matching its hash): "<stack>: <problem>". */
  readonly problems: string[];
}

const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function changedStacks(baseOut: string, headOut: string): StackChanges {
  const problems: string[] = [];
  const read = (out: string, side: string) => {
    const dir = path.join(out, "stacks");
    const result = new Map<string, ReturnType<typeof stackDigest>>();
    if (!fs.existsSync(dir)) return result;
    for (const name of fs.readdirSync(dir).sort()) {
      // Names travel into shell loops, job matrices, environment and artifact names.
      if (!STACK_NAME.test(name)) {
        problems.push(`${JSON.stringify(name.slice(0, 80))} (${side}): not a stack name (letters, digits, "-" and "_", at most 64)`);
        continue;
      }
      const d = stackDigest(path.join(dir, name));
      result.set(name, d);
      for (const p of d.problems) problems.push(`${name} (${side}): ${p}`);
    }
    return result;
  };
  const base = read(baseOut, "base");
  const head = read(headOut, "head");
  const names = (m: Map<string, unknown>) => [...m.keys()];
  const changed = names(head).filter((k) => base.has(k) && (base.get(k)!.digest !== head.get(k)!.digest || !head.get(k)!.digest));
  const added = names(head).filter((k) => !base.has(k));
  const gone = names(base).filter((k) => !head.has(k));
  const retired = gone.filter((k) => decommissioned(path.join(baseOut, "stacks", k)));
  const removed = gone.filter((k) => !retired.includes(k));
  const localState = [...changed, ...added].filter((name) => backendOf(path.join(headOut, "stacks", name)) === "local").sort();
  const digests = Object.fromEntries([...[...changed, ...added].map((k) => [k, head.get(k)!.digest]), ...retired.map((k) => [k, base.get(k)!.digest])].sort());
  const files = Object.fromEntries(changed.map((k) => [k, differingFiles(base.get(k)!.files, head.get(k)!.files)]));
  return { changed, added, removed, retired, unchanged: head.size - changed.length - added.length, localState, digests, files, problems };
}

function differingFiles(before: readonly { path: string; sha256: string }[], after: readonly { path: string; sha256: string }[]): string[] {
  const a = new Map(before.map((f) => [f.path, f.sha256]));
  const b = new Map(after.map((f) => [f.path, f.sha256]));
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => a.get(p) !== b.get(p)).sort();
}

/** The backend type of a synthesized stack ("local" when none is declared, Terraform's default). */
function backendOf(stackDir: string): string {
  const json = path.join(stackDir, "cdk.tf.json");
  try {
    if (fs.existsSync(json))
      return Object.keys((JSON.parse(fs.readFileSync(json, "utf8")) as { terraform?: { backend?: object } }).terraform?.backend ?? { local: {} })[0] ?? "local";
    const hcl = fs.readFileSync(path.join(stackDir, "cdk.tf"), "utf8");
    return /^\s*backend\s+"([^"]+)"/m.exec(hcl)?.[1] ?? (/^\s*cloud\s*\{/m.test(hcl) ? "cloud" : "local");
  } catch {
    return "local";
  }
}

/**
 * True when a synthesized stack is a decommissioned customer: nothing but the stack's FortiFlex stop-all and
 * reconcile steps (which declare no key) and providers.
 */
function decommissioned(stackDir: string): boolean {
  const json = path.join(stackDir, "cdk.tf.json");
  if (!fs.existsSync(json)) return false;
  try {
    const tf = JSON.parse(fs.readFileSync(json, "utf8")) as {
      resource?: Record<string, Record<string, { triggers?: Record<string, string> | string; triggers_replace?: Record<string, string> | string }>>;
      locals?: Record<string, Record<string, string>>;
      data?: object;
    };
    const resources = Object.entries(tf.resource ?? {}).flatMap(([type, blocks]) => Object.entries(blocks).map(([id, block]) => ({ type, id, block })));
    const reconcile = resources.find((r) => hasStepId(r.id, STEP_IDS.reconcile));
    const runtime = [STEP_IDS.reconcile, STEP_IDS.stopAllOnDestroy, STEP_IDS.owner];
    return (
      !tf.data &&
      !!reconcile &&
      fixedTriggersOf(tf, reconcile.block).declared === "[]" &&
      resources.every((r) => r.id.startsWith("FortiFlexRuntime_") && runtime.some((id) => hasStepId(r.id, id)))
    );
  } catch {
    return false;
  }
}

export const changedStacksCommand: GitopsCommand = {
  name: "changed-stacks",
  usage: "<base cdktf.out> <head cdktf.out>",
  summary: "the stacks a change touches, by directory digest",
  run(args, io) {
    const [baseOut, headOut] = args;
    if (!baseOut || !headOut || args.length !== 2) {
      return usageMistake(changedStacksCommand, io);
    }
    const changes = changedStacks(baseOut, headOut);
    io.stdout.write(`${JSON.stringify(changes)}\n`);
    if (!changes.problems.length) return 0;
    io.stderr.write(`changed-stacks: stack directories refused:\n${changes.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 1;
  },
};
