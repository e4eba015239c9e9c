/**
 * What each planned change of a customer stack does in FortiFlex and which ones destroy something: the one
 * reading of a plan that the pull-request summary, the merge guard and the drift report share. Steps are
 * told apart by the construct id in their address (STEP_IDS); their triggers say what they act on.
 */
import { STEP_IDS } from "../contract/handler-contract";
import { hasStepId } from "../contract/step-address";
import { isDestroyed, isReplace, triggersOf, type PlanJson, type ResourceChange } from "./terraform-plan-json";

/** A FortiFlex object as the plan names it. */
export interface FortiFlexObject {
  /** "config", "entitlement", or "object" when the plan does not say. */
  readonly kind: string;
  readonly key: string;
  /** Empty: the API user's own account (or, for an entitlement, its configuration's). */
  readonly accountId: string;
}

export type Finding =
  /** A lifecycle step destroyed for good (deleted, or replaced for a new identity): its object is stopped/disabled. */
  | { readonly kind: "objectStopped"; readonly address: string; readonly object: FortiFlexObject; readonly replacement?: FortiFlexObject }
  /** A tainted lifecycle step: re-run, it finds its object by key again; nothing is stopped. */
  | { readonly kind: "stepRerun"; readonly address: string; readonly object: FortiFlexObject }
  /** A lifecycle step removed from the code: Terraform runs no destroy step; the reconcile step stops the object. */
  | { readonly kind: "objectRemovedFromCode"; readonly address: string; readonly object: FortiFlexObject }
  /** An entitlement's settings replaced with status ACTIVE -> STOPPED: the entitlement is stopped in place. */
  | { readonly kind: "entitlementStoppedBySettings"; readonly address: string; readonly object: FortiFlexObject }
  /** Settings changed in the code, applied in place: `changes` names each ("name: old -> new"), `summary` is the step's own account. */
  | { readonly kind: "settingsChanged"; readonly address: string; readonly changes: string[]; readonly summary: string }
  /** A settings step run once more after a repair (its `drift` trigger gone): it applies the same settings, acts on nothing. */
  | { readonly kind: "repairSettled"; readonly address: string }
  /** The reconcile step run once more after stopping strays (its `strays` trigger gone, nothing else changed): it finds nothing. */
  | { readonly kind: "straysCleared"; readonly address: string }
  /**
   * The reconcile step runs: created, or replaced (`replaced`), in which case `stopped` lists the objects its
   * old instance declared and the new one does not.
   */
  | { readonly kind: "reconcileRun"; readonly address: string; readonly namespace: string; readonly replaced: boolean; readonly stopped: FortiFlexObject[] }
  /** The namespace's owner step leaves: destroyed (stops everything left there), replaced (same), or removed from the code (stops nothing). */
  | {
      readonly kind: "ownerGone";
      readonly address: string;
      readonly namespace: string;
      readonly accountId: string;
      readonly how: "destroyed" | "replaced" | "removedFromCode";
    }
  | { readonly kind: "adoption"; readonly address: string; readonly key: string; readonly adopted: string }
  /**
   * The reconcile step (or an earlier version's settle step) runs for what the plan found: duplicates of
   * declared keys or live objects of the namespace no longer declared (`strays`, as the observation words
   * them), which the apply stops; `undeclared` are the latter.
   */
  | { readonly kind: "straysSettled"; readonly address: string; readonly strays: string; readonly undeclared: FortiFlexObject[] }
  /** A drift repair that stops an entitlement (reactivated outside Terraform, declared STOPPED). */
  | { readonly kind: "entitlementStoppedByRepair"; readonly address: string; readonly object: FortiFlexObject }
  /** A drift repair planned (a settings step with a `drift` trigger): `drift` says what changed outside Terraform. */
  | { readonly kind: "driftRepair"; readonly address: string; readonly drift: string }
  | { readonly kind: "tokenRegenerated"; readonly address: string }
  /** A scope's StopAllOnDestroy step replaced for new endpoints: the code allows an endpoint change (its objects' stops are findings of their own). */
  | { readonly kind: "endpointsChanged"; readonly address: string; readonly before: string; readonly after: string }
  /** A resource Terraform deletes or replaces whose removal acts outside Terraform (any resource but the steps below). */
  | { readonly kind: "resourceDestroyed"; readonly address: string; readonly replaced: boolean; readonly reason?: string };

