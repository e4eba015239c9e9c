import { spawn, type ChildProcess } from "node:child_process";

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop (the simulator answers from this process), with a
 * minimal environment plus `env`, optional stdin and a kill timeout.
 */
export function runProcess(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  stdin?: string,
  timeoutMs = 30_000,
  onSpawn?: (child: ChildProcess) => void,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["pipe", "pipe", "pipe"] });
    onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, stdout, stderr });
    });
    child.stdin.end(stdin ?? "");
  });
}
