/**
 * The pull request's one summary, made by the base's pipeline from what the change's jobs left: a row per
 * planned stack (failed and missing plans included, never dropped) with its daily FortiFlex points before and
 * after and the fleet's total; every action the merge would stop, disable or destroy, as the merge guard will
 * hold the apply to it; retirements; the files of the change that can alter what runs; the files that differ
 * in each stack directory; references into another customer's resources. Everything taken from the change
 * is written as text (markdown-table.ts). The same Markdown goes to the run's step summary and, marked so
 * that later pushes edit it in place, to the pull-request comment (with --max-chars, shortened to fit:
 * GitHub refuses comments over 65536 characters).
 *
 *   fortiflex gitops review-summary --changes <changed-stacks JSON> --records <dir> --points <points JSON> --run-url <url>
 *        [--inputs <changed-inputs JSON>] [--references <cross-references JSON>] [--max-chars <n>]
 *   exit 0: nothing blocks the merge; 1: something does (a plan without a result, a refused retirement); 2: bad input
 */
import * as fs from "node:fs";
import type { StackChanges } from "./changed-stacks";
import type { ChangedInputs } from "./changed-inputs";
import type { StackCrossReferences } from "./cross-references";
import { list, table, text, type Cell } from "./markdown-table";
import { readPlanOutcomes, type PlanOutcome } from "./plan-record";
import { readPointsDelta, type PointsDelta } from "./points-delta";
import { type GitopsCommand, optionsOf, usageMistake } from "./gitops-command";

/** Finds the comment again on the next push (only comments of the workflow's own bot are considered). */
export const REVIEW_MARKER = "<!-- fortiflex-stacks -->";

export interface ReviewInput {
  /** The stacks planned: changed, added and retired. */
  readonly stacks: readonly string[];
  readonly outcomes: ReadonlyMap<string, PlanOutcome>;
  /** Or why they could not be computed. */
  readonly points: PointsDelta | { readonly unavailable: string };
  readonly runUrl: string;
  readonly changes?: Pick<StackChanges, "retired" | "files">;
  readonly inputs?: ChangedInputs;
  readonly references?: readonly StackCrossReferences[];
}

export interface Review {
  readonly markdown: string;
  /** What stops the merge: plans without a result, refused retirements. Empty: nothing. */
  readonly blockers: string[];
}

export function review(input: ReviewInput, maxChars = Infinity): Review {
  const blockers = blockersOf(input);
  const full = render(input, blockers, true);
  return { markdown: full.length <= maxChars ? full : render(input, blockers, false), blockers };
}

function blockersOf(input: ReviewInput): string[] {
  const blockers: string[] = [];
  for (const stack of input.stacks) {
    const o = outcomeOf(input, stack);
    if (o.status !== "planned") blockers.push(`${stack}: no plan result`);
    else if (o.record.retirement?.pending.length) blockers.push(`${stack}: retirement refused (its decommission is not applied)`);
  }
  return blockers;
}

function render(input: ReviewInput, blockers: readonly string[], withDetails: boolean): string {
  const lines = [
    REVIEW_MARKER,
    `### FortiFlex customer stacks: ${input.stacks.length} changed`,
    "",
    ...stackTable(input, withDetails),
    ...destructiveSection(input),
    ...(blockers.length ? [`**The merge applies nothing until this is resolved:** ${blockers.map(text).join("; ")}.`, ""] : []),
    ...inputSections(input.inputs),
    ...(withDetails ? stackFileSection(input) : []),
    ...referenceSection(input),
    ...retirementLines(input),
    ...closingLines(input, withDetails),
  ];
  return `${lines.join("\n")}\n`;
}

/** A titled part of the summary: heading, one line on what it means, its table or list. */
function section(title: string, meaning: string, body: string): string[] {
  return [`#### ${title}`, "", meaning, "", body, ""];
}

function outcomeOf(input: ReviewInput, stack: string): PlanOutcome {
  return input.outcomes.get(stack) ?? { status: "missing" };
}

/** A row per planned stack, failed and missing plans included, then the fleet's daily points. */
function stackTable(input: ReviewInput, withDetails: boolean): string[] {
  if (!input.stacks.length) return ["No customer stack changes.", ""];
  const rows = input.stacks.map((stack) => stackRow(input, stack, withDetails));
  if (!("unavailable" in input.points)) {
    const fleet = input.points.fleet;
    rows.push(["**fleet** (all customers)", "", "", "", "", pointsChange(fleet.before, fleet.after), ""]);
  }
  return [table(["stack", "plan", "add", "change", "destroy", "daily points", "notes"], "llrrrrl", rows), ""];
}

