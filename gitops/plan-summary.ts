/**
 * What one stack's plan means for a reviewer: resource counts and notes on the changes not to miss (stops,
 * rebuilt FortiGates, regenerated tokens, drift repairs), from the plan's own reasons.
 */
import { STEP_IDS } from "../contract/handler-contract";
import { classifyChange, isStep, objectId, type Finding } from "./plan-classification";
import { triggersOf, type PlanJson, type ResourceChange } from "./terraform-plan-json";

export type { PlanJson } from "./terraform-plan-json";

export interface StackSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly notes: string[];
}

export function summarizePlan(stack: string, plan: PlanJson): StackSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  const notes: string[] = [];
  const changes = plan.resource_changes ?? [];
  for (const rc of changes) {
    const a = rc.change.actions;
    const replace = a.includes("delete") && a.includes("create");
    if (replace || a.includes("create")) add++;
    if (replace || a.includes("delete")) destroy++;
    if (a.includes("update")) change++;
    if (isStep(rc, STEP_IDS.licenseBoot) && a.includes("create")) {
      const triggers = triggersOf(rc.change.after);
      notes.push(bootNote(rc, triggersOf(rc.change.before), triggers, vmActions(changes, triggers.name)));
    }
    for (const finding of classifyChange(rc, changes)) notes.push(...noteOf(finding));
  }
  notes.push(...unlicensedRebuilds(changes));
  return { stack, add, change, destroy, notes };
}

/** What a reviewer is told of a finding; nothing when the counts say it all. */
function noteOf(f: Finding): string[] {
  const what = (o: { kind: string; key: string }) => `${o.kind} ${o.key}`.trim();
  switch (f.kind) {
    case "stepRerun":
      // Terraform runs no destroy step for a tainted resource or one removed from the code: say what really happens.
      return [`step re-run (${f.address}, tainted): ${what(f.object)} is found by its key again, nothing is stopped`];
    case "objectRemovedFromCode":
      return [`${what(f.object)} removed from the code (${f.address}): stopped/disabled by the stack's reconcile step, not by this resource`];
    case "objectStopped": {
      const replacement = f.replacement ? `: a new ${f.replacement.kind} ${f.replacement.key} is created or reused` : "";
      return [`**FortiFlex ${what(f.object)} stopped/disabled** (${f.address})${replacement}`];
    }
    case "settingsChanged":
      // Terraform shows the step replaced ("1 to destroy"): say what really happens, in FortiFlex terms.
      return [`FortiFlex settings changed in place (${f.address}; shown as a replacement, nothing is destroyed): ${f.changes.join("; ")}`];
    case "straysCleared":
      return [`reconcile step run once more after last apply stopped what the plan found astray (${f.address}): nothing changes in FortiFlex`];
    case "repairSettled":
      return [`settings step run once more after last apply's drift repair (${f.address}): the same settings again, nothing changes in FortiFlex`];
    case "entitlementStoppedBySettings":
      return [`**FortiFlex entitlement ${f.object.key} stopped** (${f.address}): its status setting changes from ACTIVE to STOPPED`];
    case "reconcileRun":
      return reconcileNotes(f);
    case "ownerGone":
      return ownerGoneNotes(f);
    case "adoption":
      return [
        `**adopts existing ${f.adopted} as ${f.key}** (${f.address}): the adoption itself creates and stops nothing; the stack's settings then apply` +
          " to it in place (name or description, parameters, configuration, status: a STOPPED entitlement is reactivated and charged," +
          " one declared STOPPED is stopped)",
      ];
    case "driftRepair":
      return [`drift repaired (${f.address}): ${f.drift}`];
    case "entitlementStoppedByRepair":
      return [
        `**FortiFlex entitlement ${f.object.key} stopped** (${f.address}): reactivated outside Terraform, the repair restores its declared status STOPPED`,
      ];
    case "straysSettled":
      return [`**FortiFlex: the apply stops what the plan found astray** (${f.address}): ${f.strays}`];
    case "tokenRegenerated":
      return [`**license token regenerated** (${f.address})`];
    case "endpointsChanged":
      return [
        `**FortiFlex endpoints change** from ${f.before} to ${f.after} (${f.address}; the code sets allowEndpointChange):` +
          " the stack's objects at the old endpoints are stopped/disabled and made anew at the new ones",
      ];
    case "resourceDestroyed":
      return [];
  }
}

