/**
 * The pull-request comment of the GitOps workflow: one row per stack from `terraform show -json <plan>`,
 * with the changes a reviewer must not miss called out.
 *
 *   node dist/gitops/plan-summary.js <stack>=<plan.json> ...   -> Markdown on stdout
 */
import * as fs from "node:fs";
import { STEP_IDS } from "../spec/handler-contract";

interface ResourceChange {
  address: string;
  type: string;
  /** Why Terraform plans this action, e.g. "replace_because_tainted", "delete_because_no_resource_config". */
  action_reason?: string;
  change: { actions: string[]; after?: Record<string, unknown> | null; before?: Record<string, unknown> | null; after_unknown?: Record<string, unknown> };
}

export interface PlanJson {
  resource_changes?: ResourceChange[];
}

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
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change.actions;
    const replace = a.includes("delete") && a.includes("create");
    if (replace || a.includes("create")) add++;
    if (replace || a.includes("delete")) destroy++;
    if (a.includes("update")) change++;
    const triggers = triggersOf(rc.change.after);
    const before = triggersOf(rc.change.before);
    if (isStep(rc, "licenseBoot") && a.includes("create")) notes.push(bootNote(rc, before, triggers, vmActions(plan.resource_changes ?? [], triggers.name)));
    // Terraform runs no destroy step for a tainted resource or one removed from the code: say what really happens.
    if (isStep(rc, "lifecycle") && (replace || a.includes("delete"))) {
      const what = `${before.kind ?? "object"} ${before.key ?? ""}`.trim();
      if (rc.action_reason === "replace_because_tainted") notes.push(`step re-run (${rc.address}, tainted): ${what} is found by its key again, nothing is stopped`);
      else if (rc.action_reason === "delete_because_no_resource_config") notes.push(`${what} removed from the code (${rc.address}): stopped/disabled by the stack's reconcile step, not by this resource`);
      else notes.push(`**FortiFlex ${what} stopped/disabled** (${rc.address})${replace ? `: a new ${triggers.kind ?? "object"} ${triggers.key ?? ""} is created or reused` : ""}`);
    }
    if (isStep(rc, "reconcile") && a.includes("create") && !replace) {
      notes.push(`the reconcile step (${rc.address}) stops any live object of namespace ${triggers.namespace ?? "?"} that the stack does not declare, including objects only FortiFlex knows of (they cannot be listed at plan time)`);
    }
    if (isStep(rc, "reconcile") && replace) {
      const gone = declaredOf(before).filter((k) => !declaredOf(triggers).includes(k));
      if (gone.length) notes.push(`**FortiFlex objects stopped/disabled** (no longer declared): ${gone.join(", ")}`);
      notes.push("the reconcile step also stops any object of the namespace that the state does not know of (cannot be listed at plan time)");
    }
    if (isStep(rc, "owner") && a.includes("delete")) {
      const where = `namespace ${before.namespace ?? "?"} (account ${before.account_id || "own"})`;
      if (rc.action_reason === "delete_because_no_resource_config") notes.push(`**owner of ${where} removed from the code** (${rc.address}): Terraform runs no destroy step, so nothing left there is stopped by this stack any more`);
      else if (replace) notes.push(`**owner of ${where} replaced** (${rc.address}): its destroy step stops everything there, entitlements in use included`);
      else notes.push(`**everything left in ${where} is stopped/disabled** (${rc.address})`);
    }
    if (isStep(rc, "adoption") && a.includes("create")) {
      const what = triggers.config_id ? `configuration ${triggers.config_id}` : `entitlement ${triggers.serial_number ?? "?"}`;
      notes.push(`**adopts existing ${what} as ${triggers.key ?? "?"}** (${rc.address}): the adoption itself creates and stops nothing; the stack's settings then apply to it in place (name or description, parameters, configuration, status: a STOPPED entitlement is reactivated and charged, one declared STOPPED is stopped)`);
    }
    if (isStep(rc, "driftRepair") && a.includes("create") && triggers.drift) notes.push(`drift repaired (${rc.address}): ${triggers.drift}`);
    if (isStep(rc, "settings") && replace) notes.push(`FortiFlex settings changed in place (${rc.address})`);
    if (isStep(rc, "tokenRegeneration") && a.includes("create")) notes.push(`**license token regenerated** (${rc.address})`);
  }
  notes.push(...unlicensedRebuilds(plan.resource_changes ?? []));
  return { stack, add, change, destroy, notes };
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
    return `**FortiGate ${name} keeps running while its boot step is created** (${rc.address}, e.g. after a move of the step): its license token is regenerated at apply although no VM boots (the running FortiGate stays licensed)`;
  }
  if (!rc.change.before) return `FortiGate ${name}: first boot (${rc.address}), with its entitlement's unused license token`;
  const unknown = ((rc.change.after_unknown?.triggers ?? rc.change.after_unknown?.triggers_replace ?? {}) as Record<string, boolean>);
  const causes = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => unknown[k] || before[k] !== after[k])
    .map((k) => BOOT_BOOKKEEPING[k] ?? `${k.replace(/_sha256$/, "")} changes`);
  if (rc.action_reason === "replace_because_tainted") causes.push("its boot step is tainted");
  return `**FortiGate ${name} rebuilt** (${rc.address}): ${causes.join(", ") || "replaced on request"}; the new VM boots with an unused license token (a new one-time token is generated at apply if the current one was used)`;
}

