/**
 * The parts of `terraform show -json <saved plan>` the GitOps scripts read. That output holds secret
 * material (data-source results, sensitive attributes in clear): the scripts read it on the runner and keep
 * only what they derive from it.
 */
import * as fs from "node:fs";

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  /** Why Terraform plans this action, e.g. "replace_because_tainted", "delete_because_no_resource_config". */
  readonly action_reason?: string;
  readonly change: {
    readonly actions: string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
  };
}

export interface PlanJson {
  readonly resource_changes?: ResourceChange[];
  /** Changes made outside Terraform, found while refreshing (same shape; actions "update" or "delete"). */
  readonly resource_drift?: ResourceChange[];
}

export function readPlanJson(file: string): PlanJson {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: not readable as JSON (${(e as Error).message.split("\n")[0]}); expected the output of terraform show -json <saved plan>`);
  }
  if (!value || typeof value !== "object" || !("format_version" in value)) {
    throw new Error(`${file}: not the output of terraform show -json <saved plan> (no format_version)`);
  }
  if ("resource_changes" in value && !Array.isArray(value.resource_changes)) throw new Error(`${file}: resource_changes is not a list`);
  return value as PlanJson;
}

export function isReplace(rc: ResourceChange): boolean {
  return rc.change.actions.includes("delete") && rc.change.actions.includes("create");
}

/** Deleted or replaced: what was there before is destroyed. */
export function isDestroyed(rc: ResourceChange): boolean {
  return rc.change.actions.includes("delete");
}

/** The trigger map of a step (null_resource `triggers`, terraform_data `triggers_replace`); empty when absent. */
export function triggersOf(values: Record<string, unknown> | null | undefined): Record<string, string> {
  return (values?.triggers ?? values?.triggers_replace ?? {}) as Record<string, string>;
}
