/**
 * The merge guard: on main, a stack's fresh plan is applied only when it is the stack that was reviewed,
 * planned from the very directory that was reviewed (its digest), it changes nothing the reviewed plan did
 * not (each resource with the same action; FortiFlex drift repairs aside), and it stops, disables or
 * destroys nothing that the reviewed plan did not. A reviewed record is checked before it is believed: it was written
 * on a runner that ran the change's own Terraform, so one that names another stack or contradicts itself
 * is refused. A retirement applies only when its review found nothing left to do but the destroy.
 *
 *   fortiflex gitops plan-guard <reviewed record> <fresh plan JSON> --stack <stack> --digest <digest of the directory applied>
 *        [--retirement <fresh ordinary plan JSON>]   (a retired customer: the fresh plan is its destroy plan)
 *   exit 0: apply; 1: refused (what differs is listed); 2: bad input
 */
import { destructiveActions, type DestructiveAction } from "./destructive-actions";
import { pendingChanges, type PendingChange } from "./plan-drift";
import { readPlanRecord, recordProblems, type FailedPlanRecord, type PlanRecord } from "./plan-record";
import { readPlanJson, type PlanJson } from "./terraform-plan-json";
import { type GitopsCommand, optionsOf, usageMistake } from "./gitops-command";

export interface GuardVerdict {
  readonly apply: boolean;
  readonly message: string;
  /** One line: "as reviewed", or why not. */
  readonly summary: string;
}

export interface GuardInput {
  /** The stack being applied. */
  readonly stack: string;
  /** The digest of the stack directory being applied (gitops/stack-digest.ts). */
  readonly digest: string;
  readonly fresh: PlanJson;
  /** A retired customer: the fresh ordinary plan of its decommissioned directory (`fresh` is then its destroy plan). */
  readonly retirement?: PlanJson;
}

/** What the guard weighs of a fresh plan: from the plan itself (the apply) or from its record (the preview before the approval). */
export interface FreshPlan {
  readonly stack: string;
  readonly digest: string;
  /** What the plan changes, FortiFlex drift repairs and settle steps aside (they put back what the code declares). */
  readonly changes: readonly PendingChange[];
  readonly destructive: readonly DestructiveAction[];
  /** A retirement: what the decommissioned stack's ordinary plan still has pending. Undefined: not a retirement. */
  readonly retirementPending?: readonly PendingChange[];
}

/** The fresh plan's destructive actions that the reviewed plan did not have. */
export function extraDestructive(reviewed: readonly DestructiveAction[], fresh: readonly DestructiveAction[]): DestructiveAction[] {
  const accepted = new Set(reviewed.map((a) => a.id));
  return fresh.filter((a) => !accepted.has(a.id));
}

export function guard(reviewed: PlanRecord | FailedPlanRecord, input: GuardInput): GuardVerdict {
  return verdict(reviewed, {
    stack: input.stack,
    digest: input.digest,
    changes: pendingChanges(input.fresh, false),
    destructive: destructiveActions(input.fresh),
    ...(input.retirement ? { retirementPending: pendingChanges(input.retirement, true) } : {}),
  });
}

export function verdict(reviewed: PlanRecord | FailedPlanRecord, fresh: FreshPlan): GuardVerdict {
  const { stack } = fresh;
  if (reviewed.stack !== stack) return refused(stack, [`the reviewed record is of stack ${JSON.stringify(reviewed.stack.slice(0, 100))}, not ${stack}`]);
  if ("failed" in reviewed)
    return refused(stack, [`the pull request's plan failed (${reviewed.failed}), so no plan of it was reviewed`, " Fix the plan in a new pull request."]);
  const refusal = recordRefusal(reviewed, fresh) ?? retirementRefusal(reviewed, fresh);
  if (refusal) return refused(stack, refusal);
  const extra = extraDestructive(reviewed.destructive, fresh.destructive);
  if (extra.length) return destructiveRefusal(stack, extra, reviewed.destructive);
  const reviewedChanges = new Set(reviewed.changes.map((c) => `${c.address} ${c.action}`));
  const unreviewed = fresh.changes.filter((c) => !reviewedChanges.has(`${c.address} ${c.action}`));
  if (unreviewed.length) {
    return refused(stack, [
      `the fresh plan changes ${unreviewed.length} thing(s) that the reviewed plan did not: ${unreviewed.map((c) => `${c.address} (${c.action})`).join(", ")}`,
      "\nDrift since the review, or a change merged after it, can cause this: open a pull request so that a reviewer sees the plan as it is now.",
    ]);
  }
  return {
    apply: true,
    summary: "as reviewed",
    message:
      `plan-guard: ${stack}: the directory is the reviewed one (sha256 ${fresh.digest}) and the fresh plan changes, stops, disables or destroys` +
      ` nothing beyond the reviewed plan (${fresh.changes.length} change(s), ${fresh.destructive.length} destructive action(s), all reviewed)`,
  };
}