/**
 * Steps whose removal runs nothing: Settings (a replacement applies settings in place; a stop by status is
 * found on its own), TokenRegeneration and Adoption (create-time only), LicenseBoot (its VM's replacement is
 * counted on the VM); and earlier versions' DriftRepair, Settle (came and went with what the plan found) and
 * EndpointPin (no steps), which an upgrade drops.
 */
const STEPS_WITHOUT_DESTROY = (["settings", "driftRepair", "settle", "tokenRegeneration", "adoption", "licenseBoot", "endpointPin"] as const).map(
  (s) => STEP_IDS[s],
);

export function classifyPlan(plan: PlanJson): Finding[] {
  const changes = plan.resource_changes ?? [];
  return changes.flatMap((rc) => classifyChange(rc, changes));
}

/** The findings of one change; `changes` is the whole plan (a step's object may be named by another step). */
export function classifyChange(rc: ResourceChange, changes: ResourceChange[]): Finding[] {
  const step: PlannedStep = { rc, address: rc.address, before: triggersOf(rc.change.before), after: triggersOf(rc.change.after), changes };
  return [...destroyedResource(rc), ...STEP_READINGS.filter(([id]) => isStep(rc, id)).flatMap(([, read]) => read(step))];
}

/** A planned change of a step, with its triggers before and after, and the whole plan. */
interface PlannedStep {
  readonly rc: ResourceChange;
  readonly address: string;
  readonly before: Record<string, string>;
  readonly after: Record<string, string>;
  readonly changes: ResourceChange[];
}

/** A deleted or replaced resource whose removal acts outside Terraform: any resource but the steps that destroy nothing. */
function destroyedResource(rc: ResourceChange): Finding[] {
  // A tainted lifecycle step re-run finds its object again: replacing it stops nothing (so a failed apply can be retried).
  const rerun = isStep(rc, STEP_IDS.lifecycle) && rc.action_reason === "replace_because_tainted";
  if (!isDestroyed(rc) || rerun || STEPS_WITHOUT_DESTROY.some((step) => isStep(rc, step))) return [];
  return [{ kind: "resourceDestroyed", address: rc.address, replaced: isReplace(rc), ...(rc.action_reason ? { reason: rc.action_reason } : {}) }];
}

/** The settings a settings step's triggers hold (not its bookkeeping: the object's step, the repair marker, its own summary). */
const SETTINGS_BOOKKEEPING = ["lifecycle", "drift", "in_place"];

