/**
 * Faults the simulator injects, configured per run. Each rule matches requests by operation (path after
 * the API base, e.g. "entitlements/vm/create"; "*" for all, "auth" for the token endpoint) and fires
 * `times` times after letting `skip` matching requests through.
 */
export type FaultKind =
  /** Delay the answer by `latencyMs`. */
  | "latency"
  /** Answer 429 with Retry-After `retryAfterSeconds`, without processing. */
  | "rate-limit"
  /** Answer `status` (default 503) without processing. */
  | "server-error"
  /** Close the connection before processing. */
  | "reset"
  /** Process the request (the change is committed), then close the connection without answering. */
  | "commit-then-drop"
  /** Answer 200 "Request processed successfully." without the data (no list), without processing. */
  | "empty-success"
  /** Hold the request, unprocessed, until the test releases it (a commit that lands whenever it is told to). */
  | "hold";

export interface FaultRule {
  readonly operation: string;
  readonly kind: FaultKind;
  /** How many matching requests this rule affects. @default 1 */
  readonly times?: number;
  /** Matching requests to let through before the rule fires. @default 0 */
  readonly skip?: number;
  readonly latencyMs?: number;
  readonly retryAfterSeconds?: number;
  readonly status?: number;
}

interface ActiveRule extends FaultRule {
  seen: number;
  fired: number;
}

const KINDS: readonly FaultKind[] = ["latency", "rate-limit", "server-error", "reset", "commit-then-drop", "empty-success", "hold"];

export class FaultPlan {
  private rules: ActiveRule[] = [];
  /** Faults injected so far, by kind. */
  readonly injected: Record<string, number> = {};

  constructor(rules: readonly FaultRule[] = []) {
    this.set(rules);
  }

  static parse(json: string): FaultRule[] {
    const parsed = JSON.parse(json) as FaultRule[];
    if (!Array.isArray(parsed)) throw new Error("faults must be a JSON array of rules");
    for (const r of parsed) {
      if (!KINDS.includes(r.kind)) throw new Error(`unknown fault kind "${r.kind}" (allowed: ${KINDS.join(", ")})`);
      if (typeof r.operation !== "string") throw new Error(`fault rule needs an "operation" (e.g. "entitlements/vm/create" or "*")`);
    }
    return parsed;
  }

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, seen: 0, fired: 0 }));
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0, fired: 0 });
  }

  private held: (() => void)[] = [];

  /** Resolves when `release` is called: where a "hold" fault keeps its request. */
  hold(): Promise<void> {
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** Lets every held request go on (they are processed then). Returns how many there were. */
  release(): number {
    const waiting = this.held;
    this.held = [];
    for (const go of waiting) go();
    return waiting.length;
  }

  /** Requests held now. */
  get holding(): number {
    return this.held.length;
  }

  /** The faults that fire for this request (at most one of each kind). */
  take(operation: string): FaultRule[] {
    const firing: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.operation !== "*" && rule.operation !== operation) continue;
      rule.seen++;
      if (rule.seen <= (rule.skip ?? 0) || rule.fired >= (rule.times ?? 1)) continue;
      if (firing.some((f) => f.kind === rule.kind)) continue;
      rule.fired++;
      this.injected[rule.kind] = (this.injected[rule.kind] ?? 0) + 1;
      firing.push(rule);
    }
    return firing;
  }
}