/** Why the guard refuses: one line for the summary, and what the log adds after it. */
type Refusal = readonly [summary: string, detail?: string];

function refused(stack: string, [summary, detail = ""]: Refusal): GuardVerdict {
  return { apply: false, summary, message: `plan-guard: ${stack}: ${summary}; not applying.${detail}` };
}

/** A record that contradicts itself, or is of another directory or another kind of plan, says nothing of this plan. */
function recordRefusal(reviewed: PlanRecord, fresh: FreshPlan): Refusal | undefined {
  const problems = recordProblems(reviewed);
  if (problems.length) return ["the reviewed record contradicts itself, so it cannot say what was reviewed", `\n${problems.map((p) => `  - ${p}`).join("\n")}`];
  if (reviewed.digest !== fresh.digest) {
    return [
      `the directory being applied (sha256 ${fresh.digest || "unknown"}) is not the one whose plan was reviewed (sha256 ${reviewed.digest})`,
      " The merged code synthesizes something else than the pull request did (a change merged since, or a build that differs):" +
        " plan it again in a pull request.",
    ];
  }
  if ((reviewed.mode === "destroy") !== !!fresh.retirementPending) {
    return [
      reviewed.mode === "destroy"
        ? "the review was of a retirement (a destroy plan), this apply is not"
        : "this apply retires the customer, but the review was of an ordinary plan",
    ];
  }
  return undefined;
}

/** A retirement applies only when its decommission left nothing to do, at the review and now. */
function retirementRefusal(reviewed: PlanRecord, fresh: FreshPlan): Refusal | undefined {
  if (!fresh.retirementPending) return undefined;
  const pendingThen = reviewed.retirement?.pending ?? [];
  const pendingNow = fresh.retirementPending;
  if (!pendingThen.length && !pendingNow.length) return undefined;
  const list = (title: string, p: readonly PendingChange[]) => (p.length ? `\n${title}:\n${p.map((c) => `  - ${c.address}: ${c.action}`).join("\n")}` : "");
  const pending = `${list("Pending when it was reviewed", pendingThen)}${list("Pending now", pendingNow)}`;
  return [
    "the customer is not fully decommissioned, so its state cannot be retired",
    `${pending}\nApply its decommission (decommission: true) first, then remove the entry.`,
  ];
}

function destructiveRefusal(stack: string, extra: readonly DestructiveAction[], reviewed: readonly DestructiveAction[]): GuardVerdict {
  const list = (actions: readonly DestructiveAction[]) => (actions.length ? actions.map((a) => `  - ${a.description}`).join("\n") : "  (none)");
  const summary = `the fresh plan stops, disables or destroys ${extra.length} thing(s) that the reviewed plan did not`;
  return {
    apply: false,
    summary: `${summary}: ${extra.map((a) => a.description).join("; ")}`,
    message: [
      `plan-guard: ${stack}: ${summary}; not applying.`,
      "Not reviewed:",
      list(extra),
      "Reviewed in the pull request:",
      list(reviewed),
      "Drift since the review, or a rotated FortiGate admin password, can cause this: open a pull request so that a reviewer sees the plan as it is now.",
    ].join("\n"),
  };
}

export const planGuardCommand: GitopsCommand = {
  name: "plan-guard",
  usage: "<reviewed record> <fresh plan JSON> --stack <stack> --digest <digest of the directory applied> [--retirement <fresh ordinary plan JSON>]",
  summary: "the merge guard: may this fresh plan be applied",
  run(args, io) {
    const [reviewedFile, freshFile, ...rest] = args;
    const options = optionsOf(rest, ["--stack", "--digest", "--retirement"]);
    const stack = options?.get("--stack");
    const digest = options?.get("--digest");
    const retirement = options?.get("--retirement");
    if (!reviewedFile || !freshFile || !stack || digest === undefined) {
      return usageMistake(planGuardCommand, io);
    }
    let verdict: GuardVerdict;
    try {
      verdict = guard(readPlanRecord(reviewedFile), {
        stack,
        digest,
        fresh: readPlanJson(freshFile),
        ...(retirement ? { retirement: readPlanJson(retirement) } : {}),
      });
    } catch (e) {
      io.stderr.write(`plan-guard: ${(e as Error).message}\n`);
      return 2;
    }
    (verdict.apply ? io.stdout : io.stderr).write(`${verdict.message}\n`);
    return verdict.apply ? 0 : 1;
  },
};
