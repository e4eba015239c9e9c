import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";

const ROOT = path.join(__dirname, "..", "..");

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
export interface Job {
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; "max-parallel"?: number; matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps?: Step[];
}
export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export const WORKFLOWS = path.join(ROOT, ".github", "workflows");
export const BUILD_ACTION = path.join(ROOT, ".github", "actions", "fortiflex-build", "action.yml");

export function workflow(file: string): Workflow {
  return YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
}

/** The run script of the build action's one step (this project's, or that of the checkout at `root`). */
export function buildActionScript(root?: string): string {
  const file = root ? path.join(root, ".github", "actions", "fortiflex-build", "action.yml") : BUILD_ACTION;
  const action = YAML.parse(fs.readFileSync(file, "utf8")) as { runs: { steps: Step[] } };
  return action.runs.steps[0].run!;
}

/** How a runner runs a `run:` step (GitHub's default shell on Linux). */
export const RUNNER_BASH = ["--noprofile", "--norc", "-eo", "pipefail", "-c"];

export interface StepRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a step's script as the runner does, in `cwd`, with only `env` (and PATH, with `bin` first when given). */
export function runStep(script: string, cwd: string, env: Record<string, string>, bin?: string): StepRun {
  const res = spawnSync("bash", [...RUNNER_BASH, script], {
    cwd,
    encoding: "utf8",
    env: { PATH: `${bin ? `${bin}:` : ""}${process.env.PATH ?? ""}`, HOME: os.tmpdir(), ...env },
    timeout: 120_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** Writes executable stand-ins (name -> bash body) into a fresh bin directory. */
export function standIns(dir: string, commands: Record<string, string>): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(commands)) fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  return bin;
}

/**
 * A copy of this project as a fleet repository would hold it (every file git knows of or would add), with
 * this project's node_modules linked in: what `npm ci` would install.
 */
export function projectCopy(dir: string): string {
  const files = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .stdout.split("\0")
    .filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(ROOT, f))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/**
 * Stand-ins for running Terraform as its own user: sudo logs each command and runs it as this user (options
 * dropped), useradd and chown do nothing.
 */
export function userStandIns(dir: string): Record<string, string> {
  return {
    sudo: [
      `echo "sudo $*" >> "${dir}/sudo.log"`,
      'args=("$@")',
      'while [ "${#args[@]}" -gt 0 ] && [[ "${args[0]}" == -* ]]; do if [ "${args[0]}" = -u ]; then ' +
        'args=("${args[@]:2}"); else args=("${args[@]:1}"); fi; done',
      'exec "${args[@]}"',
    ].join("\n"),
    useradd: "exit 0",
    chown: "exit 0",
  };
}

/** A stand-in npm: `npm ci` links this project's node_modules (and logs its flags); anything else is the real npm. */
export function npmStandIn(dir: string): string {
  const npm = spawnSync("bash", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
  return standIns(dir, {
    npm: [
      `if [ "$1" = ci ]; then echo "npm $*" >> "${dir}/npm.log"; ln -sfn "${path.join(ROOT, "node_modules")}" node_modules; exit 0; fi`,
      `exec "${npm}" "$@"`,
    ].join("\n"),
  });
}
