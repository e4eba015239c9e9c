import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { installLocalProviders } from "./install";
import { PLUGIN_MAGIC_COOKIE } from "./plugin-cookie";
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
export interface TerraformOptions {
  /**
   * "managed": terraform starts and stops the providers for every command, as it does with any provider.
   * "reattach": the providers run once for this directory and environment and terraform attaches to them
   * (TF_REATTACH_PROVIDERS, Terraform's mode for providers it does not manage): the same plans, applies and
   * plugin protocol without starting providers four to eight times per command. @default "managed"
   */
  readonly providers?: "managed" | "reattach";
}

/** The local providers running outside terraform, for TF_REATTACH_PROVIDERS. */
class ReattachedProviders {
  static async start(dir: string, env: Record<string, string>, signature: string): Promise<ReattachedProviders> {
    const { bundle, versions } = installLocalProviders();
    const children: ChildProcess[] = [];
    const config: Record<string, unknown> = {};
    for (const address of Object.keys(versions)) {
      const type = address.split("/").pop()!;
      // As terraform starts a provider: in the stack directory, with terraform's environment and the plugin handshake variables.
      const child = spawn(process.execPath, [bundle, type], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          ...env,
          TF_PLUGIN_MAGIC_COOKIE: PLUGIN_MAGIC_COOKIE,
          PLUGIN_PROTOCOL_VERSIONS: "5",
          FORTIFLEX_PROVIDER_IDLE_EXIT_MS: "60000",
        },
        stdio: ["ignore", "pipe", "ignore"],
      });
      children.push(child);
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`local provider ${type} exited (${code}) before its handshake`)));
      });
      // Nothing more comes on stdout; the provider must not keep this process alive (it leaves when idle or orphaned).
      child.stdout!.destroy();
      child.removeAllListeners("exit");
      child.unref();
      const [, protocol, network, socket] = line.split("|");
      config[address] = { Protocol: "grpc", ProtocolVersion: Number(protocol), Pid: child.pid, Test: true, Addr: { Network: network, String: socket } };
    }
    return new ReattachedProviders(children, JSON.stringify(config), signature);
  }

  private constructor(
    private readonly children: ChildProcess[],
    readonly config: string,
    private readonly signature: string,
  ) {
    RUNNING.add(this);
  }

  alive(signature: string): boolean {
    return signature === this.signature && this.children.every((c) => c.exitCode === null && c.signalCode === null);
  }

  stop(): void {
    RUNNING.delete(this);
    for (const c of this.children) if (c.exitCode === null) c.kill("SIGTERM");
  }
}

/** Providers started by this process, stopped when it exits (they also leave by themselves when idle). */
const RUNNING = new Set<ReattachedProviders>();
process.once("exit", () => [...RUNNING].forEach((r) => r.stop()));

/** What `terraform show -json <plan>` prints, as far as the callers read it. */
export interface PlanDocument {
  resource_changes?: { address: string; previous_address?: string; type: string; action_reason?: string; change: { actions: string[] } }[];
}

export class Terraform {
  /** Terraform commands run by this process. */
  static commandsRun = 0;
  private running?: ChildProcess;
  /** Everything terraform printed, one entry per command. */
  readonly transcript: { command: string; output: string }[] = [];

  private reattached?: ReattachedProviders;

  constructor(
    readonly dir: string,
    private readonly env: Record<string, string>,
    private readonly options: TerraformOptions = {},
  ) {}

  /** Runs terraform; throws with the whole output when it fails, unless `allowFailure`. */
  async run(args: string[], options: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<ProcessResult> {
    Terraform.commandsRun++;
    // TF_LOG and TF_LOG_PATH pass through, to debug a failing run.
    const logging = Object.fromEntries(["TF_LOG", "TF_LOG_PATH"].filter((k) => process.env[k]).map((k) => [k, process.env[k] as string]));
    const base = { HOME: process.env.HOME ?? "/tmp", ...installLocalProviders().env, ...logging, ...this.env };
    const env = this.options.providers === "reattach" ? { ...base, TF_REATTACH_PROVIDERS: await this.reattach(base) } : base;
    const res = await runProcess(
      "terraform",
      [...args, "-no-color"],
      this.dir,
      env,
      undefined,
      options.timeoutMs ?? 120_000,
      (child) => (this.running = child),
    );
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
    for (const rc of json.resource_changes ?? [])
      if (!(rc.change.actions.length === 1 && ["no-op", "read"].includes(rc.change.actions[0]))) changes[rc.address] = rc.change.actions;
    return { text, changes, json };
  }

  /** Root module outputs, sensitive ones included (as `terraform output -json` gives them). */
  async outputs(): Promise<Record<string, { value: unknown; sensitive: boolean }>> {
    return JSON.parse((await this.run(["output", "-json"])).stdout);
  }

  /** Kills the terraform command in progress (SIGKILL: a runner that dies, not one that is interrupted). */
  killRunning(): void {
    if (this.options.providers === "reattach")
      throw new Error('killRunning needs providers Terraform starts itself (providers: "managed"): reattached ones outlive terraform');
    this.running?.kill("SIGKILL");
  }

  /** The reattach configuration, starting the providers for this environment when none run. */
  private async reattach(env: Record<string, string>): Promise<string> {
    // Providers take their environment (credentials, endpoints) at start: a changed one needs new providers.
    const signature = JSON.stringify(
      Object.entries(env)
        .filter(([k]) => !k.startsWith("TF_VAR_"))
        .sort(),
    );
    if (!this.reattached?.alive(signature)) {
      this.reattached?.stop();
      this.reattached = await ReattachedProviders.start(this.dir, env, signature);
    }
    return this.reattached.config;
  }

  /** Addresses of the resources in the state that are tainted. */
  async tainted(): Promise<string[]> {
    const state = JSON.parse((await this.run(["show", "-json"])).stdout) as {
      values?: { root_module?: { resources?: { address: string; tainted?: boolean }[] } };
    };
    return (state.values?.root_module?.resources ?? []).filter((r) => r.tainted).map((r) => r.address);
  }
}
