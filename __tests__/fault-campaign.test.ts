import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { handlerBundlePath } from "../constructs/handler-bundle";
import { TokenCacheFile } from "../custom-provider/token-cache-file";
import { MAX_REQUESTS_PER_STEP, runFaultCampaign } from "../reliability/fault-campaign";
import { startHarness, type Harness } from "./helpers/simulator-harness";
import { runProcess as run } from "./helpers/run-process";

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

describe("shared token cache across handler processes", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  const read = (cacheDir: string) =>
    run(process.execPath, [handlerBundlePath(), "read"], h.tmp, { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: cacheDir }, JSON.stringify({
      identity: JSON.stringify({ kind: "config", key: "none/Config", program_serial_number: h.sim.seed.programSerialNumber, account_id: "", product_type_id: "1", api_url: h.sim.apiUrl, auth_url: h.sim.authUrl }),
    }));

  test("10 handler processes at once authenticate once", async () => {
    const cache = path.join(h.tmp, "shared-cache");
    const results = await Promise.all(Array.from({ length: 10 }, () => read(cache)));
    // Each run fails on purpose (the configuration does not exist), after authenticating.
    expect(results.map((r) => r.stderr.trim())).toEqual(Array(10).fill("fortiflex: error: configuration none/Config not found"));
    expect(h.sim.tokensIssued).toBe(1);
  });

  test("a lock left by a killed process does not hold the others up", async () => {
    const cache = path.join(h.tmp, "dead-lock-cache");
    fs.mkdirSync(cache, { recursive: true });
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid!;
    const file = new TokenCacheFile(cache, h.sim.authUrl, h.sim.seed.username, h.sim.seed.password);
    fs.writeFileSync(`${file.file}.lock`, String(dead));
    const started = Date.now();
    expect((await read(cache)).stderr.trim()).toBe("fortiflex: error: configuration none/Config not found");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
