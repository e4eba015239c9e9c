import { API } from "../contract/api-operations";
import { FGT_VM_BUNDLE_ID } from "../contract/product-catalog";
import { FortiFlexProduct, FortiGateServicePackage } from "../constructs/fortiflex-product";
import { formatParameters } from "../contract/parameter-list";
import { ENV } from "../contract/endpoints";
import { HANDLER_ENV } from "../contract/handler-contract";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { keyOf } from "../contract/object-key";
import type { FaultRule } from "../simulator/fault-plan";
import type { FortiFlexSimulator } from "../simulator/fortiflex-simulator";
import { waitFor } from "./wait-for";

/**
 * Randomized runs of the real handler process through create, settings change and destroy, with a fault
 * injected into each first attempt (or the process killed at a random moment), each followed by a clean
 * re-run (what the next `terraform apply` does). Two faults make duplicates no look-up can prevent: two
 * runners creating the same key at once (separate state, no lock), and a create that commits after its
 * runner gave up and was re-run. After every step: at most one live entitlement per key (a slow commit may
 * add one until the next step settles it), the desired state reached, and a bounded number of API calls;
 * at the end nothing is left live. Used by the test suite and by `npm run soak`.
 */

export const FAULTS = ["commit-then-drop", "reset", "server-error", "rate-limit", "timeout", "kill", "concurrent", "slow-commit"] as const;
export type CampaignFault = (typeof FAULTS)[number];

export interface CampaignOptions {
  readonly sim: FortiFlexSimulator;
  /** The bundled handler (constructs/private/handler-bundle.ts). */
  readonly handler: string;
  readonly tmp: string;
  readonly runs: number;
  /** Handler processes at once, as Terraform runs up to 10 provisioners in parallel. */
  readonly parallel: number;
  readonly seed: number;
  /** Account the entitlements live in (a member account of the seeded tenant). */
  readonly accountId?: number;
}

export interface CampaignFigures {
  seed: number;
  runs: number;
  steps: number;
  /** Requests answered with a fault, by kind. */
  faultsInjected: Record<string, number>;
  kills: number;
  failedFirstAttempts: number;
  /** Entitlements created beyond one per key (by concurrent runners and slow commits). */
  duplicatesSeen: number;
  /** Of those, stopped by the library's own steps ("stopped duplicate"). */
  extrasStopped: number;
  /** Live (ACTIVE or PENDING) entitlements and active configurations of the campaign left at the end: must be 0. */
  leftLive: number;
  apiRequests: number;
  maxRequestsPerStep: number;
  worstRerunMs: number;
}

/** A step's API requests (first attempt and re-run) must stay below this, whatever the fault. */
export const MAX_REQUESTS_PER_STEP = 30;
/**
 * The handler's per-request timeout. Only held requests (the "timeout" and "slow-commit" faults) reach it, so
 * it can be generous: every other answer must come within it even on a busy machine.
 */
const HANDLER_TIMEOUT_MS = 1_000;

type Step = "ensure" | "apply" | "destroy";
type HandlerResult = { code: number | null; killed: boolean; stdout: string; stderr: string };

/** Deterministic PRNG, so a failing campaign replays from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** What every step of one campaign shares: its randomness, its configuration and each run's identity and settings. */
class Campaign {
  readonly random: () => number;
  readonly configIdentity: object;
  readonly stoppedExtras = new Set<string>();
  private readonly common: object;
  private readonly configKey: string;
  readonly endDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

  constructor(readonly o: CampaignOptions) {
    this.random = prng(o.seed);
    const accountId = String(o.accountId ?? o.sim.seed.memberAccountIds[0]);
    this.common = { program_serial_number: o.sim.seed.programSerialNumber, account_id: accountId, api_url: o.sim.apiUrl, auth_url: o.sim.authUrl };
    this.configKey = `campaign-${o.seed}/Config`;
    this.configIdentity = { kind: "config", key: this.configKey, product_type_id: String(FGT_VM_BUNDLE_ID), ...this.common };
  }

  keyOf(run: number): string {
    return `campaign-${this.o.seed}/E${run}`;
  }

  identityOf(run: number): object {
    return { kind: "entitlement", key: this.keyOf(run), ...this.common };
  }

