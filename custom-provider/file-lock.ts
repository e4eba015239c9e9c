import * as fs from "node:fs";

/**
 * Runs `fn` while holding `lockFile` (created exclusively, 0600, in a directory the caller made safe). A lock
 * whose holder is gone, or older than `staleMs` (its holder hangs), is broken; waiting longer than `waitMs`
 * fails.
 */
export async function withFileLock<T>(lockFile: string, fn: () => Promise<T>, staleMs = 30_000, waitMs = 60_000): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx", mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      breakIfStale(lockFile, staleMs);
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockFile}`);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/** Breaks a lock whose holder is gone (killed while holding it) or that is older than `staleMs`. */
function breakIfStale(lockFile: string, staleMs: number): void {
  try {
    const holder = Number(fs.readFileSync(lockFile, "utf8"));
    if (Date.now() - fs.statSync(lockFile).mtimeMs > staleMs || (holder > 0 && !isAlive(holder))) fs.rmSync(lockFile, { force: true });
  } catch {
    // The lock disappeared between the failed create and the read: just try again.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
