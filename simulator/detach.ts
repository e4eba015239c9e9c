import { spawn } from "node:child_process";

/**
 * `--detach`: the simulator runs on in the background and the command returns once it listens, printing
 * what the simulator announced. So `eval "$(npm run --silent simulator -- --detach --print-env)"` works: a
 * command substitution waits for its command's output to close, and a simulator in the foreground never closes it.
 *
 * The background process has a session of its own (no terminal signals reach it), no output pipes (none is
 * held open for the launcher's caller), and an IPC channel over which it reports once: what to print, or why it
 * could not start. It is stopped by its pid, which it announces.
 */

/** What the background simulator sends its launcher, once. */
type Report = { readonly announce: string } | { readonly error: string };

/** Starts the simulator given `args` (without --detach) in the background; resolves with its announcement. */
export function startDetached(args: readonly string[]): Promise<string> {
  const script = process.argv[1];
  // The bundle npm run simulator builds; a .ts entry would need ts-node in the background process too.
  if (!script.endsWith(".js")) return Promise.reject(new Error("--detach runs the built simulator: npm run simulator -- --detach"));
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: ["ignore", "ignore", "ignore", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (report: Report) => {
      child.removeAllListeners("exit");
      child.disconnect();
      child.unref();
      if ("announce" in report) resolve(report.announce);
      else reject(new Error(report.error));
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`the simulator ended before it listened (${signal ?? `exit status ${code}`})`)));
  });
}

/** True in the background process of --detach: the only way the simulator is started with an IPC channel. */
export function startedDetached(): boolean {
  return process.send !== undefined;
}

/**
 * Sends the launcher its one report, then lets go of the channel. False when the launcher is gone already (killed
 * while it waited): then no one knows this process's pid.
 */
export function reportToLauncher(report: Report): Promise<boolean> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve(false);
    process.send!(report, (e: Error | null) => {
      if (process.connected) process.disconnect();
      resolve(!e);
    });
  });
}