/**
 * VMs that Terraform creates while their boot step stays: tainted or `-replace`d VMs, VMs deleted outside
 * Terraform, a create that failed after the VM booted. They boot with the current token, unlicensed if an
 * earlier VM used it.
 */
function unlicensedRebuilds(changes: ResourceChange[]): string[] {
  const bootsStaying = new Map<string, string>();
  for (const rc of changes) {
    if (isStep(rc, "licenseBoot") && rc.change.actions.length === 1 && rc.change.actions[0] === "no-op") bootsStaying.set(triggersOf(rc.change.before).name, rc.address);
  }
  const notes: string[] = [];
  for (const rc of changes) {
    if (rc.type !== "azurerm_linux_virtual_machine" || !rc.change.actions.includes("create")) continue;
    const name = String((rc.change.after ?? rc.change.before)?.name ?? "");
    const boot = bootsStaying.get(name);
    if (boot) notes.push(`**FortiGate ${name} may boot UNLICENSED** (${rc.address} is created but ${boot} stays, so the VM gets the current token, which an earlier VM may have used): rebuild it with \`terraform apply -replace=${boot}\` instead`);
  }
  return notes;
}

/** Whether a change is one of the library's steps, by the construct id in its address. */
function isStep(rc: ResourceChange, step: keyof typeof STEP_IDS): boolean {
  return rc.address.includes(`_${STEP_IDS[step]}_`);
}

function triggersOf(values: Record<string, unknown> | null | undefined): Record<string, string> {
  return ((values?.triggers ?? values?.triggers_replace) ?? {}) as Record<string, string>;
}

/**
 * The declared objects of a reconcile step, "<key> (account <id>)", from its "<key>@<scope index>" list and
 * its scopes; empty when absent or not known yet.
 */
function declaredOf(values: Record<string, string>): string[] {
  try {
    const declared = JSON.parse(values.declared ?? "[]") as unknown;
    const scopes = JSON.parse(values.scopes ?? "[]") as { account_id?: string }[];
    if (!Array.isArray(declared)) return [];
    return declared.map(String).map((entry) => {
      const at = entry.lastIndexOf("@");
      return `${entry.slice(0, at)} (account ${scopes[Number(entry.slice(at + 1))]?.account_id || "own"})`;
    });
  } catch {
    return [];
  }
}

export function markdown(summaries: StackSummary[]): string {
  if (!summaries.length) return "No customer stack changes.\n";
  const lines = ["| stack | add | change | destroy | notes |", "|---|---:|---:|---:|---|"];
  for (const s of summaries) lines.push(`| ${s.stack} | ${s.add} | ${s.change} | ${s.destroy} | ${s.notes.join("<br>") || "-"} |`);
  return `${lines.join("\n")}\n`;
}

if (require.main === module) {
  const pairs = process.argv.slice(2).map((arg) => arg.split("="));
  if (!pairs.length || pairs.some((p) => p.length !== 2)) {
    process.stderr.write("usage: plan-summary <stack>=<terraform show -json output> ...\n");
    process.exit(2);
  }
  process.stdout.write(markdown(pairs.map(([stack, file]) => summarizePlan(stack, JSON.parse(fs.readFileSync(file, "utf8")) as PlanJson))));
}