  settingsOf(run: number, step: Step): object {
    return {
      config_key: this.configKey,
      description: step === "ensure" ? `run ${run}` : `run ${run} (changed)`,
      end_date: step === "ensure" ? "" : this.endDate,
      folder_path: "",
      status: "ACTIVE",
      skip_pending: "true",
    };
  }

  entitlementsOf(run: number) {
    return this.o.sim.world.state.entitlements.filter((e) => keyOf(e.description) === this.keyOf(run));
  }
}

const isLive = (status: string) => status === "ACTIVE" || status === "PENDING";

export async function runFaultCampaign(o: CampaignOptions): Promise<CampaignFigures> {
  const c = new Campaign(o);
  const settings = {
    name: "campaign",
    parameters: formatParameters(FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }).parameters),
  };
  const first = await runHandler(o, "ensure", c.configIdentity, settings);
  if (first.code !== 0) throw new Error(`configuration setup failed: ${first.stderr}`);

  const figures: CampaignFigures = {
    seed: o.seed,
    runs: 0,
    steps: 0,
    faultsInjected: {},
    kills: 0,
    failedFirstAttempts: 0,
    duplicatesSeen: 0,
    extrasStopped: 0,
    leftLive: 0,
    apiRequests: 0,
    maxRequestsPerStep: 0,
    worstRerunMs: 0,
  };
  const requestsBefore = o.sim.requests.length;
  for (let batch = 0; batch * o.parallel < o.runs; batch++) {
    const runs = Array.from({ length: Math.min(o.parallel, o.runs - batch * o.parallel) }, (_, i) => batch * o.parallel + i);
    for (const step of ["ensure", "apply", "destroy"] as const) await runStep(c, runs, step, figures);
    figures.runs += runs.length;
    for (const run of runs) figures.duplicatesSeen += Math.max(0, c.entitlementsOf(run).length - 1);
  }

  const closed = await runHandler(o, "destroy", c.configIdentity, {});
  if (closed.code !== 0) throw new Error(`configuration teardown failed: ${closed.stderr}`);
  const prefix = `campaign-${o.seed}/`;
  figures.leftLive =
    o.sim.world.state.entitlements.filter((e) => keyOf(e.description)?.startsWith(prefix) && isLive(e.status)).length +
    o.sim.world.state.configs.filter((x) => keyOf(x.name)?.startsWith(prefix) && x.status === "ACTIVE").length;
  figures.extrasStopped = c.stoppedExtras.size;
  figures.apiRequests = o.sim.requests.length - requestsBefore;
  // Requests the simulator actually answered with a fault (by kind), on top of the kills.
  figures.faultsInjected = { ...o.sim.faults.injected };
  return figures;
}

/** One step of a batch of runs: first attempts under a drawn fault, then clean re-runs, then the checks. */
async function runStep(c: Campaign, runs: number[], step: Step, figures: CampaignFigures): Promise<void> {
  const { o } = c;
  const operation = (step === "ensure" ? API.entitlementsVmCreate : step === "apply" ? API.entitlementsUpdate : API.entitlementsStop).path;
  // The duplicate-making faults only mean something where entitlements are created.
  const drawn = FAULTS[Math.floor(c.random() * FAULTS.length)];
  const fault: CampaignFault = step !== "ensure" && (drawn === "concurrent" || drawn === "slow-commit") ? "reset" : drawn;
  o.sim.faults.set(faultRules(fault, operation, runs.length));
  const stepStart = o.sim.requests.length;
  const kills = runs.map(() => (fault === "kill" || c.random() < 0.25 ? Math.floor(c.random() * 150) : undefined));
  // Concurrent: a second runner with its own state applies the same key at the same moment.
  const twins = fault === "concurrent" ? runs : [];
  const attempts = await Promise.all([
    ...runs.map((run, i) => runHandler(o, step, c.identityOf(run), c.settingsOf(run, step), kills[i])),
    ...twins.map((run) => runHandler(o, step, c.identityOf(run), c.settingsOf(run, step))),
  ]);
  figures.kills += attempts.filter((a) => a.killed).length;
  figures.failedFirstAttempts += attempts.filter((a) => a.code !== 0).length;
  // Requests the first attempts left behind land before the next apply; slow commits only after the re-run.
  await settleInFlight(o.sim, stepStart, fault !== "slow-commit");
  o.sim.faults.set([]);
  const started = Date.now();
  const reruns = await Promise.all(runs.map((run) => runHandler(o, step, c.identityOf(run), c.settingsOf(run, step))));
  figures.worstRerunMs = Math.max(figures.worstRerunMs, Date.now() - started);
  // Slow commits land only now, after the re-run made its own: the next step has to settle them.
  if (fault === "slow-commit") await settleInFlight(o.sim, stepStart, true);
  for (const r of [...attempts, ...reruns]) for (const m of r.stdout.matchAll(/stopped duplicate (\S+)/g)) c.stoppedExtras.add(m[1]);
  const perStep = Math.ceil((o.sim.requests.length - stepStart) / runs.length);
  figures.maxRequestsPerStep = Math.max(figures.maxRequestsPerStep, perStep);
  figures.steps += runs.length;
  runs.forEach((run, i) => checkRun(c, run, step, fault, reruns[i]));
  if (perStep > MAX_REQUESTS_PER_STEP) throw new Error(`seed ${o.seed}: ${perStep} API requests per ${step} step (bound ${MAX_REQUESTS_PER_STEP})`);
}

