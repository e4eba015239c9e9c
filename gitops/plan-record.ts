/**
 * What a plan job keeps of its stack's plan, uploaded as its artifact: the reviewer's summary, the
 * destructive actions the merge guard compares with, the drift, the digest of the directory that was
 * planned, and every planned change by address. Derived values only (counts, addresses, keys, attribute
 * names, the handler's drift text): the plan itself holds secret material and stays on the runner. A plan
 * that failed leaves a record saying so, so that it is reported rather than missing.
 *
 * A retired customer's record is of its destroy plan (`mode: "destroy"`), with what its ordinary plan still
 * had pending: a decommission that was never applied shows there, and such a retirement is refused.
 *
 *   fortiflex gitops plan-record <stack> <plan JSON> --digest <stack dir digest> [--retirement <ordinary plan JSON>]
 *   fortiflex gitops plan-record --failed <stack> <reason>
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { destructiveActions, type DestructiveAction } from "./destructive-actions";
import { driftOf, pendingChanges, type PendingChange, type PlanDrift } from "./plan-drift";
import { summarizePlan, type StackSummary } from "./plan-summary";
import { readPlanJson, type PlanJson } from "./terraform-plan-json";
import { type GitopsCommand, optionsOf, usageMistake } from "./gitops-command";

export interface PlanRecord extends StackSummary {
  /** SHA-256 of the stack directory that was planned (gitops/stack-digest.ts). */
  readonly digest: string;
  /** "apply": an ordinary plan; "destroy": a retired customer's destroy plan. */
  readonly mode: "apply" | "destroy";
  /** Every resource the plan changes, with its action: the counts and destructive actions must agree with it. */
  readonly changes: PendingChange[];
  readonly destructive: DestructiveAction[];
  readonly drift: PlanDrift;
  /** Retired customers: what the ordinary plan of the decommissioned stack still had pending (empty: nothing left to do). */
  readonly retirement?: { readonly pending: PendingChange[] };
}

export interface FailedPlanRecord {
  readonly stack: string;
  /** What failed and where to read why (the job log). */
  readonly failed: string;
}

/** A stack's outcome in a matrix run; "missing" when its job left no record (cancelled, or failed before writing one). */
export type PlanOutcome =
  { readonly status: "planned"; readonly record: PlanRecord } | { readonly status: "failed"; readonly reason: string } | { readonly status: "missing" };

export function recordOf(stack: string, plan: PlanJson, digest: string, retirement?: PlanJson): PlanRecord {
  return {
    ...summarizePlan(stack, plan),
    digest,
    mode: retirement ? "destroy" : "apply",
    changes: pendingChanges(plan, true),
    destructive: destructiveActions(plan),
    drift: driftOf(plan),
    ...(retirement ? { retirement: { pending: pendingChanges(retirement, true) } } : {}),
  };
}

/**
 * What makes a record contradict itself: counts that are not its changes', a destructive action at an
 * address the plan does not change (or a Terraform destroy it does not destroy), a destroy plan that creates.
 * A record is written on a runner that ran the change's own Terraform, so it is checked, not trusted.
 */
export function recordProblems(r: PlanRecord): string[] {
  const problems: string[] = [];
  const count = (...actions: string[]) => r.changes.filter((c) => actions.includes(c.action)).length;
  const counted = { add: count("create", "replace"), change: count("update"), destroy: count("delete", "replace") };
  if (r.add !== counted.add || r.change !== counted.change || r.destroy !== counted.destroy) {
    problems.push(
      `its counts (${r.add} to add, ${r.change} to change, ${r.destroy} to destroy)` +
        ` are not those of its changes (${counted.add}, ${counted.change}, ${counted.destroy})`,
    );
  }
  const actionAt = new Map(r.changes.map((c) => [c.address, c.action]));
  for (const a of r.destructive) {
    const action = actionAt.get(a.address);
    if (!action || action === "read") problems.push(`destructive action "${a.description}" names ${a.address}, which the plan does not change`);
    else if (a.id.startsWith("terraform ") && action !== "delete" && action !== "replace")
      problems.push(`destructive action "${a.description}" names ${a.address}, which the plan does not destroy (${action})`);
  }
  if (r.mode === "destroy" && r.changes.some((c) => c.action !== "delete")) problems.push("a destroy plan that does more than destroy");
  if (!/^[0-9a-f]{64}$/.test(r.digest)) problems.push("no digest of the planned directory");
  return problems;
}

