/**
 * The scheduled drift run's one summary over every customer: FortiFlex drift (what the repair steps would
 * put back, as the handler saw it), Azure drift (resources changed outside Terraform: which attributes,
 * never values), other pending changes, and plans that failed or left no result.
 *
 *   fortiflex gitops drift-report <stacks JSON list> <records dir> <run URL>   -> Markdown on stdout
 *   exit 0: no drift; 1: drift, pending changes or plans without a result (the run shows red); 2: bad input
 */
import { table } from "./markdown-table";
import { hasDrift } from "./plan-drift";
import { parseStackList, readPlanOutcomes, type PlanOutcome } from "./plan-record";
import { type GitopsCommand, usageMistake } from "./gitops-command";

export interface DriftReport {
  readonly markdown: string;
  readonly clean: boolean;
}

export function driftReport(stacks: readonly string[], outcomes: ReadonlyMap<string, PlanOutcome>, runUrl: string): DriftReport {
  const planned = stacks.flatMap((stack) => {
    const o = outcomes.get(stack);
    return o?.status === "planned" ? [{ stack, drift: o.record.drift }] : [];
  });
  const unplanned = stacks.flatMap((stack) => {
    const o = outcomes.get(stack) ?? { status: "missing" };
    if (o.status === "planned") return [];
    return [[stack, o.status === "failed" ? o.reason : `its plan job left no result (cancelled, or failed before planning): see ${runUrl}`]];
  });
  const drifted = planned.filter((p) => hasDrift(p.drift));
  const lines = [`### Drift of ${stacks.length} customer stack(s)`, ""];
  lines.push(
    `${drifted.length} drifted or with pending changes, ${planned.length - drifted.length} in line with the code, ${unplanned.length} without a plan.`,
    "",
  );
  const section = (title: string, header: string[], align: string, rows: string[][]) => {
    if (rows.length) lines.push(`#### ${title}`, "", table(header, align, rows), "");
  };
  section(
    "FortiFlex drift (repaired by the next apply)",
    ["stack", "step", "what changed outside Terraform"],
    "lll",
    drifted.flatMap((p) => p.drift.fortiflex.map((d) => [p.stack, d.address, d.drift])),
  );
  section(
    "Azure drift (changed outside Terraform)",
    ["stack", "resource", "changed attributes"],
    "lll",
    drifted.flatMap((p) => p.drift.azure.map((d) => [p.stack, d.address, d.deleted ? "deleted" : d.attributes.join(", ")])),
  );
  section(
    "Other pending changes (what an apply would do)",
    ["stack", "resource", "action"],
    "lll",
    drifted.flatMap((p) => p.drift.pending.map((d) => [p.stack, d.address, d.action])),
  );
  section("Plans without a result", ["stack", "why"], "ll", unplanned);
  lines.push(`[Workflow run](${runUrl})`);
  return { markdown: `${lines.join("\n")}\n`, clean: !drifted.length && !unplanned.length };
}

export const driftReportCommand: GitopsCommand = {
  name: "drift-report",
  usage: "<stacks JSON list> <records dir> <run URL>",
  summary: "the drift run's summary over every customer",
  run(args, io) {
    if (args.length !== 3) {
      return usageMistake(driftReportCommand, io);
    }
    try {
      const stacks = parseStackList(args[0]);
      const report = driftReport(stacks, readPlanOutcomes(args[1], stacks), args[2]);
      io.stdout.write(report.markdown);
      return report.clean ? 0 : 1;
    } catch (e) {
      io.stderr.write(`drift-report: ${(e as Error).message}\n`);
      return 2;
    }
  },
};
