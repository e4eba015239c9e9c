import { spawnSync, type ChildProcess } from "node:child_process";
import { installLocalProviders } from "./install";
import { runProcess, type ProcessResult } from "./run-process";

/** The `terraform version` line, or undefined when terraform is not on PATH. */
export function terraformVersion(): string | undefined {
  const probe = spawnSync("terraform", ["version"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.split("\n")[0] : undefined;
}

/**
 * Runs real terraform in a stack directory with the project's local null and external providers (so nothing
 * is downloaded), asynchronously (a simulator may answer from this process), keeping a transcript.
 */
/** What `terraform show -json <plan>` prints, as far as the callers read it. */
export interface PlanDocument {
  resource_changes?: { address: string; type: string; action_reason?: string; change: { actions: string[] } }[];
}

export class Terraform {
  /** Terraform commands run by this process. */
  static commandsRun = 0;
  private running?: ChildProcess;
  /** Everything terraform printed, one entry per command. */
  readonly transcript: { command: string; output: string }[] = [];

  constructor(
    readonly dir: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Runs terraform; throws with the whole output when it fails, unless `allowFailure`. */
  async run(args: string[], options: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<ProcessResult> {
    Terraform.commandsRun++;
    // TF_LOG and TF_LOG_PATH pass through, to debug a failing run.
    const logging = Object.fromEntries(["TF_LOG", "TF_LOG_PATH"].filter((k) => process.env[k]).map((k) => [k, process.env[k] as string]));
    const env = { HOME: process.env.HOME ?? "/tmp", ...installLocalProviders().env, ...logging, ...this.env };
    const res = await runProcess("terraform", [...args, "-no-color"], this.dir, env, undefined, options.timeoutMs ?? 120_000, (child) => (this.running = child));
    this.running = undefined;
    this.transcript.push({ command: args.join(" "), output: res.stdout + res.stderr });
    if (res.exitCode !== 0 && !options.allowFailure) throw new Error(`terraform ${args.join(" ")} failed (${res.exitCode}):\n${res.stdout}\n${res.stderr}`);
    return res;
  }

  init(): Promise<ProcessResult> {
    return this.run(["init", "-input=false"]);
  }

  async apply(...extra: string[]): Promise<string> {
    return (await this.run(["apply", "-auto-approve", "-input=false", ...extra])).stdout;
  }

  async destroy(...extra: string[]): Promise<string> {
    return (await this.run(["destroy", "-auto-approve", "-input=false", ...extra])).stdout;
  }

  /** `terraform plan` as text and as JSON (resource changes by address, and the whole `show -json` document). */
  async plan(...extra: string[]): Promise<{ text: string; changes: Record<string, string[]>; json: PlanDocument }> {
    const text = (await this.run(["plan", "-input=false", "-out=tfplan", ...extra])).stdout;
    const json = JSON.parse((await this.run(["show", "-json", "tfplan"])).stdout) as PlanDocument;
    const changes: Record<string, string[]> = {};
    for (const rc of json.resource_changes ?? []) if (!(rc.change.actions.length === 1 && ["no-op", "read"].includes(rc.change.actions[0]))) changes[rc.address] = rc.change.actions;
    return { text, changes, json };
  }

  /** Root module outputs, sensitive ones included (as `terraform output -json` gives them). */
  async outputs(): Promise<Record<string, { value: unknown; sensitive: boolean }>> {
    return JSON.parse((await this.run(["output", "-json"])).stdout);
  }

  /** Kills the terraform command in progress (SIGKILL: a runner that dies, not one that is interrupted). */
  killRunning(): void {
    this.running?.kill("SIGKILL");
  }

  /** Addresses of the resources in the state that are tainted. */
  async tainted(): Promise<string[]> {
    const state = JSON.parse((await this.run(["show", "-json"])).stdout) as { values?: { root_module?: { resources?: { address: string; tainted?: boolean }[] } } };
    return (state.values?.root_module?.resources ?? []).filter((r) => r.tainted).map((r) => r.address);
  }
}
