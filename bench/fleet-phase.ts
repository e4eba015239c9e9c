import { performance } from "node:perf_hooks";
import type { FortiFlexSimulator, LoggedRequest } from "../simulator/fortiflex-simulator";
import { mapWithLimit } from "./bounded-pool";
import type { FleetStack } from "./fleet-stacks";
import type { StackRun } from "./fleet-terraform";

/** One pass of a terraform command over the fleet. */
export interface PhaseResult {
  readonly name: string;
  readonly runs: StackRun[];
  /** What the simulator received during the phase. */
  readonly requests: LoggedRequest[];
  readonly wallMs: number;
}

/** Runs `run` on every stack, `concurrency` at a time, with progress on stderr (stdout is the report). */
export async function runPhase(
  name: string,
  stacks: readonly FleetStack[],
  concurrency: number,
  sim: FortiFlexSimulator,
  run: (stack: FleetStack) => Promise<StackRun>,
): Promise<PhaseResult> {
  const firstRequest = sim.requests.length;
  const started = performance.now();
  let done = 0;
  const step = Math.max(1, Math.round(stacks.length / 10));
  const runs = await mapWithLimit(stacks, concurrency, async (stack) => {
    const result = await run(stack);
    done++;
    if (done % step === 0 || done === stacks.length)
      process.stderr.write(`${name}: ${done}/${stacks.length} stacks, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    return result;
  });
  return { name, runs, requests: sim.requests.slice(firstRequest), wallMs: performance.now() - started };
}
