import type { LoggedRequest } from "../simulator/fortiflex-simulator";
import type { PhaseResult } from "./fleet-phase";

/** Handler processes and the FortiFlex requests they made, for one handler command. */
export interface CommandFigures {
  processes: number;
  requests: number;
}

/** A phase's fleet totals: from the stacks' usage logs, cross-checked against what the simulator received. */
export interface PhaseFigures {
  readonly stacks: number;
  readonly processes: number;
  /** FortiFlex API requests the handlers sent, retries included (token requests not counted). */
  readonly requests: number;
  readonly perStack: number;
  readonly auths: number;
  /** 429 answers the handlers met. */
  readonly rateLimited: number;
  readonly failed: number;
  readonly wallS: number;
  readonly startupMedianMs: number;
  readonly startupMaxMs: number;
  readonly byCommand: Record<string, CommandFigures>;
  readonly simulator: {
    /** API requests received (token requests not counted), answered or refused. */
    readonly requests: number;
    readonly tokenRequests: number;
    readonly refused429: number;
    /** Most API requests received in any 60 s, and most answered (not refused over the budget). */
    readonly peakPerMinute: number;
    readonly peakAnsweredPerMinute: number;
  };
}

export function phaseFigures(phase: PhaseResult): PhaseFigures {
  const usage = phase.runs.flatMap((r) => r.usage);
  const sum = (pick: (u: (typeof usage)[number]) => number) => usage.reduce((n, u) => n + pick(u), 0);
  const requests = sum((u) => u.requests);
  const byCommand: Record<string, CommandFigures> = {};
  for (const u of usage) {
    const c = (byCommand[u.command] ??= { processes: 0, requests: 0 });
    c.processes++;
    c.requests += u.requests;
  }
  const startups = usage.map((u) => u.startupMs).sort((a, b) => a - b);
  const api = phase.requests.filter((r) => r.operation !== "auth" && r.operation !== "verify");
  return {
    stacks: phase.runs.length,
    processes: usage.length,
    requests,
    perStack: requests / Math.max(1, phase.runs.length),
    auths: sum((u) => u.auths),
    rateLimited: sum((u) => u.rateLimited),
    failed: phase.runs.filter((r) => !r.ok).length,
    wallS: phase.wallMs / 1000,
    startupMedianMs: startups.length ? startups[Math.floor((startups.length - 1) / 2)] : 0,
    startupMaxMs: startups.at(-1) ?? 0,
    byCommand,
    simulator: {
      requests: api.length,
      tokenRequests: phase.requests.filter((r) => r.operation === "auth").length,
      refused429: api.filter((r) => r.httpStatus === 429).length,
      peakPerMinute: peakPerMinute(api),
      peakAnsweredPerMinute: peakPerMinute(api.filter((r) => r.httpStatus !== 429)),
    },
  };
}

/** The most requests received in any 60 s (a sliding window over their arrival times). */
function peakPerMinute(requests: readonly LoggedRequest[]): number {
  const times = requests.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= 60_000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
