import * as fs from "node:fs";
import * as path from "node:path";
import { FortiFlexVmEntitlement, LifecycleResourceType } from "../../constructs";
import { FortiFlexRuntime } from "../../constructs/private/fortiflex-runtime";
import { keyOf } from "../../contract/object-key";
import { summarizePlan, type PlanJson } from "../../gitops/plan-summary";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform, type TerraformOptions } from "../helpers/terraform";
import { joinedRegExp } from "../helpers/joined-regexp";
import { waitFor } from "../../reliability/wait-for";

/**
 * "Never twice, never left running", proven with real terraform against the simulator, one case per way it
 * used to break: tainted steps, code removed, concurrent applies with separate state, slow commits, answers
 * without their list, state lost by a killed apply, a decommissioned customer, the API user's own account.
 */
describeWithTerraform("ownership guarantees", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  interface Shape {
    readonly entitlements: string[];
    readonly accountId?: number;
    readonly detectDrift?: boolean;
    readonly lifecycleResource?: LifecycleResourceType;
  }
  /** A FortiFlex stack `name`: one configuration and the given entitlements; state beside cdk.tf.json. */
  const synth = (name: string, shape: Shape, outdir = path.join(h.tmp, `out-${name}`)) => {
    return synthTerraformStack(
      name,
      (stack) => {
        const config = simulatorConfiguration(stack, h.sim, {
          ...(shape.accountId === undefined ? {} : { accountId: shape.accountId }),
          detectDrift: shape.detectDrift ?? false,
          ...(shape.lifecycleResource ? { lifecycleResource: shape.lifecycleResource } : {}),
        });
        for (const id of shape.entitlements) new FortiFlexVmEntitlement(stack, id, { configuration: config });
      },
      outdir,
    );
  };
  const env = (extra: Record<string, string> = {}) => ({
    ...h.sim.env(),
    FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache"),
    FORTIFLEX_MAX_ATTEMPTS: "2",
    ...extra,
  });
  const terraform = async (dir: string, extra: Record<string, string> = {}, options: TerraformOptions = {}) => {
    const tf = new Terraform(dir, env(extra), options);
    await tf.init();
    return tf;
  };
  /** Every object of a namespace as "key:status", sorted; live means ACTIVE or PENDING (configs: ACTIVE). */
  const objects = (namespace: string) =>
    [
      ...h.sim.world.state.entitlements.filter((e) => keyOf(e.description)?.startsWith(`${namespace}/`)).map((e) => `${keyOf(e.description)}:${e.status}`),
      ...h.sim.world.state.configs.filter((c) => keyOf(c.name)?.startsWith(`${namespace}/`)).map((c) => `${keyOf(c.name)}:${c.status}`),
    ].sort();
  const live = (namespace: string) => objects(namespace).filter((o) => /:(ACTIVE|PENDING)$/.test(o));
  const failingApply = async (tf: Terraform) => {
    const res = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(res.exitCode).toBe(1);
    return res.stdout + res.stderr;
  };

  test("a step that fails after the entitlement exists leaves it tainted; destroy still stops it", async () => {
    const tf = await terraform(synth("tainted", { entitlements: ["Fw"] }));
    // The plan's observation and the look-up before the create succeed, the create succeeds, the look-up for
    // duplicates that follows fails past its retries.
    h.sim.faults.set([{ operation: "entitlements/list", kind: "server-error", skip: 2, times: 10 }]);
    expect(await failingApply(tf)).toMatch(/entitlement tainted\/Fw: created FGVM\w+ \(PENDING\)[\s\S]*Error: local-exec provisioner error/);
    h.sim.faults.set([]);
    expect(await tf.tainted()).toEqual([expect.stringMatching(/^null_resource\.Fw_Lifecycle$/)]);
    expect(live("tainted")).toEqual(["tainted/Config:ACTIVE", "tainted/Fw:PENDING"]);
    // Terraform skips the tainted step's destroy provisioner; the stack's owner stops it.
    const destroyed = await tf.destroy();
    expect(destroyed).toMatch(
      joinedRegExp(
        /FortiFlexRuntime_StopAllOnDestroy_\w+ \(local-exec\): fortiflex: entitlement tainted\/Fw \(FGVM\w+\): stopped, /,
        /the stack's owner of this account is destroyed/,
      ),
    );
    expect(live("tainted")).toEqual([]);
  });

  test("entitlements removed from the code are stopped by the next apply", async () => {
    const outdir = path.join(h.tmp, "out-removed");
    const tf = await terraform(synth("removed", { entitlements: ["Fw1", "Fw2", "Fw3"] }, outdir));
    await tf.apply();
    h.sim.world.useToken(h.sim.world.state.entitlements.find((e) => keyOf(e.description) === "removed/Fw2")!.token);
    expect(live("removed")).toEqual(["removed/Config:ACTIVE", "removed/Fw1:PENDING", "removed/Fw2:ACTIVE", "removed/Fw3:PENDING"]);
    synth("removed", { entitlements: ["Fw1"] }, outdir);
    const plan = await tf.plan();
    expect(plan.changes).toEqual(expect.objectContaining({ [Object.keys(plan.changes).find((a) => a.includes("Reconcile"))!]: ["delete", "create"] }));
    const applied = await tf.apply();
    expect(applied).toMatch(/fortiflex: entitlement removed\/Fw2 \(FGVM\w+\): stopped, no longer declared by the stack/);
    expect(applied).toMatch(/Resources: 1 added, 0 changed, \d+ destroyed/);
    expect(live("removed")).toEqual(["removed/Config:ACTIVE", "removed/Fw1:PENDING"]);
    // The plan saw the removed objects live (the reconcile step's `strays`); with them stopped, the step loses
    // that trigger and runs once more, finding nothing to stop. Then the plan is empty.
    const after = await tf.plan();
    expect(after.changes).toEqual({ "null_resource.FortiFlexRuntime_Reconcile[0]": ["delete", "create"] });
    expect(summarizePlan("removed", after.json as PlanJson).notes).toContain(
      "reconcile step run once more after last apply stopped what the plan found astray (null_resource.FortiFlexRuntime_Reconcile[0]): " +
        "nothing changes in FortiFlex",
    );
    const writes = h.sim.requests.length;
    await tf.apply();
    expect(h.sim.requests.slice(writes).filter((r) => !r.operation.endsWith("list") && r.operation !== "auth")).toEqual([]);
    expect((await tf.plan()).text).toMatch(/No changes\./);
  });

  test("two applies at once with separate state: one configuration and one entitlement per key when both finish", async () => {
    const a = synth("twice", { entitlements: ["Fw"] }, path.join(h.tmp, "runner-a"));
    const b = synth("twice", { entitlements: ["Fw"] }, path.join(h.tmp, "runner-b"));
    const [ta, tb] = await Promise.all([terraform(a), terraform(b)]);
    // Each create is held until both runners have sent theirs: both looked before either landed, as when two
    // runners with separate state apply at the same moment.
    h.sim.faults.set([
      { operation: "configs/create", kind: "hold", times: 2 },
      { operation: "entitlements/vm/create", kind: "hold", times: 2 },
    ]);
    const applies = Promise.all([ta.apply(), tb.apply()]);
    for (const what of ["two configuration creates", "two entitlement creates"]) {
      await waitFor(() => h.sim.faults.holding === 2, what, 60_000);
      h.sim.faults.release();
    }
    const outputs = await applies;
    h.sim.faults.set([]);
    // Both were made, and one of each was settled: one configuration and one entitlement live.
    expect(objects("twice")).toEqual(["twice/Config:ACTIVE", "twice/Config:DISABLED", "twice/Fw:PENDING", "twice/Fw:STOPPED"]);
    expect(live("twice")).toEqual(["twice/Config:ACTIVE", "twice/Fw:PENDING"]);
    // The runs said so.
    expect(outputs.join("\n")).toMatch(/configuration twice\/Config: disabled duplicate configuration \d+ \(kept \d+\)/);
    expect(outputs.join("\n")).toMatch(/entitlement twice\/Fw: stopped duplicate FGVM\w+ \(kept FGVM\w+\)/);
    // Each runner's next plan is quiet, and destroying from either leaves nothing live.
    for (const tf of [ta, tb]) expect((await tf.plan()).text).toMatch(/No changes\./);
    await tb.destroy();
    expect(live("twice")).toEqual([]);
  });

  test.each([
    ["drift detection (the default), null_resource", "slow", true, LifecycleResourceType.NULL_RESOURCE],
    ["no drift detection, null_resource", "slow-quiet", false, LifecycleResourceType.NULL_RESOURCE],
    ["no drift detection, terraform_data", "slow-data", false, LifecycleResourceType.TERRAFORM_DATA],
  ] as const)(
    "a create that lands after its runner gave up, re-applied at once: the next plan shows the extra, its apply stops it (%s)",
    async (_, name, detectDrift, lifecycleResource) => {
      const tf = await terraform(synth(name, { entitlements: ["Fw"], detectDrift, lifecycleResource }), {
        // The held create times out at this; every other request must answer within it, even on a busy machine.
        FORTIFLEX_REQUEST_TIMEOUT_MS: "2000",
        FORTIFLEX_CREATE_SETTLE_MS: "200",
      });
      const type = lifecycleResource === LifecycleResourceType.TERRAFORM_DATA ? "terraform_data" : "null_resource";
      await tf.run(["apply", "-auto-approve", "-input=false", `-target=${type}.Config_Settings`]);
      h.sim.faults.set([{ operation: "entitlements/vm/create", kind: "hold" }]);
      expect(await failingApply(tf)).toMatch(/may or may not have been applied[\s\S]*run the apply again/);
      await tf.apply(); // at once: the slow create has not landed, so this one creates another
      expect(h.sim.faults.release()).toBe(1); // now it lands
      await waitFor(() => objects(name).filter((o) => o.startsWith(`${name}/Fw:`)).length === 2, "the held create landing");
      expect(objects(name).filter((o) => o.startsWith(`${name}/Fw:`))).toEqual([`${name}/Fw:PENDING`, `${name}/Fw:PENDING`]);
      // Every path observes the scope at plan time: the extra shows in the reconcile step's `strays` trigger
      // (terraform_data shows its object's keys unquoted).
      const plan = await tf.plan();
      expect(plan.text).toMatch(new RegExp(`"?strays"?\\s+= "account \\d+: duplicate entitlement FGVM\\w+ of ${name}/Fw \\(keeps FGVM\\w+\\)"`));
      expect(plan.changes).toEqual({ [`${type}.FortiFlexRuntime_Reconcile[0]`]: ["delete", "create"] });
      // The plan only reads (a read-only API user can run it); the apply's reconcile step stops the extra.
      expect(live(name)).toEqual([`${name}/Config:ACTIVE`, `${name}/Fw:PENDING`, `${name}/Fw:PENDING`]);
      expect(await tf.apply()).toMatch(new RegExp(`entitlement ${name}/Fw: stopped duplicate FGVM\\w+ \\(kept FGVM\\w+\\)`));
      expect(live(name)).toEqual([`${name}/Config:ACTIVE`, `${name}/Fw:PENDING`]);
      // In sync again: the reconcile step loses its `strays` trigger and runs once more, finding nothing; then the plan is empty.
      expect((await tf.plan()).changes).toEqual({ [`${type}.FortiFlexRuntime_Reconcile[0]`]: ["delete", "create"] });
      await tf.apply();
      expect((await tf.plan()).text).toMatch(/No changes\./);
      expect(live(name)).toEqual([`${name}/Config:ACTIVE`, `${name}/Fw:PENDING`]);
    },
  );

  test("a 200 answer without its list is an error: nothing is created twice, destroy does not claim there is nothing", async () => {
    const tf = await terraform(synth("nolist", { entitlements: ["Fw"] }));
    await tf.apply();
    h.sim.faults.set([{ operation: "entitlements/list", kind: "empty-success", times: 20 }]);
    synth("nolist", { entitlements: ["Fw", "Fw2"] });
    // Now the plan's observation meets it first: Terraform wraps a data source's error and escapes its quotes.
    const failed = (await failingApply(tf)).replace(/\\"/g, '"').replace(/\s+/g, " ");
    expect(failed).toMatch(/entitlements\/list failed: HTTP 200: the answer has no "entitlements" list \(got nothing\); refusing to read it as empty/);
    const destroy = await tf.run(["destroy", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(destroy.exitCode).toBe(1);
    expect(destroy.stdout).not.toMatch(/nothing to stop/);
    h.sim.faults.set([]);
    expect(objects("nolist").filter((o) => o.includes("/Fw"))).toEqual(["nolist/Fw:PENDING"]);
    await tf.destroy();
    expect(live("nolist")).toEqual([]);
  });

  test("an apply killed mid-create loses the object from the state; destroy stops it anyway", async () => {
    const outdir = path.join(h.tmp, "out-killed");
    // Terraform starts its providers itself here: killed, it takes them (and their programs) with it.
    const tf = await terraform(synth("killed", { entitlements: ["Fw1"] }, outdir), {}, { providers: "managed" });
    await tf.apply();
    synth("killed", { entitlements: ["Fw1", "Fw2"] }, outdir);
    h.sim.faults.set([{ operation: "entitlements/vm/create", kind: "hold" }]);
    const run = tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    await waitFor(() => h.sim.faults.holding === 1, "the held create", 60_000);
    tf.killRunning();
    h.sim.faults.set([]);
    // The create lands after terraform is gone (its orphaned provisioner is answered and exits).
    expect(h.sim.faults.release()).toBe(1);
    await run;
    await waitFor(() => live("killed").includes("killed/Fw2:PENDING"), "the released create landing", 60_000);
    expect(live("killed")).toEqual(["killed/Config:ACTIVE", "killed/Fw1:PENDING", "killed/Fw2:PENDING"]);
    expect((await tf.run(["state", "list"])).stdout).not.toMatch(/Fw2_Lifecycle/);
    await tf.destroy();
    expect(live("killed")).toEqual([]);
  });

  test("objects moved to another account (renamed constructs with their keys kept, or a tainted step) leave nothing live behind", async () => {
    const outdir = path.join(h.tmp, "out-moved");
    const build = (accountId: number, ids: [string, string]) => {
      return synthTerraformStack(
        "moved",
        (stack) => {
          const config = simulatorConfiguration(stack, h.sim, { key: "moved/cfg", accountId, detectDrift: false }, ids[0]);
          new FortiFlexVmEntitlement(stack, ids[1], { key: "moved/fw", configuration: config });
        },
        outdir,
      );
    };
    const inAccount = (account: number) =>
      [
        ...h.sim.world.state.entitlements
          .filter((e) => e.accountId === account && keyOf(e.description)?.startsWith("moved/") && ["ACTIVE", "PENDING"].includes(e.status))
          .map((e) => `${keyOf(e.description)}:${e.status}`),
        ...h.sim.world.state.configs
          .filter((c) => c.accountId === account && keyOf(c.name)?.startsWith("moved/") && c.status === "ACTIVE")
          .map((c) => `${keyOf(c.name)}:${c.status}`),
      ].sort();
    const tf = await terraform(build(1525960, ["Config", "Fw"]));
    await tf.apply();
    // Renamed constructs: their old resources leave the configuration without running a destroy step.
    build(1525961, ["EdgeConfig", "Firewall"]);
    await tf.apply();
    expect(inAccount(1525960)).toEqual([]);
    expect(inAccount(1525961)).toEqual(["moved/cfg:ACTIVE", "moved/fw:PENDING"]);
    // A tainted step runs no destroy step either: moved back, the reconcile step stops what is left.
    await tf.run(["taint", (await tf.run(["state", "list"])).stdout.split("\n").find((a) => /Firewall_Lifecycle/.test(a))!]);
    build(1525960, ["EdgeConfig", "Firewall"]);
    await tf.apply();
    expect(inAccount(1525961)).toEqual([]);
    expect(inAccount(1525960)).toEqual(["moved/cfg:ACTIVE", "moved/fw:ACTIVE"]);
    await tf.destroy();
    expect(live("moved")).toEqual([]);
  });

  test("a decommissioned stack (nothing declared but its owner) stops everything its namespace holds", async () => {
    const outdir = path.join(h.tmp, "out-retired");
    const tf = await terraform(synth("retired", { entitlements: ["Fw1", "Fw2"], accountId: 1525961 }, outdir));
    await tf.apply();
    // What CustomerStack synthesizes for `decommission: true`: the owner of the customer's scope, no objects.
    synthTerraformStack(
      "retired",
      (stack) => {
        FortiFlexRuntime.of(stack).ownerOf(
          { program_serial_number: h.sim.seed.programSerialNumber, account_id: "1525961", api_url: h.sim.apiUrl, auth_url: h.sim.authUrl },
          LifecycleResourceType.NULL_RESOURCE,
        );
      },
      outdir,
    );
    const applied = await tf.apply();
    expect(applied).toMatch(/stopped, no longer declared by the stack/);
    expect(live("retired")).toEqual([]);
    expect((await tf.plan()).text).toMatch(/No changes\./);
  });

  test("without an account id only the API user's own account is touched; synth keeps the state", async () => {
    // The same key in a member account, made by someone else with this namespace.
    const member = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: 1525962,
      name: "other [ffx:own/Config]",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "1" },
        { id: 2, value: "FC" },
      ],
    });
    const outdir = path.join(h.tmp, "out-own");
    const tf = await terraform(synth("own", { entitlements: [] }, outdir));
    await tf.apply();
    synth("own", { entitlements: [] }, outdir); // synth again: state, .terraform and lock file stay
    expect(fs.existsSync(path.join(outdir, "stacks", "own", "terraform.tfstate"))).toBe(true);
    expect((await tf.plan()).text).toMatch(/No changes\./);
    await tf.destroy();
    expect(h.sim.world.state.configs.find((c) => c.id === member.id)?.status).toBe("ACTIVE");
    expect(
      h.sim.world.state.configs
        .filter((c) => keyOf(c.name) === "own/Config")
        .map((c) => [c.accountId, c.status])
        .sort(),
    ).toEqual(
      [
        [h.sim.seed.accountId, "DISABLED"],
        [1525962, "ACTIVE"],
      ].sort(),
    );
  });
});
