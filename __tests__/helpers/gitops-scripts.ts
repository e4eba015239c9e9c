import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

export interface ScriptRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The judge built as the workflow's build action builds it (`npm run build:judge`: the fortiflex CLI, one
 * file), into a directory of the calling suite's own, so that suites running side by side never read each
 * other's half-written bundles.
 */
export class GitopsScripts {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-gitops-scripts-"));
  readonly judge = path.join(this.dir, "fortiflex.js");

  constructor() {
    const build = spawnSync("npm", ["run", "--silent", "build:judge", "--", `--outfile=${this.judge}`], { cwd: ROOT, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build:judge failed:\n${build.stderr}${build.stdout}`);
  }

  /** Runs `node <dir>/fortiflex.js gitops <name> args...` as a workflow step would, with only the given environment (plus PATH). */
  run(name: string, args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): ScriptRun {
    const res = spawnSync(process.execPath, [this.judge, "gitops", name, ...args], {
      encoding: "utf8",
      input: options.input ?? "",
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? "", ...options.env },
      timeout: 20_000,
    });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  }

  /** As `run`, without blocking the event loop: for scripts talking to a simulator in this process. */
  runAsync(name: string, args: string[], options: { env?: Record<string, string> } = {}): Promise<ScriptRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.judge, "gitops", name, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill(), 20_000);
      child.on("error", reject);
      child.on("close", (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
