import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type TerraformStack } from "cdktf";
import { FortiFlexVmEntitlement } from "../../constructs";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import { keyOf } from "../../contract/object-key";
import { TokenCacheFile } from "../../custom-provider/token-cache-file";
import { MAX_REQUESTS_PER_STEP, runFaultCampaign } from "../../reliability/fault-campaign";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";
import { runProcess as run } from "../../local-providers/run-process";
import { waitFor } from "../../reliability/wait-for";

/**
 * Crash safety under faults: 50 randomized create / settings change / destroy runs of the real handler,
 * 10 processes at a time, each first attempt hit by a fault or killed, each followed by a clean re-run.
 * `CAMPAIGN_SEED=<n>` replays a campaign; `npm run soak` runs long ones.
 */
describe("fault campaign", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  test("50 runs: one live entitlement per key, desired state reached, bounded API calls, nothing left live", async () => {
    const seed = Number(process.env.CAMPAIGN_SEED ?? 20261123);
    const figures = await runFaultCampaign({ sim: h.sim, handler: handlerBundle().path, tmp: h.tmp, runs: 50, parallel: 10, seed });
    console.log(`fault campaign: ${JSON.stringify(figures)}`);
    expect(figures.runs).toBe(50);
    expect(figures.steps).toBe(150);
    expect(figures.faultsInjected.hold).toBeGreaterThan(0);
    expect(figures.duplicatesSeen).toBeGreaterThan(0);
    expect(figures.extrasStopped).toBeGreaterThan(0);
    expect(figures.leftLive).toBe(0);
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
    run(
      process.execPath,
      [handlerBundle().path, "read"],
      h.tmp,
      { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: cacheDir },
      JSON.stringify({
        identity: JSON.stringify({
          kind: "config",
          key: "none/Config",
          program_serial_number: h.sim.seed.programSerialNumber,
          account_id: "",
          product_type_id: "1",
          api_url: h.sim.apiUrl,
          auth_url: h.sim.authUrl,
        }),
      }),
    );

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
    // Dated an hour ahead, the lock never looks stale by age: only its dead holder lets the read through
    // (held, the read would wait out the test's timeout).
    const later = new Date(Date.now() + 3_600_000);
    fs.utimesSync(`${file.file}.lock`, later, later);
    expect((await read(cache)).stderr.trim()).toBe("fortiflex: error: configuration none/Config not found");
  });
});

/**
 * The same guarantee one level up: real terraform applies of a FortiFlex stack whose API calls fail, and a
 * terraform process killed in the middle of a create, each followed by the next apply (or destroy).
 */
describeWithTerraform("fault campaign under terraform", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  const build = (entitlements: string[]) => (stack: TerraformStack) => {
    const config = simulatorConfiguration(stack, h.sim, { accountId: h.sim.seed.memberAccountIds[0] });
    for (const id of entitlements) new FortiFlexVmEntitlement(stack, id, { configuration: config });
  };
  const live = (prefix: string) =>
    h.sim.world.state.entitlements
      .filter((e) => keyOf(e.description)?.startsWith(prefix))
      .map((e) => `${keyOf(e.description)}:${e.status}`)
      .sort();

  test("failed creates, a killed apply and a failed destroy: the next run converges, never a duplicate", async () => {
    const outdir = path.join(h.tmp, "tf-faults");
    const synth = (entitlements: string[]) => synthTerraformStack("faults", build(entitlements), outdir);
    const env = { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "tf-cache"), FORTIFLEX_CREATE_SETTLE_MS: "300", FORTIFLEX_MAX_ATTEMPTS: "2" };
    // Terraform starts its providers itself: the test kills it mid-apply.
    const tf = new Terraform(synth(["Fw1"]), env, { providers: "managed" });
    await tf.init();

    // 1. The configuration create keeps failing (503 past the retries): apply fails, nothing half-made.
    h.sim.faults.set([{ operation: "configs/create", kind: "server-error", times: 5 }]);
    expect((await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true })).exitCode).toBe(1);
    h.sim.faults.set([]);
    await tf.apply();
    expect(h.sim.world.state.configs).toHaveLength(1);
    expect(live("faults/")).toEqual(["faults/Fw1:PENDING"]);

    // 2. An entitlement create whose connection drops unanswered: the step fails (tainted), the next apply
    //    creates it once.
    synth(["Fw1", "Fw2"]);
    h.sim.faults.set([{ operation: "entitlements/vm/create", kind: "reset" }]);
    expect((await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true })).exitCode).toBe(1);
    expect(await tf.tainted()).toEqual([expect.stringMatching(/^null_resource\.Fw2_Lifecycle$/)]);
    h.sim.faults.set([]);
    expect(await tf.apply()).toMatch(/Fw2_Lifecycle \(local-exec\): fortiflex: entitlement faults\/Fw2: created/);
    expect(live("faults/")).toEqual(["faults/Fw1:PENDING", "faults/Fw2:PENDING"]);

    // 3. Terraform killed while the create is in flight (the answer is slow): the object exists in FortiFlex
    //    but not in the state. The next apply finds it by key.
    synth(["Fw1", "Fw2", "Fw3"]);
    h.sim.faults.set([{ operation: "entitlements/vm/create", kind: "hold" }]);
    const killed = tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true, timeoutMs: 60_000 });
    await waitFor(() => h.sim.faults.holding === 1, "the held create", 60_000);
    tf.killRunning();
    h.sim.faults.set([]);
    // The create lands after terraform is gone (its orphaned provisioner is answered and exits).
    expect(h.sim.faults.release()).toBe(1);
    expect((await killed).exitCode).not.toBe(0);
    await waitFor(() => live("faults/").includes("faults/Fw3:PENDING"), "the released create landing", 60_000);
    await tf.apply();
    expect(live("faults/")).toEqual(["faults/Fw1:PENDING", "faults/Fw2:PENDING", "faults/Fw3:PENDING"]);

    // 4. Destroy with stops failing: destroy fails and keeps what it could not stop in the state; the next
    //    destroy stops the rest.
    h.sim.faults.set([{ operation: "entitlements/stop", kind: "server-error", times: 5 }]);
    expect((await tf.run(["destroy", "-auto-approve", "-input=false"], { allowFailure: true })).exitCode).toBe(1);
    h.sim.faults.set([]);
    await tf.destroy();
    expect(live("faults/")).toEqual(["faults/Fw1:STOPPED", "faults/Fw2:STOPPED", "faults/Fw3:STOPPED"]);
    expect(h.sim.world.state.configs.map((c) => c.status)).toEqual(["DISABLED"]);
  }, 90_000);
});
