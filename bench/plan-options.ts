import { parseArgs } from "node:util";

export interface PlanBenchOptions {
  readonly stacks: number;
  readonly concurrency: number;
  /** FortiFlex requests per API user per minute during the plan phases; 0 = no budget. */
  readonly budget: number;
  readonly keep: boolean;
}

export const PLAN_BENCH_USAGE = `Usage: npm run bench:plan -- [--stacks N] [--concurrency K] [--budget N] [--keep]

Synthesizes N generated customer stacks and plans them with real terraform (the project's local providers,
Azure stand-ins) against the FortiFlex simulator on 127.0.0.1, K stacks at a time:
  1. plan every stack on empty FortiFlex
  2. set-up: apply every stack (no request budget)
  3. plan every stack again with no changes (a plan that fails or shows changes counts as failed)
and prints what each plan cost in FortiFlex requests, from the handler's usage log and the simulator.

  --stacks N        customer stacks (default 150)
  --concurrency K   stacks planned at once, like a CI matrix (default 10)
  --budget N        simulator request budget per API user per minute during the plans (default 100; 0 = off)
  --keep            keep the work directory (stacks, state, usage logs) and print where it is
  --help            this text`;

/** The command line, checked; undefined when --help was asked for. */
export function parsePlanBenchOptions(args: string[]): PlanBenchOptions | undefined {
  const { values } = parseArgs({
    args,
    options: {
      stacks: { type: "string", default: "150" },
      concurrency: { type: "string", default: "10" },
      budget: { type: "string", default: "100" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return undefined;
  return {
    stacks: wholeNumber("--stacks", values.stacks, 1, 1000),
    concurrency: wholeNumber("--concurrency", values.concurrency, 1, 64),
    budget: wholeNumber("--budget", values.budget, 0, 100_000),
    keep: values.keep,
  };
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`${option} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}
