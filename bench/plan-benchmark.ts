/**
 * `npm run bench:plan [-- --stacks N --concurrency K --budget N --keep]`: what planning a fleet of customer
 * stacks costs in FortiFlex requests. Synthesizes N generated customers (default 150) with CustomerStack and
 * plans them with real terraform (the project's local providers, Azure stand-ins) against the FortiFlex
 * simulator on 127.0.0.1, K stacks at a time (default 10, like a CI matrix): on empty FortiFlex, then (after a
 * set-up apply) again with no changes. Each stack's handler processes log what they cost (FORTIFLEX_USAGE_LOG);
 * all stacks share one token cache, as on one CI runner. The last line sums up the no-change plan; the exit
 * code is 1 when any plan failed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { installLocalProviders } from "../local-providers/install";
import { terraformVersion } from "../local-providers/terraform-runner";
import type { RequestBudgetOptions } from "../simulator/request-budget";
import { startFleetSimulator } from "./fleet-simulator";
import { runPhase, type PhaseResult } from "./fleet-phase";
import { synthesizeFleet } from "./fleet-stacks";
import { FleetTerraform } from "./fleet-terraform";
import { phaseFigures } from "./phase-figures";
import { parsePlanBenchOptions, PLAN_BENCH_USAGE, type PlanBenchOptions } from "./plan-options";
import { fleetLines, stackTable, summaryLine } from "./plan-report";

async function main(options: PlanBenchOptions): Promise<number> {
  const version = terraformVersion();
  if (!version) throw new Error("terraform is not on PATH (the plan benchmark runs real terraform)");
  const budget: RequestBudgetOptions | undefined = options.budget ? { requests: options.budget, windowMs: 60_000 } : undefined;
  const budgetText = budget ? `${budget.requests} requests per API user per minute` : "off";
  console.log(
    `Plan benchmark: ${options.stacks} customer stacks, ${options.concurrency} at a time; ${version}; ${os.cpus().length} cores; Node ${process.version}`,
  );
  console.log(`Simulator request budget during the plans: ${budgetText}`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-plan-bench-"));
  const sim = await startFleetSimulator(options.stacks);
  try {
    installLocalProviders();
    let started = performance.now();
    const stacks = synthesizeFleet(options.stacks, sim, workDir);
    console.log(`Synthesized ${stacks.length} stacks with Azure stand-ins in ${seconds(started)} s`);
    const terraform = new FleetTerraform(sim, workDir);

    started = performance.now();
    const init = await runPhase("init", stacks, options.concurrency, sim, (s) => terraform.init(s));
    const initFailed = init.runs.filter((r) => !r.ok);
    if (initFailed.length)
      throw new Error(`terraform init failed in ${initFailed.length} stack(s):\n${initFailed.map((r) => `  ${r.stack}: ${r.reason}`).join("\n")}`);
    console.log(`terraform init: ${stacks.length} stacks in ${seconds(started)} s (providers linked from the local filesystem mirror)`);

    const plan = async (name: string, label: string, noChanges: boolean): Promise<PhaseResult> => {
      sim.setRequestBudget(budget);
      const phase = await runPhase(name, stacks, options.concurrency, sim, (s) => terraform.plan(s, name, noChanges));
      if (phase.runs.some((r) => r.ok) && !phase.runs.some((r) => r.usage.length)) {
        throw new Error(`${label}: plans ran but no handler process wrote a usage line: FORTIFLEX_USAGE_LOG did not reach the handler`);
      }
      console.log(`\n== ${label} (request budget: ${budgetText})`);
      for (const line of stackTable(phase)) console.log(line);
      return phase;
    };

    const empty = await plan("empty-plan", "Phase 1: plan on empty FortiFlex", false);

    sim.setRequestBudget(undefined);
    const setup = await runPhase("apply", stacks, options.concurrency, sim, (s) => terraform.apply(s, "apply"));
    const setupFigures = phaseFigures(setup);
    console.log(`\n== Phase 2 (set-up, not measured): apply every stack, request budget off`);
    const applied = setupFigures.stacks - setupFigures.failed;
    console.log(`applied ${applied}/${setupFigures.stacks} stacks in ${setupFigures.wallS.toFixed(1)} s, ${setupFigures.requests} FortiFlex requests`);
    for (const r of setup.runs.filter((run) => !run.ok)) console.log(`  ${r.stack} FAILED: ${r.reason}`);

    const unchanged = await plan("no-change-plan", "Phase 3: plan again with no changes", true);

    const emptyFigures = phaseFigures(empty);
    const unchangedFigures = phaseFigures(unchanged);
    console.log("\n== Fleet");
    for (const line of fleetLines("empty plan", emptyFigures)) console.log(line);
    for (const line of fleetLines("no-change plan", unchangedFigures)) console.log(line);
    if (options.keep) console.log(`Work directory kept: ${workDir}`);
    console.log(summaryLine(options.concurrency, unchangedFigures));
    return emptyFigures.failed + unchangedFigures.failed ? 1 : 0;
  } finally {
    await sim.stop();
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

let options: PlanBenchOptions | undefined;
try {
  options = parsePlanBenchOptions(process.argv.slice(2));
} catch (e) {
  console.error(`plan-bench: ${(e as Error).message}\n\n${PLAN_BENCH_USAGE}`);
  process.exit(2);
}
if (!options) {
  console.log(PLAN_BENCH_USAGE);
} else {
  main(options).then(
    (code) => (process.exitCode = code),
    (e: Error) => {
      console.error(`plan-bench: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
