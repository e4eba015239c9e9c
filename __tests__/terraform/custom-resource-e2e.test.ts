import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformOutput, type TerraformStack } from "cdktf";
import { EntitlementDesiredStatus, FortiFlexProduct, FortiFlexVmEntitlement, FortiGateServicePackage, LifecycleResourceType } from "../../constructs";
import { keyOf } from "../../contract/object-key";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

/**
 * The synthesized Terraform of a configuration and two entitlements, run by real terraform (the default
 * null_resource + external stacks, drift checks on) against the simulator: create, outputs, idle plans,
 * change in place, drift shown in plan and repaired, token regeneration, destroy twice, re-create elsewhere.
 */
describeWithTerraform("FortiFlex custom resource end to end", () => {
  let h: Harness;
  let outdir: string;
  let env: Record<string, string>;
  const MEMBER = 1525960;

  interface Desired {
    cpu: number;
    primaryDescription: string;
    secondaryStatus: EntitlementDesiredStatus;
    tokenGeneration: number;
  }
  const build = (d: Desired) => (stack: TerraformStack) => {
    const config = simulatorConfiguration(stack, h.sim, {
      accountId: MEMBER,
      name: "acme edge",
      product: FortiFlexProduct.fortiGateVmBundle({ cpu: d.cpu, servicePackage: FortiGateServicePackage.UTP }),
    });
    const primary = new FortiFlexVmEntitlement(stack, "Primary", {
      configuration: config,
      description: d.primaryDescription,
      tokenGeneration: d.tokenGeneration,
    });
    new FortiFlexVmEntitlement(stack, "Secondary", { configuration: config, status: d.secondaryStatus, folderPath: "My Assets/acme" });
    new TerraformOutput(stack, "primary_serial", { value: primary.serialNumber });
    new TerraformOutput(stack, "primary_token", { value: primary.licenseToken, sensitive: true });
  };
  const initial: Desired = { cpu: 2, primaryDescription: "edge primary", secondaryStatus: EntitlementDesiredStatus.ACTIVE, tokenGeneration: 0 };

  beforeAll(async () => {
    h = await startHarness();
    outdir = path.join(h.tmp, "cdktf.out");
    env = { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "handler-cache") };
  });
  afterAll(async () => h.close());

  const statePath = () => path.join(h.tmp, "state", "acme.tfstate");
  const synth = (d: Desired) => synthTerraformStack("acme", build(d), outdir, statePath());
  const api = () => h.sim.world.state;
  const entitlementsOf = (key: string) => api().entitlements.filter((e) => keyOf(e.description) === key);
  const tagged = (text: string, key: string) => expect.stringMatching(new RegExp(`^${text.replace(/[()]/g, "\\$&")} \\[ffx:${key}@[0-9a-f]{8}\\]$`));
  /** Plan changes by resource name without its hash, e.g. "Primary_Settings" -> ["delete","create"]. */
  const planned = async (tf: Terraform) => {
    const { changes } = await tf.plan();
    return Object.fromEntries(
      Object.entries(changes).map(([address, actions]) => [
        address.replace(/^null_resource\./, "").replace(/_[0-9A-F]{8}(\[\d+\])?$/, "$1"),
        actions.join(","),
      ]),
    );
  };

  test("the whole life of a stack", async () => {
    // 1. Create.
    let tf = new Terraform(synth(initial), env);
    await tf.init();
    const created = await tf.apply();
    expect(api().configs).toHaveLength(1);
    const config = api().configs[0];
    expect(config).toEqual(expect.objectContaining({ name: tagged("acme edge", "acme/Config"), status: "ACTIVE", accountId: MEMBER }));
    expect(entitlementsOf("acme/Primary")).toEqual([
      expect.objectContaining({ status: "PENDING", configId: config.id, description: tagged("edge primary", "acme/Primary") }),
    ]);
    expect(entitlementsOf("acme/Secondary")).toEqual([expect.objectContaining({ status: "PENDING", folderPath: "My Assets/acme" })]);
    const primary = { ...entitlementsOf("acme/Primary")[0] };
    const firstToken = primary.token;
    const secondarySerial = entitlementsOf("acme/Secondary")[0].serialNumber;
    // Terraform shows what the handler did, never the token or the password.
    expect(created).toMatch(
      new RegExp(`null_resource\\.Primary_Lifecycle \\(local-exec\\): fortiflex: entitlement acme/Primary: created ${primary.serialNumber} \\(PENDING\\)`),
    );
    expect(created).not.toContain(primary.token);
    expect(created).not.toContain(h.sim.seed.password);

    // 2. Outputs come from the external data source; the token is a sensitive value.
    expect(created).toMatch(/primary_token = <sensitive>/);
    const outputs = await tf.outputs();
    expect(outputs.primary_serial).toEqual({ value: primary.serialNumber, sensitive: false, type: "string" });
    expect(outputs.primary_token).toEqual({ value: primary.token, sensitive: true, type: "string" });

    // Nothing changed: an empty plan (drift checks and outputs read at plan time).
    expect((await tf.plan()).text).toMatch(/No changes\./);

    // A VM boots and uses the token: ACTIVE is what we want, so still no changes.
    h.sim.world.useToken(primary.token);
    expect((await tf.plan()).text).toMatch(/No changes\./);

    // 3. Change settings in place: CPU 2 -> 4, a new description, the secondary to standby, a new token.
    tf = new Terraform(
      synth({ cpu: 4, primaryDescription: "edge primary (4 vCPU)", secondaryStatus: EntitlementDesiredStatus.STOPPED, tokenGeneration: 1 }),
      env,
    );
    expect(await planned(tf)).toEqual({
      Config_Settings: "delete,create",
      Primary_Settings: "delete,create",
      Secondary_Settings: "delete,create",
      Primary_TokenRegeneration: "create",
    });
    const requestsBefore = h.sim.requests.length;
    await tf.apply();
    const newOps = h.sim.requests.slice(requestsBefore).map((r) => r.operation);
    expect(newOps).not.toContain("configs/disable");
    expect(newOps).not.toContain("entitlements/vm/create");
    expect(newOps.filter((o) => o === "entitlements/stop")).toHaveLength(1);
    expect(api().configs).toEqual([
      expect.objectContaining({ id: config.id, status: "ACTIVE", parameters: expect.arrayContaining([{ id: 1, name: "CPU", value: "4" }]) }),
    ]);
    expect(entitlementsOf("acme/Primary")).toEqual([
      expect.objectContaining({
        serialNumber: primary.serialNumber,
        status: "ACTIVE",
        description: tagged("edge primary (4 vCPU)", "acme/Primary"),
        tokenStatus: "NOTUSED",
      }),
    ]);
    const regenerated = entitlementsOf("acme/Primary")[0].token;
    expect(regenerated).not.toBe(firstToken);
    expect((await tf.outputs()).primary_token.value).toBe(regenerated);
    expect(entitlementsOf("acme/Secondary")).toEqual([expect.objectContaining({ serialNumber: secondarySerial, status: "STOPPED" })]);
    expect((await tf.plan()).text).toMatch(/No changes\./);

    // 4. Drift: someone stops the primary, disables the configuration and renames it in the portal
    //    (keeping the "[ffx:...]" marker: it is how the handler finds the object).
    const client = h.newClient();
    await client.stopEntitlement(primary.serialNumber);
    await client.updateConfig({
      id: config.id,
      name: api().configs[0].name.replace("acme edge", "renamed by hand"),
      parameters: [
        { id: 1, value: "8" },
        { id: 2, value: "ATP" },
      ],
    });
    await client.disableConfig(config.id);
    const drift = await tf.plan();
    // The external provider shows a program's stderr only when it fails: the drift is in the settings step's triggers.
    expect(drift.text).toMatch(/"drift"\s+= "status DISABLED \(want ACTIVE\); name .*renamed by hand.*; parameters 10=0,1=8,2=ATP \(want 10=0,1=4,2=UTP\)"/);
    expect(drift.text).toMatch(/"drift"\s+= "status STOPPED \(want ACTIVE\)"/);
    // The settings steps repair: each gains a `drift` trigger, so the plan replaces it (nothing is destroyed).
    expect(await planned(tf)).toEqual({ Config_Settings: "delete,create", Primary_Settings: "delete,create" });
    const repairFrom = h.sim.requests.length;
    await tf.apply();
    expect(h.sim.requests.slice(repairFrom).map((r) => r.operation)).not.toContain("entitlements/vm/create");
    expect(api().configs[0]).toEqual(
      expect.objectContaining({
        name: tagged("acme edge", "acme/Config"),
        status: "ACTIVE",
        parameters: expect.arrayContaining([
          { id: 1, name: "CPU", value: "4" },
          { id: 2, name: "SERVICEPACK", value: "UTP" },
        ]),
      }),
    );
    expect(entitlementsOf("acme/Primary")[0].status).toBe("ACTIVE");
    // Once in sync, the steps lose their `drift` trigger: run once more, they apply the same settings and change
    // nothing in FortiFlex; the plan after that is empty.
    expect(await planned(tf)).toEqual({ Config_Settings: "delete,create", Primary_Settings: "delete,create" });
    const settleFrom = h.sim.requests.length;
    await tf.apply();
    expect(h.sim.requests.slice(settleFrom).filter((r) => !r.operation.endsWith("list") && r.operation !== "auth")).toEqual([]);
    expect((await tf.plan()).text).toMatch(/No changes\./);

    // 5. Destroy: stop / disable, never delete; a second destroy (a retried pipeline) is a no-op.
    fs.copyFileSync(statePath(), `${statePath()}.saved`);
    const destroyed = await tf.destroy();
    expect(destroyed).toMatch(/fortiflex: entitlement acme\/Primary \(FGVM\w+\): stopped/);
    expect(api().configs[0].status).toBe("DISABLED");
    expect(api().entitlements.map((e) => e.status)).toEqual(["STOPPED", "STOPPED"]);
    expect(await tf.destroy()).toMatch(/Resources: 0 destroyed/);
    // Even with the old state back (a stale runner), destroying again only looks things up.
    fs.copyFileSync(`${statePath()}.saved`, statePath());
    const before = h.sim.requests.length;
    expect(await tf.destroy()).toMatch(/already STOPPED[\s\S]*already disabled/);
    expect(h.sim.requests.slice(before).filter((r) => !r.operation.endsWith("list") && r.operation !== "auth")).toEqual([]);

    // 6. Re-create from empty state on "another machine" (the stack directory copied elsewhere, as a CI
    //    runner receives it): the stopped entitlements are reused, never duplicated.
    const moved = path.join(h.tmp, "elsewhere", "acme");
    fs.cpSync(synthTerraformStack("acme", build(initial), path.join(h.tmp, "other-out")), moved, { recursive: true });
    tf = new Terraform(moved, env);
    await tf.init();
    await tf.apply();
    expect(api().configs).toHaveLength(1);
    expect(api().configs[0].status).toBe("ACTIVE");
    expect(api().entitlements).toHaveLength(2);
    expect(entitlementsOf("acme/Primary")).toEqual([expect.objectContaining({ serialNumber: primary.serialNumber, status: "ACTIVE" })]);
    expect(entitlementsOf("acme/Secondary")).toEqual([expect.objectContaining({ serialNumber: secondarySerial, status: "ACTIVE" })]);
    await tf.destroy();
  });

  test("the terraform_data option: the same life with Terraform's built-in resource", async () => {
    const dir = synthTerraformStack(
      "tfdata",
      (stack) => {
        const config = simulatorConfiguration(stack, h.sim, {
          accountId: h.sim.seed.memberAccountIds[1],
          lifecycleResource: LifecycleResourceType.TERRAFORM_DATA,
        });
        const fw = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: "terraform_data" });
        new TerraformOutput(stack, "serial", { value: fw.serialNumber });
      },
      path.join(h.tmp, "tfdata-out"),
    );
    const tf = new Terraform(dir, env);
    await tf.init();
    const applied = await tf.apply();
    expect(applied).toMatch(/terraform_data\.\w+ \(local-exec\): fortiflex: entitlement tfdata\/Fw: created FGVM\w+ \(PENDING\)/);
    expect(entitlementsOf("tfdata/Fw").map((e) => e.status)).toEqual(["PENDING"]);
    expect((await tf.outputs()).serial.value).toBe(entitlementsOf("tfdata/Fw")[0].serialNumber);
    expect((await tf.plan()).text).toMatch(/No changes\./);
    expect(await tf.destroy()).toMatch(/entitlement tfdata\/Fw \(FGVM\w+\): stopped/);
    expect(entitlementsOf("tfdata/Fw").map((e) => e.status)).toEqual(["STOPPED"]);
  });
});
