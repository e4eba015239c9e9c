/**
 * The pull-request comment of the GitOps workflow: one row per stack from `terraform show -json <plan>`,
 * with the changes a reviewer must not miss called out.
 *
 *   node dist/gitops/plan-summary.js <stack>=<plan.json> ...   -> Markdown on stdout
 */
import * as fs from "node:fs";

interface ResourceChange {
  address: string;
  type: string;
  change: { actions: string[]; after?: Record<string, unknown> | null; before?: Record<string, unknown> | null };
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
    const triggers = (rc.change.after?.triggers ?? rc.change.after?.triggers_replace ?? {}) as Record<string, string>;
    if (rc.type === "azurerm_linux_virtual_machine" && replace) notes.push(`**FortiGate VM rebuilt** (${rc.address}): it boots again with its license token`);
    if (/_Lifecycle_/.test(rc.address) && (replace || a.includes("delete"))) {
      notes.push(`**FortiFlex identity changes** (${rc.address}): the old ${triggers.kind ?? "object"} is stopped/disabled${replace ? " and a new one created or reused" : ""}`);
    }
    if (/_DriftRepair_/.test(rc.address) && a.includes("create") && triggers.drift) notes.push(`drift repaired (${rc.address}): ${triggers.drift}`);
    if (/_Settings_/.test(rc.address) && replace) notes.push(`FortiFlex settings changed in place (${rc.address})`);
    if (/_TokenRegeneration_/.test(rc.address) && a.includes("create")) notes.push(`**license token regenerated** (${rc.address})`);
  }
  return { stack, add, change, destroy, notes };
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
