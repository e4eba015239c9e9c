import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformOutput, type TerraformDataSource, type TerraformStack } from "cdktf";
import { FortiFlexVmEntitlement } from "../../constructs";
import type { HandlerUsage } from "../../custom-provider/usage-log";
import { READ_OPERATIONS } from "../../contract/api-operations";
import { keyOf } from "../../contract/object-key";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

/**
 * What a plan costs in FortiFlex requests, and that plans only read, proven with real terraform starting its
 * own providers (as it does for users: one provider process per graph walk) and the handler's usage log.
 */
describeWithTerraform("what a plan costs, and plans only read", () => {
  let h: Harness;
  let outdir: string;
  let usageLog: string;
  let env: Record<string, string>;

  const build = (tokenGeneration: number) => (stack: TerraformStack) => {
    const config = simulatorConfiguration(stack, h.sim, { accountId: h.sim.seed.memberAccountIds[0] });
    const fw = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: "edge", tokenGeneration });
    new FortiFlexVmEntitlement(stack, "Spare", { configuration: config, description: "spare" });
    new TerraformOutput(stack, "serial", { value: fw.serialNumber });
    new TerraformOutput(stack, "token", { value: fw.licenseToken, sensitive: true });
  };
  const synth = (tokenGeneration: number) => synthTerraformStack("cost", build(tokenGeneration), outdir, path.join(h.tmp, "state", "cost.tfstate"));
  /** Providers started by terraform, as for users (the tests' default attaches long-lived ones, which serve every walk). */
  const terraform = (dir: string, extra: Record<string, string> = {}, providers: "managed" | "reattach" = "managed") =>
    new Terraform(dir, { ...env, ...extra }, { providers });
  /** The usage lines written since the last call, by command. */
  const usageSince = (): HandlerUsage[] => {
    const lines = fs.existsSync(usageLog) ? fs.readFileSync(usageLog, "utf8").trim().split("\n").filter(Boolean) : [];
    fs.rmSync(usageLog, { force: true });
    return lines.map((l) => JSON.parse(l) as HandlerUsage);
  };
  const requestsOf = (usage: HandlerUsage[], command: string) => usage.filter((u) => u.command === command).map((u) => u.requests);
  /** `terraform plan -detailed-exitcode` says "no changes" (0), without a plan file to show. */
  const noChanges = async (tf: Terraform) => (await tf.run(["plan", "-input=false", "-detailed-exitcode"], { allowFailure: true })).exitCode === 0;
  const fwToken = () => h.sim.world.state.entitlements.find((e) => keyOf(e.description) === "cost/Fw")!.token;

  beforeAll(async () => {
    h = await startHarness();
    outdir = path.join(h.tmp, "cdktf.out");
    usageLog = path.join(h.tmp, "usage.jsonl");
    env = { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "runner-cache"), FORTIFLEX_USAGE_LOG: usageLog };
  });
  afterAll(async () => h.close());

  test(
    "a no-change plan: one observation of two requests, reads answered from it, no new authentication; " + "reads deferred to the apply ask FortiFlex",
    async () => {
      const tf = terraform(synth(0));
      await tf.init();
      await tf.apply();
      usageSince();

      expect(await noChanges(tf)).toBe(true);
      const plan = usageSince();
      expect(requestsOf(plan, "observe")).toEqual([2]);
      expect(requestsOf(plan, "read")).toEqual([0]);
      expect(plan.reduce((n, u) => n + u.requests, 0)).toBe(2);
      expect(plan.reduce((n, u) => n + u.auths, 0)).toBe(0);
      expect(plan.map((u) => u.ok)).toEqual([true, true]);

      // A new token: the read runs in the apply after the regeneration step (another walk) and asks FortiFlex.
      const before = fwToken();
      synth(1);
      await tf.apply();
      const apply = usageSince();
      const reads = requestsOf(apply, "read");
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.filter((n) => n < 1)).toEqual([]);
      expect(fwToken()).not.toBe(before);
      expect((await tf.outputs()).token.value).toBe(fwToken());
      expect(await noChanges(tf)).toBe(true);
      expect(usageSince().reduce((n, u) => n + u.requests, 0)).toBe(2);
    },
  );

  test("an observation that would be read during the apply (its data source given a dependency) fails the plan instead", async () => {
    // No drift checks, and a user override that makes the observation wait for a resource changing in the same
    // apply as a token regeneration: the stack's reconcile step counts on the observation, so Terraform refuses
    // to plan rather than read it beside the steps.
    const gated = (generation: number) => (stack: TerraformStack) => {
      const config = simulatorConfiguration(stack, h.sim, { accountId: h.sim.seed.memberAccountIds[2], detectDrift: false });
      const fw = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: "edge", tokenGeneration: generation });
      new TerraformOutput(stack, "token", { value: fw.licenseToken, sensitive: true });
      stack.addOverride("resource.terraform_data.gate", { input: String(generation) });
      const observe = stack.node.findAll().find((c) => c.node.id.startsWith("Observe_")) as TerraformDataSource;
      observe.addOverride("depends_on", ["terraform_data.gate"]);
    };
    const tf = terraform(synthTerraformStack("gated", gated(0), path.join(h.tmp, "gated.out"), path.join(h.tmp, "state", "gated.tfstate")), {}, "reattach");
    await tf.init();
    const first = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toMatch(/Invalid count argument[\s\S]*FortiFlexRuntime_Reconcile/);
    expect(h.sim.world.state.entitlements.filter((e) => keyOf(e.description) === "gated/Fw")).toEqual([]);
  });

  test("a plan with a read-only API user shows drift and duplicates and sends nothing but reads; the apply with the read-write user repairs", async () => {
    const dir = synth(0);
    const tf = terraform(dir, {}, "reattach");
    await tf.init();
    await tf.apply();
    const entitlement = (key: string) => h.sim.world.state.entitlements.find((e) => keyOf(e.description) === key)!;
    const fw = entitlement("cost/Fw");
    const spare = entitlement("cost/Spare");
    const admin = h.newClient();
    await admin.stopEntitlement(fw.serialNumber);
    // A duplicate, as two runners with separate state make.
    const [extra] = await admin.createVmEntitlements({ configId: spare.configId, count: 1, description: spare.description ?? undefined });

    const readOnly = terraform(
      dir,
      {
        FORTIFLEX_ACCESS_USERNAME: h.sim.seed.readOnly.username,
        FORTIFLEX_ACCESS_PASSWORD: h.sim.seed.readOnly.password,
        FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "plan-cache"),
      },
      "reattach",
    );
    const sent = h.sim.requests.length;
    const plan = await readOnly.plan();
    expect(plan.text).toMatch(/"drift"\s+= "status STOPPED \(want ACTIVE\)"/);
    expect(plan.text).toMatch(
      new RegExp(`"strays"\\s+= "account \\d+: duplicate entitlement ${extra.serialNumber} of cost/Spare \\(keeps ${spare.serialNumber}\\)"`),
    );
    expect(Object.keys(plan.changes).sort()).toEqual(["null_resource.FortiFlexRuntime_Reconcile[0]", "null_resource.Fw_Settings"]);
    const operations = h.sim.requests
      .slice(sent)
      .map((r) => r.operation)
      .filter((o) => o !== "auth");
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((o) => !READ_OPERATIONS.has(o))).toEqual([]);

    // The read-only user cannot apply (FortiFlex refuses it); the read-write user's apply repairs.
    const refused = await readOnly.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(refused.exitCode).not.toBe(0);
    await tf.apply();
    const status = (serial: string) => h.sim.world.state.entitlements.find((e) => e.serialNumber === serial)!.status;
    expect([status(fw.serialNumber), status(spare.serialNumber), status(extra.serialNumber)]).toEqual(["ACTIVE", "PENDING", "STOPPED"]);
  });
});
