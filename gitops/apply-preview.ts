/**
 * What an apply will do, shown in the deploy run's summary before anyone approves it: each stack's fresh
 * read-only plan (from its record) held against the reviewed plan exactly as the merge guard will hold the
 * apply, what the apply stops, disables or destroys, and which gate stands before the apply.
 *
 *   fortiflex gitops apply-preview --changes <changed-stacks JSON> --preview <records dir> --reviewed <records dir>
 *        --gate environment|dispatch --run-id <id> --pull-request <number>
 *   exit 0: every stack applies as reviewed; 1: some will be refused (listed); 2: bad input
 */
import * as fs from "node:fs";
import type { StackChanges } from "./changed-stacks";
import { table, text } from "./markdown-table";
import { verdict } from "./plan-guard";
import { readPlanRecord, type FailedPlanRecord, type PlanOutcome, type PlanRecord, readPlanOutcomes } from "./plan-record";
import { type GitopsCommand, optionsOf, usageMistake } from "./gitops-command";

export type Gate = "environment" | "dispatch";

export interface PreviewInput {
  readonly stacks: readonly string[];
  readonly preview: ReadonlyMap<string, PlanOutcome>;
  /** The reviewed records by stack (absent: the review did not plan it). */
  readonly reviewed: ReadonlyMap<string, PlanRecord | FailedPlanRecord>;
  readonly gate: Gate;
  readonly runId: string;
  readonly pullRequest: string;
}

export function applyPreview(input: PreviewInput): { markdown: string; refused: string[] } {
  const previews = input.stacks.map((stack) => stackPreview(input, stack));
  const refused = previews.filter((p) => p.refused).map((p) => p.stack);
  const destructive = input.stacks.flatMap((stack) => {
    const fresh = input.preview.get(stack);
    return fresh?.status === "planned" ? fresh.record.destructive.map((a) => [stack, a.description]) : [];
  });
  const lines = [
    `### FortiFlex apply of pull request #${text(input.pullRequest)}: ${input.stacks.length} stack(s)`,
    "",
    "Fresh read-only plans, each held against the plan reviewed in the pull request as the merge guard will hold its apply.",
    "",
    table(
      ["stack", "fresh plan", "add", "change", "destroy", "against the review"],
      "llrrrl",
      previews.map((p) => p.row),
    ),
    "",
  ];
  if (destructive.length)
    lines.push(`#### What the apply stops, disables or destroys (${destructive.length})`, "", table(["stack", "action"], "ll", destructive), "");
  if (refused.length)
    lines.push(`**Refused by the merge guard unless this changes before the apply: ${refused.map(text).join(", ")}.** The other stacks apply.`, "");
  lines.push("#### The gate", "", ...gateLines(input));
  return { markdown: `${lines.join("\n")}\n`, refused };
}

/** A stack's row of the table, and whether the merge guard will refuse its apply. */
function stackPreview(input: PreviewInput, stack: string): { stack: string; row: string[]; refused: boolean } {
  const fresh = input.preview.get(stack) ?? { status: "missing" as const };
  if (fresh.status !== "planned") {
    const why = fresh.status === "failed" ? fresh.reason : "its plan job left no result";
    return { stack, row: [stack, fresh.status === "failed" ? "**FAILED**" : "**NO RESULT**", "", "", "", why], refused: true };
  }
  const r = fresh.record;
  const against = againstReview(stack, r, input.reviewed.get(stack));
  const row = [stack, r.mode === "destroy" ? "retire" : "planned", String(r.add), String(r.change), String(r.destroy), against];
  return { stack, row, refused: against !== "as reviewed" };
}

/** The merge guard's verdict on the fresh plan's record: "as reviewed", or why the apply will be refused. */
function againstReview(stack: string, r: PlanRecord, reviewed: PlanRecord | FailedPlanRecord | undefined): string {
  if (!reviewed) return "**no reviewed plan of this stack: refused**";
  const v = verdict(reviewed, {
    stack,
    digest: r.digest,
    changes: r.changes.filter((c) => !r.drift.fortiflex.some((d) => d.address === c.address)),
    destructive: r.destructive,
    ...(r.mode === "destroy" ? { retirementPending: r.retirement?.pending ?? [] } : {}),
  });
  return v.apply ? "as reviewed" : `**refused**: ${v.summary}`;
}

/** What stands between this run and the apply, and who passes it. */
function gateLines(input: PreviewInput): string[] {
  if (input.gate === "environment") {
    return [
      "Nothing is applied until a required reviewer of environment `fortiflex-approval` approves this run (Review deployments)." +
        " Approve only if this summary is what the pull request's review showed.",
    ];
  }
  return [
    "This run applies nothing. An approver listed in `.github/fortiflex-approvers` who neither wrote nor merged pull request" +
      ` #${text(input.pullRequest)} applies it, older runs first, with:`,
    "",
    "```",
    `gh workflow run fortiflex-deploy.yml --ref main -f approve=${input.runId}`,
    "```",
  ];
}

export const applyPreviewCommand: GitopsCommand = {
  name: "apply-preview",
  usage: "--changes <changed-stacks JSON> --preview <records dir> --reviewed <records dir> --gate environment|dispatch --run-id <id> --pull-request <number>",
  summary: "what an apply will do, held to the review",
  run(args, io) {
    const names = ["--changes", "--preview", "--reviewed", "--gate", "--run-id", "--pull-request"];
    const options = optionsOf(args, names) ?? new Map<string, string>();
    const gate = options.get("--gate");
    if (!names.every((n) => options.has(n)) || !["environment", "dispatch"].includes(gate ?? "")) {
      return usageMistake(applyPreviewCommand, io);
    }
    try {
      const changes = JSON.parse(fs.readFileSync(options.get("--changes")!, "utf8")) as StackChanges;
      const stacks = [...changes.changed, ...changes.added, ...changes.retired].sort();
      const reviewedDir = options.get("--reviewed")!;
      const reviewed = new Map<string, PlanRecord | FailedPlanRecord>();
      for (const stack of stacks) {
        const file = `${reviewedDir}/${stack}.json`;
        if (!fs.existsSync(file)) continue;
        try {
          reviewed.set(stack, readPlanRecord(file));
        } catch (e) {
          reviewed.set(stack, { stack, failed: (e as Error).message });
        }
      }
      const result = applyPreview({
        stacks,
        preview: readPlanOutcomes(options.get("--preview")!, stacks),
        reviewed,
        gate: gate as Gate,
        runId: options.get("--run-id")!,
        pullRequest: options.get("--pull-request")!,
      });
      io.stdout.write(result.markdown);
      return result.refused.length ? 1 : 0;
    } catch (e) {
      io.stderr.write(`apply-preview: ${(e as Error).message}\n`);
      return 2;
    }
  },
};
