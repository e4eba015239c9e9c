/**
 * The pull request's one summary: a row per changed stack from its plan job's record (failed and missing
 * plans included, never dropped) with its daily FortiFlex points before and after, and the fleet's total.
 * The same Markdown goes to the run's step summary and, marked so that later pushes edit it in place, to the
 * pull-request comment (with --max-chars, shortened to fit: GitHub refuses comments over 65536 characters).
 *
 *   node dist/gitops/review-summary.js [--max-chars <n>] <stacks JSON list> <records dir> <points JSON> <run URL>
 */
import * as fs from "node:fs";
import { table } from "./markdown-table";
import { parseStackList, readPlanOutcomes, type PlanOutcome } from "./plan-record";
import { readPointsDelta, type PointsDelta } from "./points-delta";
import { isScript } from "./script-entry";

/** Finds the comment again on the next push (only comments of the workflow's own bot are considered). */
export const REVIEW_MARKER = "<!-- fortiflex-stacks -->";

export interface ReviewInput {
  readonly stacks: readonly string[];
  readonly outcomes: ReadonlyMap<string, PlanOutcome>;
  /** Or why they could not be computed. */
  readonly points: PointsDelta | { readonly unavailable: string };
  readonly runUrl: string;
}

export function reviewMarkdown(input: ReviewInput, maxChars = Infinity): string {
  const full = render(input, true);
  return full.length <= maxChars ? full : render(input, false);
}

function render(input: ReviewInput, withNotes: boolean): string {
  const lines = [REVIEW_MARKER, `### FortiFlex customer stacks: ${input.stacks.length} changed`, ""];
  if (!input.stacks.length) return `${[...lines, "No customer stack changes."].join("\n")}\n`;
  const points = "unavailable" in input.points ? undefined : input.points;
  const unavailable = "unavailable" in input.points ? input.points.unavailable : "";
  const pointsOf = (stack: string) => {
    if (!points) return "?";
    const row = points.customers.find((c) => c.stack === stack);
    return row ? pointsChange(row.before, row.after) : "-";
  };
  const rows = input.stacks.map((stack) => {
    const outcome = input.outcomes.get(stack) ?? { status: "missing" };
    if (outcome.status === "planned") {
      const r = outcome.record;
      return [stack, "planned", String(r.add), String(r.change), String(r.destroy), pointsOf(stack), withNotes ? r.notes.join("<br>") || "-" : "see the run summary"];
    }
    const why = outcome.status === "failed" ? outcome.reason : `its plan job left no result (cancelled, or failed before planning): see ${input.runUrl}`;
    return [stack, outcome.status === "failed" ? "**FAILED**" : "**NO RESULT**", "", "", "", pointsOf(stack), why];
  });
  if (points) rows.push(["**fleet** (all customers)", "", "", "", "", pointsChange(points.fleet.before, points.fleet.after), ""]);
  lines.push(table(["stack", "plan", "add", "change", "destroy", "daily points", "notes"], "llrrrrl", rows), "");
  const failed = input.stacks.filter((s) => input.outcomes.get(s)?.status !== "planned");
  if (failed.length) lines.push(`**${failed.length} plan(s) without a result: ${failed.join(", ")}.** A merge applies nothing until every plan of the pull request succeeds.`, "");
  lines.push(
    points
      ? "Daily points: FortiFlex points per day of the ACTIVE entitlements each stack declares, priced with the points calculator (tools/calc), before → after this pull request."
      : `Daily points could not be computed: ${unavailable}`,
  );
  if (!withNotes) lines.push("", `The notes are left out here to keep this comment under GitHub's size limit; they are in the run summary: ${input.runUrl}`);
  lines.push("", `[Workflow run](${input.runUrl})`);
  return `${lines.join("\n")}\n`;
}

/** "12.5 → 14 (+1.5)", or "12.5 (no change)". */
export function pointsChange(before: number, after: number): string {
  const n = (x: number) => String(Math.round(x * 100) / 100);
  const delta = Math.round((after - before) * 100) / 100;
  return delta === 0 ? `${n(before)} (no change)` : `${n(before)} → ${n(after)} (${delta > 0 ? "+" : ""}${n(delta)})`;
}

if (isScript("review-summary")) {
  const args = process.argv.slice(2);
  let maxChars = Infinity;
  if (args[0] === "--max-chars") {
    maxChars = Number(args[1]);
    args.splice(0, 2);
  }
  if (args.length !== 4 || !(maxChars > 0)) {
    process.stderr.write("usage: review-summary [--max-chars <n>] <stacks JSON list> <records dir> <points JSON> <run URL>\n");
    process.exit(2);
  }
  const [stackList, dir, pointsFile, runUrl] = args;
  try {
    const stacks = parseStackList(stackList);
    const points = fs.existsSync(pointsFile) ? readPointsDelta(pointsFile) : { unavailable: `the points job left no result (${pointsFile} is missing): see ${runUrl}` };
    process.stdout.write(reviewMarkdown({ stacks, outcomes: readPlanOutcomes(dir, stacks), points, runUrl }, maxChars));
  } catch (e) {
    process.stderr.write(`review-summary: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
