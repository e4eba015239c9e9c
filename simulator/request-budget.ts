/**
 * A per-user request budget, as FortiFlex is reported to enforce one (about 100 requests a minute per API
 * user; see the facts file): a sliding window of accepted requests per user. A request over the budget is
 * refused unprocessed, with the seconds until the oldest request in the window leaves it.
 */
export interface RequestBudgetOptions {
  /** Requests each user may make per window. */
  readonly requests: number;
  /** @default 60000 (a minute) */
  readonly windowMs?: number;
}

export class RequestBudget {
  private readonly windowMs: number;
  private readonly accepted = new Map<string, number[]>();

  constructor(private readonly options: RequestBudgetOptions) {
    if (!Number.isInteger(options.requests) || options.requests < 1)
      throw new Error(`request budget must be a whole number of requests >= 1, got ${options.requests}`);
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Takes one request from `user`'s budget: undefined when accepted, else the milliseconds to wait. */
  take(user: string, now = Date.now()): number | undefined {
    const times = (this.accepted.get(user) ?? []).filter((t) => t > now - this.windowMs);
    this.accepted.set(user, times);
    if (times.length >= this.options.requests) return times[0] + this.windowMs - now;
    times.push(now);
    return undefined;
  }
}
