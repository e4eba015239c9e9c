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
  const starter = readText(`/proc/${provider.ppid}/comm`).trim();
  return /^(terraform|tofu)/.test(starter) ? `${process.ppid}:${provider.startTime}` : "";
}

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
