import { ENV } from "../contract/endpoints";
import { AmbiguousOutcomeError } from "./errors";
import type { Log } from "./operation-support";

/** How long to keep looking for an object whose create had an unknown outcome. @default 5000 ms */
export const SETTLE_ENV = ENV.createSettleMs;

/**
 * After a create with an unknown outcome (connection dropped, timeout), looks the object up a few times
 * while a late commit may still land. Never creates again: when the object does not show up, the run
 * fails and the next run (which looks up first) finds it or creates it. A failed run costs a re-run; a
 * duplicate entitlement costs points every day.
 */
export async function settleLookup<T>(what: string, error: AmbiguousOutcomeError, lookup: () => Promise<T | undefined>, log: Log): Promise<T> {
  const total = Number(process.env[SETTLE_ENV] ?? 5000);
  log(`${what}: create outcome unknown (${error.cause.message}); looking it up instead of creating again`);
  // Look at once, then after 20 %, 50 % and 100 % of the settle time.
  for (const wait of [0, 0.2, 0.3, 0.5]) {
    if (wait) await new Promise((r) => setTimeout(r, total * wait));
    const found = await lookup();
    if (found) return found;
  }
  throw new Error(
    `${what}: the create request may or may not have been applied (${error.cause.message}) and the object is not visible after ${total} ms. ` +
      "This run sent no second create; run the apply again: it finds the object if the first create landed, or creates it" +
      " (a late landing is settled by the next step).",
  );
}