/** Each setting that differs, in words: "parameters: 1=2,... -> 1=4,..." (a new or dropped one as "(none)"). */
export function settingsChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !SETTINGS_BOOKKEEPING.includes(k)).sort();
  return keys.filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k] ?? "(none)"} -> ${after[k] ?? "(none)"}`);
}

/**
 * Whether a change only repairs what the plan found (a settings step gaining or losing its `drift` trigger, the
 * reconcile step its `strays`, an earlier version's DriftRepair or Settle step): what a drift check expects,
 * not a pending change of the code.
 */
export function isRepairOnly(rc: ResourceChange): boolean {
  if (isStep(rc, STEP_IDS.driftRepair) || isStep(rc, STEP_IDS.settle)) return true;
  if (!isReplace(rc)) return false;
  const before = triggersOf(rc.change.before);
  const after = triggersOf(rc.change.after);
  if (isStep(rc, STEP_IDS.settings)) return !settingsChanges(before, after).length && before.lifecycle === after.lifecycle;
  if (isStep(rc, STEP_IDS.reconcile)) {
    const rest = (t: Record<string, string>) => JSON.stringify({ ...t, strays: undefined });
    return rest(before) === rest(after);
  }
  return false;
}

/** A lifecycle step destroyed: re-run when tainted, removed from the code, or else its object stopped. */
function lifecycleFindings({ rc, address, before, after }: PlannedStep): Finding[] {
  if (!isDestroyed(rc)) return [];
  const object = objectOf(before);
  if (rc.action_reason === "replace_because_tainted") return [{ kind: "stepRerun", address, object }];
  if (rc.action_reason === "delete_because_no_resource_config") return [{ kind: "objectRemovedFromCode", address, object }];
  return [{ kind: "objectStopped", address, object, ...(isReplace(rc) ? { replacement: objectOf(after) } : {}) }];
}

/**
 * A settings step planned: a settings change (in place), a drift repair (its `drift` trigger), or its run once
 * more after a repair. Created with its object (no `before`), it says nothing the object's own step does not.
 */
function settingsFindings({ rc, address, before, after, changes }: PlannedStep): Finding[] {
  if (!isReplace(rc)) return [];
  const changed = settingsChanges(before, after);
  const stopped = before.status === "ACTIVE" && after.status === "STOPPED";
  return [
    ...(after.drift ? repairFindings(rc, address, after.drift, changes) : []),
    ...(changed.length ? [{ kind: "settingsChanged" as const, address, changes: changed, summary: after.in_place ?? "" }] : []),
    ...(stopped ? [{ kind: "entitlementStoppedBySettings" as const, address, object: lifecycleObjectOf(rc, changes) }] : []),
    ...(!after.drift && !changed.length && before.drift ? [{ kind: "repairSettled" as const, address }] : []),
  ];
}

/** A drift repair; restoring a declared STOPPED status stops an entitlement someone reactivated: a stop like any other. */
function repairFindings(rc: ResourceChange, address: string, drift: string, changes: ResourceChange[]): Finding[] {
  const stops = /\bstatus (ACTIVE|PENDING) \(want STOPPED\)/.test(drift);
  return [
    { kind: "driftRepair", address, drift },
    ...(stops ? [{ kind: "entitlementStoppedByRepair" as const, address, object: lifecycleObjectOf(rc, changes) }] : []),
  ];
}

/**
 * A reconcile step created; when replaced, the objects its old instance declared and the new one does not are
 * stopped; with a `strays` trigger, what the plan found astray too.
 */
function reconcileFindings({ rc, address, before, after }: PlannedStep): Finding[] {
  if (!rc.change.actions.includes("create")) return [];
  if (before.strays && !after.strays && isRepairOnly(rc)) return [{ kind: "straysCleared", address }];
  const declaredNow = declaredOf(after).map(objectId);
  const stopped = isReplace(rc) ? declaredOf(before).filter((o) => !declaredNow.includes(objectId(o))) : [];
  return [
    { kind: "reconcileRun", address, namespace: after.namespace ?? "?", replaced: isReplace(rc), stopped },
    ...(after.strays ? [straysFinding(address, after.strays, after.account_id)] : []),
  ];
}

/**
 * What the plan found astray, as the observation words it: "account <id>: <what>; <what>", scopes joined by
 * " | " (an earlier version's settle step: one scope, its account in `account_id`, no prefix).
 */
function straysFinding(address: string, strays: string, settleAccount?: string): Finding {
  const undeclared = strays.split(" | ").flatMap((scope) => {
    const prefixed = /^account (\S+): ([\s\S]*)$/.exec(scope);
    const accountId = prefixed ? prefixed[1] : (settleAccount ?? "");
    return [...(prefixed ? prefixed[2] : scope).matchAll(/(entitlement|configuration) \S+ of (\S+) live, not declared/g)].map((m) => ({
      kind: m[1] === "configuration" ? "config" : "entitlement",
      key: m[2],
      accountId,
    }));
  });
  return { kind: "straysSettled", address, strays, undeclared };
}

/** A scope's StopAllOnDestroy step destroyed, replaced or dropped; replaced for new endpoints, the endpoint change too. */
function ownerFindings({ rc, address, before, after }: PlannedStep): Finding[] {
  if (!isDestroyed(rc)) return [];
  const how = rc.action_reason === "delete_because_no_resource_config" ? "removedFromCode" : isReplace(rc) ? "replaced" : "destroyed";
  const endpoints = (t: Record<string, string>) => (t.api_url === undefined ? "?" : `${t.api_url} ${t.auth_url}`);
  const moved = isReplace(rc) && endpoints(before) !== endpoints(after);
  return [
    { kind: "ownerGone", address, namespace: before.namespace ?? "?", accountId: before.account_id ?? "", how },
    ...(moved ? [{ kind: "endpointsChanged" as const, address, before: endpoints(before), after: endpoints(after) }] : []),
  ];
}

function adoptionFindings({ rc, address, after }: PlannedStep): Finding[] {
  if (!rc.change.actions.includes("create")) return [];
  const adopted = after.config_id ? `configuration ${after.config_id}` : `entitlement ${after.serial_number ?? "?"}`;
  return [{ kind: "adoption", address, key: after.key ?? "?", adopted }];
}

/** An earlier version's DriftRepair step (a plan made before the upgrade of a stack). */
function driftRepairFindings({ rc, address, after, changes }: PlannedStep): Finding[] {
  if (!rc.change.actions.includes("create") || !after.drift) return [];
  return repairFindings(rc, address, after.drift, changes);
}

/** An earlier version's Settle step. */
function settleFindings({ rc, address, after }: PlannedStep): Finding[] {
  if (!rc.change.actions.includes("create") || !after.strays) return [];
  return [straysFinding(address, after.strays, after.account_id ?? "")];
}

function tokenRegenerationFindings({ rc, address }: PlannedStep): Finding[] {
  return rc.change.actions.includes("create") ? [{ kind: "tokenRegenerated", address }] : [];
}

function endpointPinFindings({ rc, address, before, after }: PlannedStep): Finding[] {
  return isReplace(rc) ? [{ kind: "endpointsChanged", address, before: before.endpoints ?? "?", after: after.endpoints ?? "?" }] : [];
}

/** How each step's planned change reads, by its construct id. */
const STEP_READINGS: readonly (readonly [stepId: string, read: (step: PlannedStep) => Finding[]])[] = [
  [STEP_IDS.lifecycle, lifecycleFindings],
  [STEP_IDS.settings, settingsFindings],
  [STEP_IDS.reconcile, reconcileFindings],
  [STEP_IDS.stopAllOnDestroy, ownerFindings],
  [STEP_IDS.owner, ownerFindings],
  [STEP_IDS.adoption, adoptionFindings],
  [STEP_IDS.driftRepair, driftRepairFindings],
  [STEP_IDS.settle, settleFindings],
  [STEP_IDS.tokenRegeneration, tokenRegenerationFindings],
  [STEP_IDS.endpointPin, endpointPinFindings],
];

/** Whether a change is one of the library's steps, by the construct id its address ends with (see hasStepId). */
export function isStep(rc: ResourceChange, stepId: string): boolean {
  return hasStepId(rc.address, stepId);
}

function objectOf(triggers: Record<string, string>): FortiFlexObject {
  return { kind: triggers.kind ?? "object", key: triggers.key ?? "", accountId: triggers.account_id ?? "" };
}

/** The object a step (Settings, DriftRepair) belongs to: the lifecycle step with the same construct path. */
function lifecycleObjectOf(step: ResourceChange, changes: ResourceChange[]): FortiFlexObject {
  const prefix = step.address.replace(/_(Settings|DriftRepair)(_[0-9A-F]{8})?(\[\d+\])?$/, "");
  const lifecycle = changes.find((rc) => rc.address.startsWith(`${prefix}_${STEP_IDS.lifecycle}`) && isStep(rc, STEP_IDS.lifecycle));
  const triggers = triggersOf(lifecycle?.change.before ?? lifecycle?.change.after);
  return triggers.key ? objectOf(triggers) : { kind: "entitlement", key: step.address, accountId: "" };
}

/** An object by key and account, as the stop notes name it: "<key> (account <id>|own)". */
export function objectId(object: FortiFlexObject): string {
  return `${object.key} (account ${object.accountId || "own"})`;
}

/**
 * The declared objects of a reconcile step, from its "<key>@<scope index>" list and its scopes; empty when
 * absent or not known yet.
 */
function declaredOf(triggers: Record<string, string>): FortiFlexObject[] {
  try {
    const declared = JSON.parse(triggers.declared ?? "[]") as unknown;
    const scopes = JSON.parse(triggers.scopes ?? "[]") as { account_id?: string }[];
    if (!Array.isArray(declared)) return [];
    return declared.map(String).map((entry) => {
      const at = entry.lastIndexOf("@");
      return { kind: "object", key: entry.slice(0, at), accountId: scopes[Number(entry.slice(at + 1))]?.account_id ?? "" };
    });
  } catch {
    return [];
  }
}
