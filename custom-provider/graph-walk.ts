import * as fs from "node:fs";

/**
 * Which Terraform graph walk runs this data-source read, or "" when that cannot be told for sure.
 *
 * Terraform starts a provider as its own process for each walk (the plan, then the apply) and ends it with the
 * walk; the external provider starts the handler as its direct child. So the parent process (its pid and start
 * time, the start time guarding against a reused pid) names the walk: two reads with the same walk are in one
 * plan, where no step runs in between, and a read the plan deferred to the apply has another. That holds only
 * for a provider Terraform (or OpenTofu) started itself: one attached from outside (TF_REATTACH_PROVIDERS, a
 * debugger) serves every walk. Then, and where processes cannot be inspected (no /proc: macOS, Windows), this
 * returns "" and reads always ask FortiFlex.
 */
export function currentGraphWalk(): string {
  const provider = processStat(process.ppid);
  if (!provider) return "";
  return isTerraform(provider.ppid) ? `${process.ppid}:${provider.startTime}` : "";
}

/**
 * The Terraform run (the terraform process, as "<pid>:<start time>") that started this handler: its parent
 * for a local-exec step, its provider's parent for a data source; "" when not started by Terraform or when
 * that cannot be told.
 */
export function currentTerraformRun(as: "step" | "dataSource"): string {
  const pid = as === "step" ? process.ppid : processStat(process.ppid)?.ppid;
  const terraform = pid === undefined ? undefined : processStat(pid);
  return pid !== undefined && terraform && isTerraform(pid) ? `${pid}:${terraform.startTime}` : "";
}

function isTerraform(pid: number): boolean {
  return TERRAFORM_EXECUTABLES.has(readText(`/proc/${pid}/comm`).trim());
}

/** Names of the processes that start providers: Terraform (`terraform-bin` behind setup-terraform's wrapper) and OpenTofu. */
const TERRAFORM_EXECUTABLES = new Set(["terraform", "terraform-bin", "tofu"]);

/** Parent pid and start time of a process, from /proc/<pid>/stat (fields 4 and 22). */
function processStat(pid: number): { ppid: number; startTime: string } | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  // Fields after the command name, which may hold spaces and parentheses: field 3 first.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  const startTime = fields[19] ?? "";
  return Number.isInteger(ppid) && ppid > 0 && /^\d+$/.test(startTime) ? { ppid, startTime } : undefined;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
