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

export const FAULTS = ["commit-then-drop", "reset", "server-error", "rate-limit", "latency-past-timeout", "kill", "concurrent", "slow-commit"] as const;
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
const HANDLER_TIMEOUT_MS = 200;

/** Deterministic PRNG, so a failing campaign replays from its seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export async function runFaultCampaign(o: CampaignOptions): Promise<CampaignFigures> {
  const random = prng(o.seed);
  const accountId = String(o.accountId ?? o.sim.seed.memberAccountIds[0]);
  const common = { program_serial_number: o.sim.seed.programSerialNumber, account_id: accountId, api_url: o.sim.apiUrl, auth_url: o.sim.authUrl };
  const configKey = `campaign-${o.seed}/Config`;
  const first = await runHandler(
    o,
    "ensure",
    { kind: "config", key: configKey, product_type_id: String(FGT_VM_BUNDLE_ID), ...common },
    {
      name: "campaign",
      parameters: formatParameters(FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }).parameters),
    },
  );
  if (first.code !== 0) throw new Error(`configuration setup failed: ${first.stderr}`);

  const identityOf = (run: number) => ({ kind: "entitlement", key: `campaign-${o.seed}/E${run}`, ...common });
  const endDate = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const settingsOf = (run: number, step: string) => ({
    config_key: configKey,
    description: step === "ensure" ? `run ${run}` : `run ${run} (changed)`,
    end_date: step === "ensure" ? "" : endDate,
    folder_path: "",
    status: "ACTIVE",
    skip_pending: "true",
  });
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
  const live = (status: string) => status === "ACTIVE" || status === "PENDING";
  const stoppedExtras = new Set<string>();
  const requestsBefore = o.sim.requests.length;

  for (let batch = 0; batch * o.parallel < o.runs; batch++) {
    const runs = Array.from({ length: Math.min(o.parallel, o.runs - batch * o.parallel) }, (_, i) => batch * o.parallel + i);
    for (const step of ["ensure", "apply", "destroy"] as const) {
      const command = step === "apply" ? "apply" : step;
      const operation = (step === "ensure" ? API.entitlementsVmCreate : step === "apply" ? API.entitlementsUpdate : API.entitlementsStop).path;
      // The duplicate-making faults only mean something where entitlements are created.
      const drawn = FAULTS[Math.floor(random() * FAULTS.length)];
      const fault: CampaignFault = step !== "ensure" && (drawn === "concurrent" || drawn === "slow-commit") ? "reset" : drawn;
      const rules: FaultRule[] =
        fault === "kill"
          ? []
          : fault === "latency-past-timeout"
            ? [{ operation, kind: "latency", latencyMs: HANDLER_TIMEOUT_MS + 100, times: runs.length }]
            : fault === "concurrent"
              ? [{ operation, kind: "latency", latencyMs: 100, times: 2 * runs.length }]
              : fault === "slow-commit"
                ? [{ operation, kind: "hold", times: runs.length }]
                : [{ operation, kind: fault, times: runs.length, retryAfterSeconds: 0, status: 500 }];
      o.sim.faults.set(rules);
      const stepStart = o.sim.requests.length;
      const kills = runs.map(() => (fault === "kill" || random() < 0.25 ? Math.floor(random() * 150) : undefined));
      // Concurrent: a second runner with its own state applies the same key at the same moment.
      const twins = fault === "concurrent" ? runs : [];
      const attempts = await Promise.all([
        ...runs.map((run, i) => runHandler(o, command, identityOf(run), settingsOf(run, step), kills[i])),
        ...twins.map((run) => runHandler(o, command, identityOf(run), settingsOf(run, step))),
      ]);
      figures.kills += attempts.filter((a) => a.killed).length;
      figures.failedFirstAttempts += attempts.filter((a) => a.code !== 0).length;
      // Requests still in flight from killed or timed-out processes land before the next apply.
      await new Promise((r) => setTimeout(r, fault === "latency-past-timeout" ? HANDLER_TIMEOUT_MS + 200 : 30));
      o.sim.faults.set([]);
      const started = Date.now();
      const reruns = await Promise.all(runs.map((run) => runHandler(o, command, identityOf(run), settingsOf(run, step))));
      figures.worstRerunMs = Math.max(figures.worstRerunMs, Date.now() - started);
      // Slow commits land only now, after the re-run made its own: the next step has to settle them.
      if (fault === "slow-commit") {
        const held = o.sim.faults.release();
        await waitFor(
          () => o.sim.requests.filter((r, i) => i >= stepStart && r.operation === operation).length >= runs.length + held,
          "held creates landing",
          10_000,
        );
      }
      for (const r of [...attempts, ...reruns]) for (const m of r.stdout.matchAll(/stopped duplicate (\S+)/g)) stoppedExtras.add(m[1]);
      const perStep = Math.ceil((o.sim.requests.length - stepStart) / runs.length);
      figures.maxRequestsPerStep = Math.max(figures.maxRequestsPerStep, perStep);
      figures.steps += runs.length;
      runs.forEach((run, i) => {
        const where = `seed ${o.seed}, run ${run}, step ${step}, fault ${fault}`;
        if (reruns[i].code !== 0) throw new Error(`${where}: the re-run failed: ${reruns[i].stderr.trim()}`);
        const mine = o.sim.world.state.entitlements.filter((e) => keyOf(e.description) === identityOf(run).key);
        const running = mine.filter((e) => live(e.status));
        const allowed = fault === "slow-commit" ? 2 : 1;
        if (step !== "destroy" && (running.length < 1 || running.length > allowed))
          throw new Error(`${where}: ${running.length} live entitlements with the key`);
        if (step === "destroy" && running.length) throw new Error(`${where}: ${running.length} entitlements left live`);
        const e = running[0];
        if (step !== "destroy" && !mine.some((x) => x.status === "ACTIVE")) throw new Error(`${where}: none ACTIVE (${mine.map((x) => x.status).join(", ")})`);
        if (step === "apply" && (!e.description?.startsWith(`run ${run} (changed)`) || !e.endDate.startsWith(endDate)))
          throw new Error(`${where}: settings not applied (${e.description}, ${e.endDate})`);
      });
      if (perStep > MAX_REQUESTS_PER_STEP) throw new Error(`seed ${o.seed}: ${perStep} API requests per ${step} step (bound ${MAX_REQUESTS_PER_STEP})`);
    }
    figures.runs += runs.length;
    for (const run of runs)
      figures.duplicatesSeen += Math.max(0, o.sim.world.state.entitlements.filter((e) => keyOf(e.description) === identityOf(run).key).length - 1);
  }
  const closed = await runHandler(o, "destroy", { kind: "config", key: configKey, product_type_id: String(FGT_VM_BUNDLE_ID), ...common }, {});
  if (closed.code !== 0) throw new Error(`configuration teardown failed: ${closed.stderr}`);
  const prefix = `campaign-${o.seed}/`;
  figures.leftLive =
    o.sim.world.state.entitlements.filter((e) => keyOf(e.description)?.startsWith(prefix) && live(e.status)).length +
    o.sim.world.state.configs.filter((c) => keyOf(c.name)?.startsWith(prefix) && c.status === "ACTIVE").length;
  figures.extrasStopped = stoppedExtras.size;
  figures.apiRequests = o.sim.requests.length - requestsBefore;
  // Requests the simulator actually answered with a fault (by kind), on top of the kills.
  figures.faultsInjected = { ...o.sim.faults.injected };
  return figures;
}

function runHandler(
  o: CampaignOptions,
  command: string,
  identity: object,
  settings: object,
  killAfterMs?: number,
): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
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
