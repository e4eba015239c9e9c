import * as path from "node:path";
import { TerraformOutput } from "cdktf";
import { FortiFlexConfiguration, FortiFlexVmEntitlement } from "../../constructs";
import { summarizePlan, type PlanJson } from "../../gitops/plan-summary";
import { keyOf } from "../../contract/object-key";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

/**
 * Adopting what a customer already runs, with real terraform: a configuration by id and an entitlement by
 * serial number come under a stack without anything being created or stopped, the plan says so, and the
 * objects that cannot be adopted fail the apply with the reason before anything else happens.
 */
describeWithTerraform("adoption", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  const synth = (name: string, adopt: { configId?: number; serialNumber?: string; accountId?: number }) => {
    const outdir = path.join(h.tmp, `out-${name}`);
    return synthTerraformStack(
      name,
      (stack) => {
        const config = simulatorConfiguration(stack, h.sim, {
          accountId: adopt.accountId ?? h.sim.seed.memberAccountIds[0],
          detectDrift: false,
          ...(adopt.configId === undefined ? {} : { adoptConfigId: adopt.configId }),
        });
        new FortiFlexVmEntitlement(stack, "Fw", {
          configuration: config,
          description: "edge",
          ...(adopt.serialNumber === undefined ? {} : { adoptSerialNumber: adopt.serialNumber }),
        });
      },
      outdir,
    );
  };
  const terraform = async (dir: string) => {
    const tf = new Terraform(dir, { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache") });
    await tf.init();
    return tf;
  };
  const creates = () => h.sim.requests.filter((r) => /create$/.test(r.operation)).length;
  const stops = () => h.sim.requests.filter((r) => /stop$|disable$/.test(r.operation)).length;

  test("an existing configuration and a running entitlement come under the stack: nothing created, nothing stopped, visible in the plan", async () => {
    const [account] = h.sim.seed.memberAccountIds;
    const config = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: account,
      name: "by hand",
      productTypeId: 1,
      parameters: FGT_2CPU_UTP,
    });
    const [e] = await h.client.createVmEntitlements({ configId: config.id, description: "the customer's FortiGate" });
    h.sim.world.useToken(e.token);
    const [createsBefore, stopsBefore] = [creates(), stops()];

    const tf = await terraform(synth("adopt", { configId: config.id, serialNumber: e.serialNumber }));
    const plan = await tf.plan();
    const notes = summarizePlan("adopt", plan.json as PlanJson).notes.join("\n");
    expect(notes).toContain(`**adopts existing configuration ${config.id} as adopt/Config**`);
    expect(notes).toContain(`**adopts existing entitlement ${e.serialNumber} as adopt/Fw**`);
    const applied = await tf.apply("tfplan");
    expect(applied).toMatch(new RegExp(`adopted configuration ${config.id} \\("by hand", ACTIVE\\); the adoption created and disabled nothing`));
    expect(applied).toMatch(new RegExp(`adopted ${e.serialNumber} \\(ACTIVE, token USED\\); the adoption created and stopped nothing`));
    expect([creates(), stops()]).toEqual([createsBefore, stopsBefore]);
    // The objects are the stack's now, with its settings (name, 1 vCPU FortiCare), still in service.
    const now = h.sim.world.state.configs.find((c) => c.id === config.id)!;
    expect([keyOf(now.name), now.parameters.find((p) => p.id === 1)?.value]).toEqual(["adopt/Config", "1"]);
    expect(h.sim.world.state.entitlements.find((x) => x.serialNumber === e.serialNumber)).toEqual(
      expect.objectContaining({ status: "ACTIVE", tokenStatus: "USED", configId: config.id }),
    );
    expect((await tf.plan()).changes).toEqual({});
  });

  test(
    "objects made elsewhere, referred to: an entitlement on a configuration by id, an entitlement read " + "by serial; neither is changed or stopped",
    async () => {
      const [account] = h.sim.seed.memberAccountIds;
      const config = await h.client.createConfig({
        programSerialNumber: h.sim.seed.programSerialNumber,
        accountId: account,
        name: "the portal's",
        productTypeId: 1,
        parameters: FGT_2CPU_UTP,
      });
      const [theirs] = await h.client.createVmEntitlements({ configId: config.id, description: "not ours" });
      const outdir = path.join(h.tmp, "out-refs");
      const dir = synthTerraformStack(
        "refs",
        (stack) => {
          const existing = FortiFlexConfiguration.fromConfigId(stack, "Portal", {
            configId: config.id,
            programSerialNumber: h.sim.seed.programSerialNumber,
            accountId: account,
            productTypeId: 1,
            endpoints: { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl },
            detectDrift: false,
          });
          new FortiFlexVmEntitlement(stack, "Fw", { configuration: existing });
          const read = FortiFlexVmEntitlement.fromSerialNumber(stack, "Theirs", {
            serialNumber: theirs.serialNumber,
            programSerialNumber: h.sim.seed.programSerialNumber,
            accountId: account,
            endpoints: { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl },
          });
          new TerraformOutput(stack, "theirs_status", { value: read.status });
          new TerraformOutput(stack, "theirs_config", { value: read.configId });
        },
        outdir,
      );
      const tf = await terraform(dir);
      await tf.apply();
      const ours = h.sim.world.state.entitlements.find((e) => keyOf(e.description) === "refs/Fw")!;
      expect(ours.configId).toBe(config.id);
      expect(await tf.outputs()).toEqual(
        expect.objectContaining({
          theirs_status: expect.objectContaining({ value: "PENDING" }),
          theirs_config: expect.objectContaining({ value: String(config.id) }),
        }),
      );
      await tf.destroy();
      // Ours is stopped; the configuration and their entitlement are as they were.
      expect(h.sim.world.state.entitlements.find((e) => e.serialNumber === ours.serialNumber)!.status).toBe("STOPPED");
      expect(h.sim.world.state.configs.find((c) => c.id === config.id)).toEqual(expect.objectContaining({ status: "ACTIVE", name: "the portal's" }));
      expect(h.sim.world.state.entitlements.find((e) => e.serialNumber === theirs.serialNumber)).toEqual(
        expect.objectContaining({ status: "PENDING", description: "not ours" }),
      );
    },
  );

  test("what cannot be adopted fails the plan, before anything is created: another account, another owner, another product", async () => {
    const [a, b] = h.sim.seed.memberAccountIds;
    const config = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: b,
      name: "elsewhere",
      productTypeId: 1,
      parameters: FGT_2CPU_UTP,
    });
    const createsBefore = creates();
    const tf = await terraform(synth("wrong", { configId: config.id, accountId: a }));
    const res = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(res.exitCode).toBe(1);
    // Terraform wraps long diagnostics: compare with single spaces.
    const flat = (text: string) => text.replace(/\s+/g, " ");
    expect(flat(res.stdout + res.stderr)).toContain(`configuration ${config.id} is in account ${b}, not in account ${a} where wrong/Config lives`);
    expect(creates()).toBe(createsBefore);

    await h.client.updateConfig({ id: config.id, name: "owned [ffx:someone/Config]" });
    const other = await terraform(synth("taken", { configId: config.id, accountId: b }));
    const taken = await other.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(flat(taken.stdout + taken.stderr)).toContain(
      `configuration ${config.id} already belongs to someone/Config; adopting it as taken/Config would give it two owners`,
    );
    expect(creates()).toBe(createsBefore);
    expect(h.sim.world.state.configs.filter((c) => keyOf(c.name)?.startsWith("wrong/") || keyOf(c.name)?.startsWith("taken/"))).toEqual([]);

    // An entitlement of another product: refused at plan time, before the stack's own configuration exists.
    const fortiWeb = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: a,
      name: "fortiweb",
      productTypeId: 3,
      parameters: [
        { id: 4, value: "2" },
        { id: 5, value: "FWBSTD" },
      ],
    });
    const [web] = await h.client.createVmEntitlements({ configId: fortiWeb.id });
    const createsNow = creates();
    const mixed = await terraform(synth("mixed", { serialNumber: web.serialNumber, accountId: a }));
    const refused = await mixed.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(flat(refused.stdout + refused.stderr)).toContain(
      `entitlement ${web.serialNumber} runs a FWB_VM configuration (${fortiWeb.id}); mixed/Fw's configuration is a FGT_VM_Bundle`,
    );
    expect(creates()).toBe(createsNow);
    expect(h.sim.world.state.configs.filter((c) => keyOf(c.name)?.startsWith("mixed/"))).toEqual([]);
  });
});
