import type { PhaseResult } from "./fleet-phase";
import type { PhaseFigures } from "./phase-figures";

/** Per stack: handler processes, FortiFlex requests, authentications, 429s, wall time and the outcome. */
export function stackTable(phase: PhaseResult): string[] {
  const width = Math.max(5, ...phase.runs.map((r) => r.stack.length));
  const row = (cells: (string | number)[]) =>
    [String(cells[0]).padEnd(width), ...cells.slice(1, 6).map((c) => String(c).padStart(9)), ` ${cells[6]}`].join(" ");
  return [
    row(["stack", "processes", "requests", "auths", "429s", "wall s", "result"]),
    ...phase.runs.map((r) =>
      row([
        r.stack,
        r.usage.length,
        sumOf(r.usage, "requests"),
        sumOf(r.usage, "auths"),
        sumOf(r.usage, "rateLimited"),
        (r.wallMs / 1000).toFixed(1),
        r.ok ? "ok" : `FAILED: ${r.reason}`,
      ]),
    ),
  ];
}

/** A phase's fleet totals, the handler commands behind them, and the simulator's view of the same traffic. */
export function fleetLines(label: string, f: PhaseFigures): string[] {
  const commands = Object.entries(f.byCommand)
    .sort(([, a], [, b]) => b.requests - a.requests)
    .map(([command, c]) => `${command} ${c.processes} processes / ${c.requests} requests`);
  const lines = [
    [
      `${label}: stacks=${f.stacks} requests=${f.requests} per_stack=${f.perStack.toFixed(1)} ${outcome(f)}`,
      `peak_per_min=${f.simulator.peakPerMinute} (answered ${f.simulator.peakAnsweredPerMinute}) processes=${f.processes}`,
      `startup_ms median=${f.startupMedianMs} max=${f.startupMaxMs}`,
    ].join(" "),
    `  by handler command: ${commands.join("; ") || "none"}`,
    `  simulator received: ${f.simulator.requests} API requests (${f.simulator.refused429} refused with 429), ${f.simulator.tokenRequests} token requests`,
  ];
  if (f.simulator.requests !== f.requests)
    lines.push(`  NOTE: the handlers' usage logs count ${f.requests} API requests, the simulator ${f.simulator.requests}`);
  return lines;
}

/** The benchmark's last line: the no-change plan. */
export function summaryLine(concurrency: number, f: PhaseFigures): string {
  return `plan-bench: stacks=${f.stacks} concurrency=${concurrency} requests=${f.requests} per_stack=${f.perStack.toFixed(1)} ${outcome(f)}`;
}

/** How a phase's requests went: sign-ins, refusals, failed stacks and time. */
function outcome(f: PhaseFigures): string {
  return `auths=${f.auths} rate_limited=${f.rateLimited} failed=${f.failed} wall_s=${f.wallS.toFixed(1)}`;
}

function sumOf<T extends Record<K, number>, K extends string>(items: readonly T[], key: K): number {
  return items.reduce((n, item) => n + item[key], 0);
}
