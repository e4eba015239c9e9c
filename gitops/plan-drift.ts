/**
 * What a plan says changed outside Terraform: FortiFlex drift (the repairs and stray stops it plans, with the
 * handler's account of what differs or is astray), Azure drift (azurerm resources Terraform found changed while refreshing: which
 * attributes, never their values) and any other change it would make.
 */
import { classifyPlan, isRepairOnly } from "./plan-classification";
import type { PlanJson, ResourceChange } from "./terraform-plan-json";

/** A resource a plan changes: "create", "update", "delete" or "replace". */
export interface PendingChange {
  readonly address: string;
  readonly action: string;
}

export interface PlanDrift {
  readonly fortiflex: { readonly address: string; readonly drift: string }[];
  readonly azure: { readonly address: string; readonly deleted: boolean; readonly attributes: string[] }[];
  /** What an apply would change besides the drift repairs: code not applied yet, a failed apply, drift to revert. */
  readonly pending: PendingChange[];
}

export function driftOf(plan: PlanJson): PlanDrift {
  const fortiflex = classifyPlan(plan).flatMap((f) =>
    f.kind === "driftRepair" ? [{ address: f.address, drift: f.drift }] : f.kind === "straysSettled" ? [{ address: f.address, drift: f.strays }] : [],
  );
  const azure = (plan.resource_drift ?? [])
    .filter((rc) => rc.type.startsWith("azurerm_"))
    .map((rc) => {
      const deleted = !rc.change.after;
      return { address: rc.address, deleted, attributes: deleted ? [] : changedPaths(rc.change.before, rc.change.after) };
    });
  return { fortiflex, azure, pending: pendingChanges(plan, false) };
}

/** Every resource the plan changes (data-source reads change nothing); `repairs`: FortiFlex drift repairs and strays stopped too. */
export function pendingChanges(plan: PlanJson, repairs: boolean): PendingChange[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => repairs || !isRepairOnly(rc))
    .map((rc) => ({ address: rc.address, action: actionOf(rc) }))
    .filter((p) => p.action !== "no-op");
}

export function hasDrift(drift: PlanDrift): boolean {
  return drift.fortiflex.length + drift.azure.length + drift.pending.length > 0;
}

/** "create", "update", "delete", "replace", or "no-op" (data-source reads included: they change nothing). */
function actionOf(rc: ResourceChange): string {
  const a = rc.change.actions;
  if (a.includes("delete") && a.includes("create")) return "replace";
  return a.find((x) => x !== "no-op" && x !== "read") ?? "no-op";
}

/** Paths (`tags.owner`, `os_disk[0].caching`) whose values differ; the values themselves are never returned. */
export function changedPaths(before: unknown, after: unknown, path = ""): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((v, i) => changedPaths(v, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path || "(whole resource)"];
}
