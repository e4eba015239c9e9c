/**
 * What a plan job keeps of its stack's plan, uploaded as its artifact: the reviewer's summary, the
 * destructive actions the merge guard compares with, and the drift. Derived values only (counts, addresses,
 * keys, attribute names, the handler's drift text): the plan itself holds secret material and stays on the
 * runner. A plan that failed leaves a record saying so, so that it is reported rather than missing.
 *
 *   node dist/gitops/plan-record.js <stack> <terraform show -json output>   -> record JSON on stdout
 *   node dist/gitops/plan-record.js --failed <stack> <reason>               -> failed-plan record JSON
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { destructiveActions, type DestructiveAction } from "./destructive-actions";
import { driftOf, type PlanDrift } from "./plan-drift";
import { summarizePlan, type StackSummary } from "./plan-summary";
import { readPlanJson, type PlanJson } from "./terraform-plan-json";
import { isScript } from "./script-entry";

export interface PlanRecord extends StackSummary {
  readonly destructive: DestructiveAction[];
  readonly drift: PlanDrift;
}

export interface FailedPlanRecord {
  readonly stack: string;
  /** What failed and where to read why (the job log). */
  readonly failed: string;
}

/** A stack's outcome in a matrix run; "missing" when its job left no record (cancelled, or failed before writing one). */
export type PlanOutcome = { readonly status: "planned"; readonly record: PlanRecord } | { readonly status: "failed"; readonly reason: string } | { readonly status: "missing" };

export function recordOf(stack: string, plan: PlanJson): PlanRecord {
  return { ...summarizePlan(stack, plan), destructive: destructiveActions(plan), drift: driftOf(plan) };
}

/** Reads and checks one record file (written by this script, possibly by an older revision of it). */
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
  const complete = ["add", "change", "destroy"].every((k) => typeof value[k] === "number") && Array.isArray(value.notes) && Array.isArray(value.destructive) && !!drift && ["fortiflex", "azure", "pending"].every((k) => Array.isArray(drift[k]));
  if (!complete) throw new Error(`${file}: plan record of ${value.stack} lacks counts, notes, destructive actions or drift (written by an incompatible revision of plan-record?)`);
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
    const record = readPlanRecord(file);
    if (record.stack !== stack) throw new Error(`${file}: the record is of stack ${record.stack}, not ${stack}`);
    outcomes.set(stack, "failed" in record ? { status: "failed", reason: record.failed } : { status: "planned", record });
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

if (isScript("plan-record")) {
  const args = process.argv.slice(2);
  try {
    if (args[0] === "--failed" && args.length === 3) {
      process.stdout.write(`${JSON.stringify({ stack: args[1], failed: args[2] } satisfies FailedPlanRecord)}\n`);
    } else if (args.length === 2 && !args[0].startsWith("-")) {
      process.stdout.write(`${JSON.stringify(recordOf(args[0], readPlanJson(args[1])))}\n`);
    } else {
      process.stderr.write("usage: plan-record <stack> <terraform show -json output>\n       plan-record --failed <stack> <reason>\n");
      process.exit(2);
    }
  } catch (e) {
    process.stderr.write(`plan-record: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