function stackRow(input: ReviewInput, stack: string, withDetails: boolean): Cell[] {
  const outcome = outcomeOf(input, stack);
  const points = stackPoints(input, stack);
  if (outcome.status !== "planned") {
    const why = outcome.status === "failed" ? outcome.reason : `its plan job left no result (cancelled, or failed before planning): see ${input.runUrl}`;
    return [stack, outcome.status === "failed" ? "**FAILED**" : "**NO RESULT**", "", "", "", points, why];
  }
  const r = outcome.record;
  const pending = r.retirement?.pending ?? [];
  const status = r.mode === "destroy" ? (pending.length ? "**RETIREMENT REFUSED**" : "retire") : "planned";
  const notes = pending.length
    ? [`its decommission is not applied: ${pending.map((p) => `${p.address} (${p.action})`).join(", ")}`]
    : withDetails
      ? r.notes
      : ["see the run summary"];
  return [stack, status, String(r.add), String(r.change), String(r.destroy), points, notes.length ? notes : "-"];
}

/** A stack's daily points before and after; "?" when they could not be computed, "-" when they name no such stack. */
function stackPoints(input: ReviewInput, stack: string): string {
  if ("unavailable" in input.points) return "?";
  const row = input.points.customers.find((c) => c.stack === stack);
  return row ? pointsChange(row.before, row.after) : "-";
}

/** Every action the merge would stop, disable or destroy: the merge guard holds each apply to this list. */
function destructiveSection(input: ReviewInput): string[] {
  const destructive = input.stacks.flatMap((stack) => {
    const o = outcomeOf(input, stack);
    return o.status === "planned" ? o.record.destructive.map((a) => [stack, a.description]) : [];
  });
  if (!destructive.length) return [];
  return section(
    `What the merge stops, disables or destroys (${destructive.length})`,
    "The apply of each stack refuses anything beyond this list.",
    table(["stack", "action"], "ll", destructive),
  );
}

/** The files of the change that can alter what runs: the build, the workflows, the GitOps scripts. */
function inputSections(inputs: ChangedInputs | undefined): string[] {
  const lines: string[] = [];
  if (inputs?.build.length) {
    lines.push(
      ...section(
        `Files of this change that can alter what runs for every customer (${inputs.build.length})`,
        "Not the customers file or documentation: review them as code (code owners).",
        list(capped(inputs.build)),
      ),
    );
  }
  if (inputs?.workflows.length) {
    lines.push(
      ...section(
        `**The workflows themselves change (${inputs.workflows.length}): in force from this merge on, its own apply included**`,
        "GitHub runs a push's workflows as the merged commit has them: review these as the pipeline that will apply this change.",
        list(capped(inputs.workflows)),
      ),
    );
  }
  if (inputs?.judge.length) {
    lines.push(
      ...section(
        `The GitOps scripts change (${inputs.judge.length})`,
        "This review was judged by the base's scripts, and so will its apply be; these changes judge later merges.",
        list(capped(inputs.judge)),
      ),
    );
  }
  return lines;
}

/** Stack directories in which more than the configuration differs (an asset, the lock file). */
function stackFileSection(input: ReviewInput): string[] {
  const files = Object.entries(input.changes?.files ?? {}).filter(([stack]) => input.stacks.includes(stack));
  const beyondConfiguration = files.filter(([, f]) => f.some((p) => p !== "cdk.tf.json" && p !== "cdk.tf"));
  if (!beyondConfiguration.length) return [];
  return section(
    "Stack directories whose files other than the configuration differ",
    "A changed asset (the FortiFlex handler) or lock file changes what Terraform runs without showing in the configuration.",
    table(
      ["stack", "files that differ"],
      "ll",
      beyondConfiguration.map(([stack, f]) => [stack, capped(f)]),
    ),
  );
}

function referenceSection(input: ReviewInput): string[] {
  const references = (input.references ?? []).filter((r) => input.stacks.includes(r.stack) && (r.references.length || r.unchecked || r.omitted));
  if (!references.length) return [];
  const rows = references.flatMap((r) => [
    ...r.references.map((x) => [r.stack, x.otherStack, x.id, x.where]),
    ...(r.omitted ? [[r.stack, "", `... and ${r.omitted} more`, ""]] : []),
    ...(r.unchecked ? [[r.stack, "?", `not checked: ${r.unchecked}`, ""]] : []),
  ]);
  return ["#### References to another customer's resources", "", table(["stack", "refers to customer", "resource", "where"], "llll", rows), ""];
}