/** Reads and checks one record file (written by this script, possibly on a runner that ran untrusted code). */
export function readPlanRecord(file: string): PlanRecord | FailedPlanRecord {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${file}: not a plan record (${(e as Error).message.split("\n")[0]})`);
  }
  if (!value || typeof value !== "object" || typeof value.stack !== "string") throw new Error(`${file}: not a plan record (no stack name)`);
  if (typeof value.failed === "string") return value as unknown as FailedPlanRecord;
  const drift = value.drift as Record<string, unknown> | undefined;
  const isList = (v: unknown, item: (x: Record<string, unknown>) => boolean) =>
    Array.isArray(v) && v.every((x) => !!x && typeof x === "object" && item(x as Record<string, unknown>));
  const text =
    (...keys: string[]) =>
    (x: Record<string, unknown>) =>
      keys.every((k) => typeof x[k] === "string");
  const complete =
    ["add", "change", "destroy"].every((k) => Number.isInteger(value[k])) &&
    typeof value.digest === "string" &&
    (value.mode === "apply" || value.mode === "destroy") &&
    Array.isArray(value.notes) &&
    (value.notes as unknown[]).every((n) => typeof n === "string") &&
    isList(value.changes, text("address", "action")) &&
    isList(value.destructive, text("id", "description", "address")) &&
    !!drift &&
    ["fortiflex", "azure", "pending"].every((k) => Array.isArray(drift[k])) &&
    (value.retirement === undefined || isList((value.retirement as Record<string, unknown>)?.pending, text("address", "action")));
  if (!complete)
    throw new Error(
      `${file}: plan record of ${value.stack} lacks counts, digest, changes, notes, destructive actions or drift` +
        " (written by an incompatible revision of plan-record?)",
    );
  return value as unknown as PlanRecord;
}

/** The outcome of each expected stack from a directory of `<stack>.json` records (one download of all the artifacts). */
export function readPlanOutcomes(dir: string, stacks: readonly string[]): Map<string, PlanOutcome> {
  const outcomes = new Map<string, PlanOutcome>();
  for (const stack of stacks) {
    const file = path.join(dir, `${stack}.json`);
    if (!fs.existsSync(file)) {
      outcomes.set(stack, { status: "missing" });
      continue;
    }
    let record: PlanRecord | FailedPlanRecord;
    try {
      record = readPlanRecord(file);
    } catch (e) {
      // A record comes from a runner that ran the change's Terraform: one bad record fails its stack, not the summary.
      outcomes.set(stack, { status: "failed", reason: (e as Error).message });
      continue;
    }
    if (record.stack !== stack) {
      outcomes.set(stack, { status: "failed", reason: `its record is of stack ${JSON.stringify(record.stack.slice(0, 100))}` });
      continue;
    }
    if ("failed" in record) {
      outcomes.set(stack, { status: "failed", reason: record.failed });
      continue;
    }
    const problems = recordProblems(record);
    outcomes.set(
      stack,
      problems.length ? { status: "failed", reason: `its record contradicts itself: ${problems.join("; ")}` } : { status: "planned", record },
    );
  }
  return outcomes;
}

/** A JSON list of stack names (the matrix list the workflow passes on). */
export function parseStackList(text: string): string[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.some((s) => typeof s !== "string" || !/^[A-Za-z0-9_.-]+$/.test(s))) {
    throw new Error(`expected a JSON list of stack names, got ${JSON.stringify(text.slice(0, 100))}`);
  }
  return list as string[];
}

export const planRecordCommand: GitopsCommand = {
  name: "plan-record",
  usage: "<stack> <plan JSON> --digest <stack dir digest> [--retirement <ordinary plan JSON>], or --failed <stack> <reason>",
  summary: "what a plan job keeps of its stack's plan",
  run(args, io) {
    try {
      if (args[0] === "--failed" && args.length === 3) {
        io.stdout.write(`${JSON.stringify({ stack: args[1], failed: args[2] } satisfies FailedPlanRecord)}\n`);
        return 0;
      }
      const [stack, planFile, ...rest] = args;
      const options = optionsOf(rest, ["--digest", "--retirement"]);
      const digest = options?.get("--digest");
      const retirement = options?.get("--retirement");
      if (!stack || !planFile || stack.startsWith("-") || !digest) {
        return usageMistake(planRecordCommand, io);
      }
      io.stdout.write(`${JSON.stringify(recordOf(stack, readPlanJson(planFile), digest, retirement ? readPlanJson(retirement) : undefined))}\n`);
      return 0;
    } catch (e) {
      io.stderr.write(`plan-record: ${(e as Error).message}\n`);
      return 1;
    }
  },
};
