/**
 * What a plan stops, disables or destroys: the set a reviewer accepts with a pull request and the merge
 * guard holds the fresh plan to. Terraform deletes and replacements count by address; FortiFlex stops by
 * the object they stop, so the same stop reached another way (a lifecycle step or the reconcile step) is
 * still the same action.
 */
import { classifyPlan, objectId } from "./plan-classification";
import type { PlanJson } from "./terraform-plan-json";

export interface DestructiveAction {
  /** Equal in two plans when they destroy or stop the same thing. */
  readonly id: string;
  readonly description: string;
  /** The planned change that does it: a record's destructive actions must name addresses its plan changes. */
  readonly address: string;
}

export function destructiveActions(plan: PlanJson): DestructiveAction[] {
  const actions = new Map<string, DestructiveAction>();
  for (const f of classifyPlan(plan)) {
    const add = (id: string, description: string) => {
      if (!actions.has(id)) actions.set(id, { id, description, address: f.address });
    };
    switch (f.kind) {
      case "resourceDestroyed":
        add(`terraform ${f.address}`, `Terraform ${f.replaced ? "replaces" : "destroys"} ${f.address}${f.reason ? ` (${f.reason})` : ""}`);
        break;
      case "objectStopped":
        add(
          `fortiflex ${objectId(f.object)}`,
          `FortiFlex ${f.object.kind} ${objectId(f.object)} is stopped/disabled: ${f.address} is ${f.replacement ? "replaced" : "destroyed"}`,
        );
        break;
      case "entitlementStoppedBySettings":
        add(`fortiflex ${objectId(f.object)}`, `FortiFlex entitlement ${objectId(f.object)} is stopped: its status setting becomes STOPPED (${f.address})`);
        break;
      case "reconcileRun":
        for (const o of f.stopped) add(`fortiflex ${objectId(o)}`, `FortiFlex object ${objectId(o)} is stopped/disabled: no longer declared (${f.address})`);
        break;
      case "entitlementStoppedByRepair":
        add(
          `fortiflex ${objectId(f.object)}`,
          `FortiFlex entitlement ${objectId(f.object)} is stopped: a drift repair restores its declared status STOPPED (${f.address})`,
        );
        break;
      case "straysSettled":
        // Duplicates are the stack's own extras (the kept object runs on); an undeclared object is a real stop.
        for (const o of f.undeclared)
          add(`fortiflex ${objectId(o)}`, `FortiFlex ${o.kind} ${objectId(o)} is stopped/disabled: live but no longer declared (${f.address})`);
        break;
      case "ownerGone":
        if (f.how !== "removedFromCode")
          add(
            `namespace ${f.namespace} (account ${f.accountId || "own"})`,
            `everything left in FortiFlex namespace ${f.namespace} (account ${f.accountId || "own"}) is stopped/disabled: ${f.address} is ${f.how}`,
          );
        break;
    }
  }
  return [...actions.values()];
}
