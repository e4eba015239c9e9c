/**
 * The merge guard: on main, a stack's fresh plan is applied only when it stops, disables or destroys
 * nothing that the plan reviewed in its pull request did not. Anything more (a change merged after the
 * review, drift since, a rotated admin password that rebuilds FortiGates) fails the apply with what differs.
 *
 *   node dist/gitops/plan-guard.js <reviewed plan record> <fresh terraform show -json output>
 *   exit 0: apply; 1: refused (each extra destructive action listed); 2: bad input
 */
import { destructiveActions, type DestructiveAction } from "./destructive-actions";
import { readPlanRecord, type FailedPlanRecord, type PlanRecord } from "./plan-record";
import { readPlanJson, type PlanJson } from "./terraform-plan-json";
import { isScript } from "./script-entry";

export interface GuardVerdict {
  readonly apply: boolean;
  readonly message: string;
}

/** The fresh plan's destructive actions that the reviewed plan did not have. */
export function extraDestructive(reviewed: readonly DestructiveAction[], fresh: readonly DestructiveAction[]): DestructiveAction[] {
  const accepted = new Set(reviewed.map((a) => a.id));
  return fresh.filter((a) => !accepted.has(a.id));
}

export function guard(reviewed: PlanRecord | FailedPlanRecord, fresh: PlanJson): GuardVerdict {
  const stack = reviewed.stack;
  if ("failed" in reviewed) {
    return { apply: false, message: `plan-guard: ${stack}: the pull request's plan failed (${reviewed.failed}), so no plan of it was reviewed; not applying. Fix the plan in a new pull request.` };
  }
  const actions = destructiveActions(fresh);
  const extra = extraDestructive(reviewed.destructive, actions);
  if (!extra.length) {
    return { apply: true, message: `plan-guard: ${stack}: the fresh plan stops, disables or destroys nothing beyond the reviewed plan (${actions.length} destructive action(s), all reviewed)` };
  }
  const list = (actions: readonly DestructiveAction[]) => (actions.length ? actions.map((a) => `  - ${a.description}`).join("\n") : "  (none)");
  return {
    apply: false,
    message: [
      `plan-guard: ${stack}: the fresh plan stops, disables or destroys ${extra.length} thing(s) that the reviewed plan did not; not applying.`,
      "Not reviewed:",
      list(extra),
      "Reviewed in the pull request:",
      list(reviewed.destructive),
      "A change merged after the review, drift since, or a rotated FortiGate admin password can cause this: open a pull request so that a reviewer sees the plan as it is now.",
    ].join("\n"),
  };
}

if (isScript("plan-guard")) {
  const [reviewedFile, freshFile] = process.argv.slice(2);
  if (!reviewedFile || !freshFile || process.argv.length !== 4) {
    process.stderr.write("usage: plan-guard <reviewed plan record (plan-record output)> <fresh terraform show -json output>\n");
    process.exit(2);
  }
  let verdict: GuardVerdict;
  try {
    verdict = guard(readPlanRecord(reviewedFile), readPlanJson(freshFile));
  } catch (e) {
    process.stderr.write(`plan-guard: ${(e as Error).message}\n`);
    process.exit(2);
  }
  (verdict.apply ? process.stdout : process.stderr).write(`${verdict.message}\n`);
  process.exit(verdict.apply ? 0 : 1);
}