function faultRules(fault: CampaignFault, operation: string, runs: number): FaultRule[] {
  switch (fault) {
    case "kill":
      return [];
    // Held until released: each first attempt times out, whatever the machine's load.
    case "timeout":
    case "slow-commit":
      return [{ operation, kind: "hold", times: runs }];
    case "concurrent":
      return [{ operation, kind: "latency", latencyMs: 100, times: 2 * runs }];
    default:
      return [{ operation, kind: fault, times: runs, retryAfterSeconds: 0, status: 500 }];
  }
}

/**
 * Waits until no request of the step is still on its way in: every client connection closed (the first
 * attempts have all exited), every delayed answer logged, and, with `release`, every held request let go
 * and logged.
 */
async function settleInFlight(sim: FortiFlexSimulator, stepStart: number, release: boolean): Promise<void> {
  const delayed = (sim.faults.injected.latency ?? 0) - sim.requests.slice(0, stepStart).filter((r) => r.faults.includes("latency")).length;
  const logged = sim.requests.length;
  const held = release ? sim.faults.release() : 0;
  await waitFor(
    () =>
      sim.openConnections === 0 &&
      sim.requests.length >= logged + held &&
      sim.requests.slice(stepStart).filter((r) => r.faults.includes("latency")).length >= delayed,
    "the first attempts' requests landing",
    60_000,
  );
}

/** After a step's re-run: at most one live entitlement per key (two after a slow commit), the desired state reached. */
function checkRun(c: Campaign, run: number, step: Step, fault: CampaignFault, rerun: HandlerResult): void {
  const where = `seed ${c.o.seed}, run ${run}, step ${step}, fault ${fault}`;
  if (rerun.code !== 0) throw new Error(`${where}: the re-run failed: ${rerun.stderr.trim()}`);
  const mine = c.entitlementsOf(run);
  const running = mine.filter((e) => isLive(e.status));
  const allowed = fault === "slow-commit" ? 2 : 1;
  if (step !== "destroy" && (running.length < 1 || running.length > allowed)) throw new Error(`${where}: ${running.length} live entitlements with the key`);
  if (step === "destroy" && running.length) throw new Error(`${where}: ${running.length} entitlements left live`);
  const e = running[0];
  if (step !== "destroy" && !mine.some((x) => x.status === "ACTIVE")) throw new Error(`${where}: none ACTIVE (${mine.map((x) => x.status).join(", ")})`);
  if (step === "apply" && (!e.description?.startsWith(`run ${run} (changed)`) || !e.endDate.startsWith(c.endDate)))
    throw new Error(`${where}: settings not applied (${e.description}, ${e.endDate})`);
}

function runHandler(o: CampaignOptions, command: string, identity: object, settings: object, killAfterMs?: number): Promise<HandlerResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [o.handler, command], {
      env: {
        PATH: process.env.PATH ?? "",
        ...o.sim.env(),
        [HANDLER_ENV.identity]: JSON.stringify(identity),
        [HANDLER_ENV.settings]: JSON.stringify(settings),
        [ENV.tokenCacheDir]: path.join(o.tmp, "campaign-cache"),
        [ENV.timeoutMs]: String(HANDLER_TIMEOUT_MS),
        [ENV.createSettleMs]: "400",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => ((killed = true), child.kill("SIGKILL")), killAfterMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}