function retirementLines(input: ReviewInput): string[] {
  const retired = [...new Set(input.changes?.retired ?? [])];
  if (!retired.length) return [];
  return [
    `Retired customers (${retired.map(text).join(", ")}): their destroy plan is applied only when their ordinary plan has nothing left to do;` +
      " their state is then empty.",
    "",
  ];
}

/** What the daily points are (or why they are missing), and where the run is. */
function closingLines(input: ReviewInput, withDetails: boolean): string[] {
  const lines = [
    "unavailable" in input.points
      ? `Daily points could not be computed: ${text(input.points.unavailable)}`
      : "Daily points: FortiFlex points per day of the ACTIVE entitlements each stack declares, priced with the points calculator (tools/calc)," +
        " before → after this pull request.",
  ];
  if (!withDetails) lines.push("", `The notes are left out here to keep this comment under GitHub's size limit; they are in the run summary: ${input.runUrl}`);
  lines.push("", `[Workflow run](${input.runUrl})`);
  return lines;
}

/** At most 50 items, then how many more. */
function capped(items: readonly string[]): string[] {
  return items.length <= 50 ? [...items] : [...items.slice(0, 50), `... and ${items.length - 50} more`];
}

/** "12.5 → 14 (+1.5)", or "12.5 (no change)". */
export function pointsChange(before: number, after: number): string {
  const n = (x: number) => String(Math.round(x * 100) / 100);
  const delta = Math.round((after - before) * 100) / 100;
  return delta === 0 ? `${n(before)} (no change)` : `${n(before)} → ${n(after)} (${delta > 0 ? "+" : ""}${n(delta)})`;
}

function readJson<T>(file: string, what: string, check: (v: unknown) => boolean): T {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not readable as JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (!check(value)) throw new Error(`${file}: not the output of ${what}`);
  return value as T;
}

const isStringList = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");

export const reviewSummaryCommand: GitopsCommand = {
  name: "review-summary",
  usage:
    "--changes <changed-stacks JSON> --records <dir> --points <points JSON> --run-url <url>" +
    " [--inputs <changed-inputs JSON>] [--references <cross-references JSON>] [--max-chars <n>]",
  summary: "the pull request's summary and what blocks its merge",
  run(args, io) {
    const options =
      optionsOf(args, ["--changes", "--records", "--points", "--run-url", "--inputs", "--references", "--max-chars"]) ?? new Map<string, string>();
    const maxChars = options.has("--max-chars") ? Number(options.get("--max-chars")) : Infinity;
    if (!["--changes", "--records", "--points", "--run-url"].every((o) => options.has(o)) || !(maxChars > 0)) {
      return usageMistake(reviewSummaryCommand, io);
    }
    try {
      const runUrl = options.get("--run-url")!;
      const changes = readJson<StackChanges>(
        options.get("--changes")!,
        "changed-stacks",
        (v) => !!v && typeof v === "object" && ["changed", "added", "retired"].every((k) => isStringList((v as Record<string, unknown>)[k])),
      );
      const stacks = [...changes.changed, ...changes.added, ...changes.retired].sort();
      const pointsFile = options.get("--points")!;
      const points = fs.existsSync(pointsFile)
        ? readPointsDelta(pointsFile)
        : { unavailable: `the points job left no result (${pointsFile} is missing): see ${runUrl}` };
      const inputs = options.has("--inputs")
        ? readJson<ChangedInputs>(
            options.get("--inputs")!,
            "changed-inputs",
            (v) => !!v && typeof v === "object" && ["build", "workflows", "judge"].every((k) => isStringList((v as Record<string, unknown>)[k])),
          )
        : undefined;
      const references = options.has("--references")
        ? readJson<StackCrossReferences[]>(options.get("--references")!, "cross-references", (v) => Array.isArray(v))
        : undefined;
      const result = review({ stacks, outcomes: readPlanOutcomes(options.get("--records")!, stacks), points, runUrl, changes, inputs, references }, maxChars);
      io.stdout.write(result.markdown);
      return result.blockers.length ? 1 : 0;
    } catch (e) {
      io.stderr.write(`review-summary: ${(e as Error).message}\n`);
      return 2;
    }
  },
};
