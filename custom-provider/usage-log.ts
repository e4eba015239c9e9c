import * as fs from "node:fs";
import type { FortiFlexClient, RequestEvent } from "./fortiflex-client";

/** What one handler process cost, as appended to FORTIFLEX_USAGE_LOG. Counts and names only: no bodies, keys or tokens. */
export interface HandlerUsage {
  readonly command: string;
  readonly pid: number;
  /** API requests sent, retries included (token requests not counted). */
  readonly requests: number;
  /** Calls to the token endpoint. */
  readonly auths: number;
  /** Answers 429 (over the API user's request budget). */
  readonly rateLimited: number;
  /** Milliseconds from process start to the command starting (Node start-up and loading the handler). */
  readonly startupMs: number;
  /** Milliseconds from process start to exit. */
  readonly wallMs: number;
  readonly ok: boolean;
}

/**
 * Counts what the handler's clients do and, when a usage log file is named, appends one line per process at
 * exit (an append of one short line, so concurrent processes do not interleave). What a plan or apply costs in
 * FortiFlex requests is then measurable from outside: the plan benchmark sets it per stack.
 */
export class UsageLog {
  private readonly clients: FortiFlexClient[] = [];
  private rateLimited = 0;
  private readonly startupMs = Math.round(performance.now());

  constructor(
    private readonly file: string | undefined,
    private readonly command: string,
  ) {
    if (file) process.on("exit", (code) => this.write(code === 0));
  }

  /** The event hook to give each client, and the client to count. */
  readonly onEvent = (event: RequestEvent): void => {
    if (event.httpStatus === 429) this.rateLimited++;
  };

  track(client: FortiFlexClient): FortiFlexClient {
    this.clients.push(client);
    return client;
  }

  private write(ok: boolean): void {
    const usage: HandlerUsage = {
      command: this.command,
      pid: process.pid,
      requests: this.clients.reduce((n, c) => n + c.requestCount, 0),
      auths: this.clients.reduce((n, c) => n + c.tokens.authCalls, 0),
      rateLimited: this.rateLimited,
      startupMs: this.startupMs,
      wallMs: Math.round(performance.now()),
      ok,
    };
    try {
      fs.appendFileSync(this.file!, `${JSON.stringify(usage)}\n`, { mode: 0o600 });
    } catch (e) {
      process.stderr.write(`fortiflex: could not write the usage log: ${(e as Error).message}\n`);
    }
  }
}