function reconcileNotes(f: Extract<Finding, { kind: "reconcileRun" }>): string[] {
  const astray = "(what the plan saw astray is listed in its strays trigger)";
  if (!f.replaced) {
    return [
      `the reconcile step (${f.address}) stops any live object of namespace ${f.namespace} that the stack does not declare,` +
        ` including objects only FortiFlex knows of ${astray}`,
    ];
  }
  return [
    ...(f.stopped.length ? [`**FortiFlex objects stopped/disabled** (no longer declared): ${f.stopped.map(objectId).join(", ")}`] : []),
    `the reconcile step also stops any object of the namespace that the state does not know of ${astray}`,
  ];
}

function ownerGoneNotes(f: Extract<Finding, { kind: "ownerGone" }>): string[] {
  const where = `namespace ${f.namespace} (account ${f.accountId || "own"})`;
  if (f.how === "removedFromCode")
    return [
      `**the stop-all step of ${where} removed from the code** (${f.address}): Terraform runs no destroy step, ` +
        "so nothing left there is stopped by this stack any more",
    ];
  if (f.how === "replaced")
    return [`**the stop-all step of ${where} replaced** (${f.address}): its destroy step stops everything there, entitlements in use included`];
  return [`**everything left in ${where} is stopped/disabled** (${f.address})`];
}

/** Trigger names of a boot step that are not reasons to rebuild but its own bookkeeping. */
const BOOT_BOOKKEEPING: Record<string, string> = { lifecycle: "its FortiFlex entitlement is replaced", token_generation: "token generation bumped" };

/** The planned actions of the VM named `name` (empty when the plan has none). */
function vmActions(changes: ResourceChange[], name: string | undefined): string[] {
  const vm = changes.find((rc) => rc.type === "azurerm_linux_virtual_machine" && String((rc.change.after ?? rc.change.before)?.name ?? "") === name);
  return vm?.change.actions ?? [];
}

/** Why a FortiGate gets a new VM: the boot step's triggers that change (names only: some are secret hashes). */
function bootNote(rc: ResourceChange, before: Record<string, string>, after: Record<string, string>, vm: string[]): string {
  const name = after.name ?? before.name ?? rc.address;
  if (!rc.change.before && vm.length && !vm.includes("create")) {
    return (
      `**FortiGate ${name} keeps running while its boot step is created** (${rc.address}, e.g. after a move of the step):` +
      " its license token is regenerated at apply although no VM boots (the running FortiGate stays licensed)"
    );
  }
  if (!rc.change.before) return `FortiGate ${name}: first boot (${rc.address}), with its entitlement's unused license token`;
  const unknown = (rc.change.after_unknown?.triggers ?? rc.change.after_unknown?.triggers_replace ?? {}) as Record<string, boolean>;
  const causes = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => unknown[k] || before[k] !== after[k])
    .map((k) => BOOT_BOOKKEEPING[k] ?? `${k.replace(/_sha256$/, "")} changes`);
  if (rc.action_reason === "replace_because_tainted") causes.push("its boot step is tainted");
  return (
    `**FortiGate ${name} rebuilt** (${rc.address}): ${causes.join(", ") || "replaced on request"};` +
    " the new VM boots with an unused license token (a new one-time token is generated at apply if the current one was used)"
  );
}

/**
 * VMs that Terraform creates while their boot step stays: tainted or `-replace`d VMs, VMs deleted outside
 * Terraform, a create that failed after the VM booted. They boot with the current token, unlicensed if an
 * earlier VM used it.
 */
function unlicensedRebuilds(changes: ResourceChange[]): string[] {
  const bootsStaying = new Map<string, string>();
  for (const rc of changes) {
    if (isStep(rc, STEP_IDS.licenseBoot) && rc.change.actions.length === 1 && rc.change.actions[0] === "no-op")
      bootsStaying.set(triggersOf(rc.change.before).name, rc.address);
  }
  const notes: string[] = [];
  for (const rc of changes) {
    if (rc.type !== "azurerm_linux_virtual_machine" || !rc.change.actions.includes("create")) continue;
    const name = String((rc.change.after ?? rc.change.before)?.name ?? "");
    const boot = bootsStaying.get(name);
    if (boot)
      notes.push(
        `**FortiGate ${name} may boot UNLICENSED** (${rc.address} is created but ${boot} stays, so the VM gets the current token,` +
          ` which an earlier VM may have used): rebuild it with \`terraform apply -replace=${boot}\` instead`,
      );
  }
  return notes;
}
