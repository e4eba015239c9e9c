/**
 * The FortiGate admin passwords of a read-only plan (pull request, drift). The real passwords exist only in
 * the apply environment, but a plan needs a value for each password variable, and a different one changes
 * it: a VM's admin_password forces a new VM, and its boot step's trigger holds the password's hash. So a
 * plan uses the password each FortiGate already has, from the state it reads anyway (Terraform keeps a VM's
 * admin_password there), and a throwaway one only for a FortiGate not built yet: its VM is created
 * whatever the value.
 *
 *   terraform show -json | fortiflex gitops plan-passwords <stack dir> <variable file>
 *
 * Writes the values as a Terraform variable file (JSON, mode 0600) for the plan's `-var-file`: they reach
 * the one command that needs them and no other step of the job. Prints an ::add-mask:: command per value (so
 * the runner hides it from the log) and, on stderr, where each value came from (never the value).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { STEP_IDS } from "../contract/handler-contract";
import { hasStepId } from "../contract/step-address";
import { type GitopsCommand, usageMistake } from "./gitops-command";

const VM_TYPE = "azurerm_linux_virtual_machine";

export interface PlanPassword {
  readonly variable: string;
  readonly value: string;
  /** Where the value comes from, for the log. */
  readonly source: string;
  /** Set when the plan may show more than an apply with the real password would. */
  readonly warning?: string;
}

interface TfJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

interface StateResource {
  address: string;
  type: string;
  name: string;
  values?: Record<string, unknown>;
}

interface StateJson {
  values?: { root_module?: StateModule };
}
interface StateModule {
  resources?: StateResource[];
  child_modules?: StateModule[];
}

/** The variables the stack's VMs take their admin password from, each with the VMs and boot steps using it. */
export function passwordVariables(tf: TfJson): Map<string, { vms: string[]; boots: string[] }> {
  const variables = new Map<string, { vms: string[]; boots: string[] }>();
  const entry = (name: string) => variables.get(name) ?? variables.set(name, { vms: [], boots: [] }).get(name)!;
  for (const [name, vm] of Object.entries(tf.resource?.[VM_TYPE] ?? {})) {
    const variable = /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(String(vm.admin_password ?? ""))?.[1];
    if (variable) entry(variable).vms.push(name);
  }
  for (const type of ["null_resource", "terraform_data"]) {
    for (const [name, step] of Object.entries(tf.resource?.[type] ?? {})) {
      if (!hasStepId(name, STEP_IDS.licenseBoot)) continue;
      const triggers = (step.triggers ?? step.triggers_replace ?? {}) as Record<string, string>;
      const variable = /var\.([A-Za-z0-9_-]+)/.exec(triggers.admin_password_sha256 ?? "")?.[1];
      if (variable && variables.has(variable)) entry(variable).boots.push(`${type}.${name}`);
    }
  }
  return variables;
}

function stateResources(state: StateJson): StateResource[] {
  const walk = (m: StateModule | undefined): StateResource[] => [...(m?.resources ?? []), ...(m?.child_modules ?? []).flatMap(walk)];
  return walk(state.values?.root_module);
}

export function planPasswords(tf: TfJson, state: StateJson): PlanPassword[] {
  const resources = stateResources(state);
  return [...passwordVariables(tf)].map(([variable, uses]) => {
    const holders = resources.filter(
      (r) => r.type === VM_TYPE && uses.vms.includes(r.name) && typeof r.values?.admin_password === "string" && r.values.admin_password,
    );
    if (holders.length) {
      const values = new Set(holders.map((r) => r.values!.admin_password as string));
      return {
        variable,
        value: holders[0].values!.admin_password as string,
        source: `from the state (${holders[0].address})`,
        ...(values.size > 1 ? { warning: `the VMs of var.${variable} have different admin passwords in the state; the plan shows the others rebuilt` } : {}),
      };
    }
    const bootsInState = resources.filter((r) => uses.boots.includes(r.address)).map((r) => r.address);
    return {
      variable,
      value: throwawayPassword(),
      source: "a throwaway value: no VM in the state has it yet (the plan creates the VM either way)",
      ...(bootsInState.length
        ? {
            warning:
              `${bootsInState.join(", ")} in the state but not the VM: the plan shows the boot step rebuilt (its password hash differs),` +
              " which the apply with the real password may not do",
          }
        : {}),
    };
  });
}

/** Random, and meets the variable's validation (12-72 characters, lower, upper, digit, symbol). */
function throwawayPassword(): string {
  return `${crypto.randomBytes(18).toString("base64url")}aA1!`;
}

/** A Terraform variable file (JSON) with the values; a value with a line break is no password (and no mask could hide it). */
export function variableFile(passwords: readonly PlanPassword[]): string {
  for (const p of passwords) if (/[\r\n]/.test(p.value)) throw new Error(`the value for var.${p.variable} has a line break; not usable as a password`);
  return `${JSON.stringify(Object.fromEntries(passwords.map((p) => [p.variable, p.value])))}\n`;
}

export const planPasswordsCommand: GitopsCommand = {
  name: "plan-passwords",
  usage: "<stack dir> <variable file>",
  input: "terraform show -json",
  summary: "a read-only plan's admin passwords, from the state",
  run(args, io) {
    const [stackDir, varFile] = args;
    if (!stackDir || !varFile || args.length !== 2) {
      return usageMistake(planPasswordsCommand, io);
    }
    try {
      const tf = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as TfJson;
      const input = io.stdin();
      let state: StateJson;
      try {
        state = JSON.parse(input) as StateJson;
      } catch {
        throw new Error("stdin is not JSON: pipe `terraform show -json` (the state, no plan file) into it");
      }
      const passwords = planPasswords(tf, state);
      for (const p of passwords) io.stdout.write(`::add-mask::${p.value}\n`);
      fs.writeFileSync(varFile, variableFile(passwords), { mode: 0o600 });
      for (const p of passwords) {
        io.stderr.write(`plan-passwords: var.${p.variable}: ${p.source}\n`);
        if (p.warning) io.stdout.write(`::warning::${p.warning}\n`);
      }
      return 0;
    } catch (e) {
      io.stderr.write(`plan-passwords: ${(e as Error).message}\n`);
      return 1;
    }
  },
};
