import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { HandlerUsage } from "../custom-provider/usage-log";
import { Terraform, type PlanDocument } from "../local-providers/terraform-runner";
import { ENV } from "../contract/endpoints";
import type { FortiFlexSimulator } from "../simulator/fortiflex-simulator";
import type { FleetStack } from "./fleet-stacks";

/** What one terraform command cost one stack in one phase. */
export interface StackRun {
  readonly stack: string;
  readonly ok: boolean;
  /** Why the run counts as failed. */
  readonly reason?: string;
  readonly wallMs: number;
  /** One entry per handler process the command ran (from the stack's usage log). */
  readonly usage: HandlerUsage[];
}

/** A plan or apply waits out the request budget with the rest of the fleet: minutes, not the runner's default. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;

/**
 * Runs real terraform in the fleet's stack directories as one CI runner would: the simulator's credentials,
 * one token cache for every stack (so the fleet authenticates once per token lifetime), and a usage log of
 * its own per stack and phase (terraform hands its environment to local-exec and to the external provider,
 * which hands it to the handler).
 *
 * No TF_PLUGIN_CACHE_DIR: `terraform init` links the local providers' filesystem mirror (unpacked) into each
 * stack, so the mirror already is the one shared copy; a plugin cache would add a copy, and terraform's cache
 * is not safe for concurrent inits (they fail with "file exists").
 */
export class FleetTerraform {
  private readonly adminPassword = `Bench-${crypto.randomBytes(9).toString("base64url")}-7x`;

  constructor(
    private readonly sim: FortiFlexSimulator,
    private readonly workDir: string,
  ) {}

  /** The usage log file of a stack in a phase. */
  usageLog(phase: string, stack: FleetStack): string {
    return path.join(this.workDir, "usage", phase, `${stack.id}.jsonl`);
  }

  async init(stack: FleetStack): Promise<StackRun> {
    return this.timed(stack, "init", async (tf) => {
      const res = await tf.run(["init", "-input=false"], { allowFailure: true, timeoutMs: COMMAND_TIMEOUT_MS });
      return res.exitCode === 0 ? undefined : `init failed: ${errorOf(res.stdout + res.stderr)}`;
    });
  }

  async apply(stack: FleetStack, phase: string): Promise<StackRun> {
    return this.timed(stack, phase, async (tf) => {
      const res = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true, timeoutMs: COMMAND_TIMEOUT_MS });
      return res.exitCode === 0 ? undefined : `apply failed: ${errorOf(res.stdout + res.stderr)}`;
    });
  }

  /** A plan; with `noChanges`, one that would change a resource counts as failed, with what it would change. */
  async plan(stack: FleetStack, phase: string, noChanges: boolean): Promise<StackRun> {
    return this.timed(stack, phase, async (tf) => {
      // -detailed-exitcode: 0 no changes, 2 changes, 1 error.
      const res = await tf.run(["plan", "-input=false", "-detailed-exitcode", "-out=tfplan"], { allowFailure: true, timeoutMs: COMMAND_TIMEOUT_MS });
      if (res.exitCode !== 0 && res.exitCode !== 2) return `plan failed: ${errorOf(res.stdout + res.stderr)}`;
      if (res.exitCode === 0 || !noChanges) return undefined;
      const changes = await resourceChangesIn(tf);
      return changes.length ? `plan shows changes: ${changes.join(", ")}` : undefined;
    });
  }

  private async timed(stack: FleetStack, phase: string, command: (tf: Terraform) => Promise<string | undefined>): Promise<StackRun> {
    const log = this.usageLog(phase, stack);
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const tf = new Terraform(stack.dir, this.env(stack, log));
    const started = performance.now();
    let reason: string | undefined;
    try {
      reason = await command(tf);
    } catch (e) {
      reason = (e as Error).message;
    }
    const wallMs = performance.now() - started;
    return { stack: stack.id, ok: reason === undefined, reason, wallMs, usage: readUsage(log) };
  }

  private env(stack: FleetStack, usageLog: string): Record<string, string> {
    return {
      ...this.sim.env(),
      [ENV.tokenCacheDir]: path.join(this.workDir, "token-cache"),
      [ENV.usageLog]: usageLog,
      ...Object.fromEntries(stack.requiredVariables.map((name) => [`TF_VAR_${name}`, this.adminPassword])),
    };
  }
}

function readUsage(file: string): HandlerUsage[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HandlerUsage);
}

/** Terraform's first error, on one line. */
function errorOf(output: string): string {
  const at = output.indexOf("Error: ");
  const text = at < 0 ? output.trim().split("\n").slice(-5).join(" ") : output.slice(at).split("\n\n").slice(0, 2).join(" ");
  return text.replace(/[│╷╵]/g, "").replace(/\s+/g, " ").trim().slice(0, 600);
}

/** The resources a saved plan would change, with their actions (reads and no-ops are not changes). */
async function resourceChangesIn(tf: Terraform): Promise<string[]> {
  const shown = await tf.run(["show", "-json", "tfplan"], { allowFailure: true });
  if (shown.exitCode !== 0) return [`(terraform show failed: ${errorOf(shown.stdout + shown.stderr)})`];
  const plan = JSON.parse(shown.stdout) as PlanDocument;
  return (plan.resource_changes ?? [])
    .filter((rc) => !rc.change.actions.every((a) => a === "no-op" || a === "read"))
    .map((rc) => `${rc.address} (${rc.change.actions.join("+")})`);
}
