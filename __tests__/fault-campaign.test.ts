import { handlerBundlePath } from "../constructs/handler-bundle";
import { MAX_REQUESTS_PER_STEP, runFaultCampaign } from "../reliability/fault-campaign";
import { startHarness, type Harness } from "./helpers/simulator-harness";

/**
 * Crash safety under faults: 50 randomized create / settings change / destroy runs of the real handler,
 * 10 processes at a time, each first attempt hit by a fault or killed, each followed by a clean re-run.
 * `CAMPAIGN_SEED=<n>` replays a campaign; `npm run soak` runs long ones.
 */
describe("fault campaign", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  test("50 runs: exactly one entitlement per key, desired state reached, bounded API calls", async () => {
    const seed = Number(process.env.CAMPAIGN_SEED ?? 20261123);
    const figures = await runFaultCampaign({ sim: h.sim, handler: handlerBundlePath(), tmp: h.tmp, runs: 50, parallel: 10, seed });
    console.log(`fault campaign: ${JSON.stringify(figures)}`);
    expect(figures.runs).toBe(50);
    expect(figures.steps).toBe(150);
    expect(figures.duplicates).toBe(0);
    expect(figures.failedFirstAttempts).toBeGreaterThan(0);
    expect(figures.maxRequestsPerStep).toBeLessThanOrEqual(MAX_REQUESTS_PER_STEP);
    expect(Object.keys(figures.faultsInjected).length + (figures.kills ? 1 : 0)).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
