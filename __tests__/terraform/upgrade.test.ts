import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_API_URL, DEFAULT_AUTH_URL, withTrailingSlash } from "../../contract/endpoints";
import { bootsIn, standInForAzure } from "../../local-providers/azure-stand-in";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { describeWithTerraform, Terraform } from "../helpers/terraform";
import { buildRunningStacks } from "../helpers/upgrade-stacks";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "upgrade-0cdf9f3");
/** What acts in FortiFlex: a create, a stop or disable, a reactivation, a token regeneration. */
const ACTING = ["configs/create", "entitlements/vm/create", "entitlements/stop", "configs/disable", "entitlements/reactivate", "entitlements/vm/token"];

/**
 * "Upgrades change nothing", with real terraform against the simulator: each stack as commit 0cdf9f3 wrote it
 * (kept as a fixture) is applied, then the same stack as this checkout writes it is planned and applied over
 * that state. The upgrade must create, stop, reactivate and regenerate nothing in FortiFlex, rebuild no VM,
 * move every step to its new address, and leave a plan with no changes. Any later change of addresses or
 * construct ids must pass this test (and add a fixture of its own starting commit).
 */
describeWithTerraform("upgrade from stacks as they run today", () => {
  let h: Harness;
  let current: string;
  beforeAll(async () => {
    h = await startHarness();
    current = path.join(h.tmp, "current");
    const saved = { api: process.env.FORTIFLEX_API_URL, auth: process.env.FORTIFLEX_AUTH_URL };
    delete process.env.FORTIFLEX_API_URL;
    delete process.env.FORTIFLEX_AUTH_URL;
    try {
      buildRunningStacks(ROOT, current);
    } finally {
      if (saved.api !== undefined) process.env.FORTIFLEX_API_URL = saved.api;
      if (saved.auth !== undefined) process.env.FORTIFLEX_AUTH_URL = saved.auth;
    }
  });
  afterAll(async () => h.close());

  const bootLog = () => path.join(h.tmp, "boots.jsonl");
  const acting = () => h.sim.requests.filter((r) => ACTING.includes(r.operation)).map((r) => r.operation);

  /**
   * Writes a synthesized stack into `dir` as a runner would get it, pointed at the simulator: endpoints
   * rewritten the same way in the old and the new stack, local state, the handler this checkout builds at
   * every asset path the stack names, the Azure stand-in.
   */
  const place = (dir: string, text: string, stack: string) => {
    const rewritten = text.replaceAll(DEFAULT_API_URL, withTrailingSlash(h.sim.apiUrl)).replaceAll(DEFAULT_AUTH_URL, withTrailingSlash(h.sim.authUrl));
    const tf = JSON.parse(rewritten) as { terraform: { backend?: unknown } };
    tf.terraform.backend = { local: { path: "terraform.tfstate" } };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(tf));
    const handler = path.join(current, "stacks", stack, fs.readdirSync(path.join(current, "stacks", stack, "assets")).map((a) => `assets/${a}`)[0]);
    const handlerFile = fs
      .readdirSync(handler, { recursive: true })
      .map(String)
      .find((f) => f.endsWith(".js"))!;
    for (const [, asset] of rewritten.matchAll(/\$\{path\.module\}\/(assets\/[^"]+\.js)/g)) {
      fs.mkdirSync(path.dirname(path.join(dir, asset)), { recursive: true });
      fs.copyFileSync(path.join(handler, handlerFile), path.join(dir, asset));
    }
    standInForAzure(dir, { simulatorUrl: h.sim.baseUrl, bootLog: bootLog() });
  };

  test.each(["contoso", "woodgrove", "edge-data"])(
    "%s: the new version moves every step, creates, stops and rebuilds nothing, and plans no change after",
    async (stack) => {
      const dir = path.join(h.tmp, "run", stack);
      place(dir, fs.readFileSync(path.join(FIXTURES, `${stack}.tf.json`), "utf8"), stack);
      const tf = new Terraform(dir, {
        ...h.sim.env(),
        FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache"),
        [`TF_VAR_${stack}_admin_password`]: "Upgrade-Passw0rd!",
      });
      await tf.init();
      await tf.apply();
      const before = { acting: acting().length, boots: bootsIn(bootLog()).length };
      expect(before.acting).toBeGreaterThan(0);

      place(dir, fs.readFileSync(path.join(current, "stacks", stack, "cdk.tf.json"), "utf8"), stack);
      const upgrade = await tf.plan();
      // Only the endpoint pin leaves (it acts on nothing: no steps); every step is moved, none created or destroyed.
      expect(Object.values(upgrade.changes)).toEqual([["delete"]]);
      expect(Object.keys(upgrade.changes)).toEqual([expect.stringMatching(/^(null_resource|terraform_data)\.FortiFlexRuntime_EndpointPin_[0-9A-F]{8}$/)]);
      const moved = (upgrade.json.resource_changes ?? []).filter((rc) => rc.previous_address);
      expect(moved.map((rc) => rc.change.actions)).toEqual(moved.map(() => ["no-op"]));
      expect(moved.length).toBeGreaterThanOrEqual(6);
      await tf.apply("tfplan");
      expect({ acting: acting().slice(before.acting), boots: bootsIn(bootLog()).length }).toEqual({ acting: [], boots: before.boots });
      expect((await tf.plan()).changes).toEqual({});
    },
  );
});
