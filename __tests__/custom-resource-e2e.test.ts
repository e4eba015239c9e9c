import * as fs from "node:fs";
import * as path from "node:path";
import type { TerraformStack } from "cdktf";
import {
  EntitlementDesiredStatus,
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiFlexVmEntitlement,
  FortiGateServicePackage,
} from "../constructs";
import { keyOf } from "../custom-provider/object-key";
import { startHarness, type Harness } from "./helpers/simulator-harness";
import { synthStack } from "./helpers/synth";
import { TerraformEmulator } from "./helpers/terraform-emulator";

/**
 * The synthesized Terraform of a configuration and two entitlements, run against the simulator step by
 * step as Terraform would run it: create, read, change in place, drift and repair, destroy (twice), re-create.
 */
describe("FortiFlex custom resource end to end", () => {
  let h: Harness;
  let outdir: string;
  let env: Record<string, string>;
  const MEMBER = 1525960;

  interface Desired { cpu: number; primaryDescription: string; secondaryStatus: EntitlementDesiredStatus; tokenGeneration: number }
  const build = (d: Desired) => (stack: TerraformStack) => {
    const config = new FortiFlexConfiguration(stack, "Config", {
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: MEMBER,
      name: "acme edge",
      product: FortiFlexProduct.fortiGateVmBundle({ cpu: d.cpu, servicePackage: FortiGateServicePackage.UTP }),
      endpoints: { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl },
    });
    const primary = new FortiFlexVmEntitlement(stack, "Primary", { configuration: config, description: d.primaryDescription, tokenGeneration: d.tokenGeneration });
    new FortiFlexVmEntitlement(stack, "Secondary", { configuration: config, status: d.secondaryStatus, folderPath: "My Assets/acme" });
    void primary.serialNumber; // creates the read step
  };
  const synth = (d: Desired) => synthStack("acme", build(d), outdir);
  const initial: Desired = { cpu: 2, primaryDescription: "edge primary", secondaryStatus: EntitlementDesiredStatus.ACTIVE, tokenGeneration: 0 };

  beforeAll(async () => {
    h = await startHarness();
    outdir = path.join(h.tmp, "cdktf.out");
    env = { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "handler-cache") };
  });
  afterAll(async () => h.close());

  const api = () => h.sim.world.state;
  const entitlementsOf = (key: string) => api().entitlements.filter((e) => keyOf(e.description) === key);
  const tagged = (text: string, key: string) => expect.stringMatching(new RegExp(`^${text.replace(/[()]/g, "\\$&")} \\[ffx:${key}@[0-9a-f]{8}\\]$`));

  test("the whole life of a stack", async () => {
    // 1. Create.
    let tf = new TerraformEmulator(synth(initial), env);
    const first = await tf.apply();
    expect(first.replaced).toEqual([]);
    expect(api().configs).toHaveLength(1);
    const config = api().configs[0];
    expect(config).toEqual(expect.objectContaining({ name: tagged("acme edge", "acme/Config"), status: "ACTIVE", accountId: MEMBER }));
    expect(entitlementsOf("acme/Primary")).toEqual([expect.objectContaining({ status: "PENDING", configId: config.id, description: tagged("edge primary", "acme/Primary") })]);
    expect(entitlementsOf("acme/Secondary")).toEqual([expect.objectContaining({ status: "PENDING", folderPath: "My Assets/acme" })]);
    const primarySerial = entitlementsOf("acme/Primary")[0].serialNumber;
    const secondarySerial = entitlementsOf("acme/Secondary")[0].serialNumber;
    // Handler output says what it did, never the token or the password.
    const output = tf.execs.map((e) => e.stdout + e.stderr).join("\n");
    expect(output).toContain(`entitlement acme/Primary: created ${primarySerial} (PENDING)`);
    expect(output).not.toContain(entitlementsOf("acme/Primary")[0].token);
    expect(output).not.toContain(h.sim.seed.password);

    // 2. Read: the outputs come from the external data source, as flat strings.
    const state = await tf.readData(tf.dataName("acme/Primary/Resource/State"));
    expect(state).toEqual(expect.objectContaining({ serial_number: primarySerial, status: "PENDING", token_status: "NOTUSED", config_id: String(config.id), account_id: String(MEMBER), description: "edge primary" }));
    expect(state.token).toMatch(/^[A-F0-9]{20}$/);

    // A second apply with nothing changed does nothing.
    const idle = await tf.apply();
    expect([...idle.created, ...idle.replaced, ...idle.destroyed]).toEqual([]);

    // A VM boots and uses the token: the entitlement becomes ACTIVE, which is what we want, so no drift.
    h.sim.world.useToken(entitlementsOf("acme/Primary")[0].token);
    expect((await tf.apply()).created).toEqual([]);

    // 3. Change settings in place: CPU 2 -> 4, a new description, the secondary to standby, a new token.
    const requestsBefore = h.sim.requests.length;
    const tokenBefore = entitlementsOf("acme/Primary")[0].token;
    tf = reuseState(tf, new TerraformEmulator(synth({ cpu: 4, primaryDescription: "edge primary (4 vCPU)", secondaryStatus: EntitlementDesiredStatus.STOPPED, tokenGeneration: 1 }), env));
    const change = await tf.apply();
    expect(change.replaced.every((a) => /Settings/.test(a))).toBe(true);
    expect(change.replaced).toHaveLength(3);
    expect(change.created).toEqual([expect.stringMatching(/Primary_TokenRegeneration/)]);
    expect(change.destroyed).toEqual([]);
    const newOps = h.sim.requests.slice(requestsBefore).map((r) => r.operation);
    expect(newOps).not.toContain("configs/disable");
    expect(newOps).not.toContain("entitlements/vm/create");
    expect(newOps.filter((o) => o === "entitlements/stop")).toHaveLength(1);
    expect(api().configs).toEqual([expect.objectContaining({ id: config.id, status: "ACTIVE", parameters: expect.arrayContaining([{ id: 1, name: "CPU", value: "4" }]) })]);
    expect(entitlementsOf("acme/Primary")).toEqual([expect.objectContaining({ serialNumber: primarySerial, status: "ACTIVE", description: tagged("edge primary (4 vCPU)", "acme/Primary"), tokenStatus: "NOTUSED" })]);
    expect(entitlementsOf("acme/Primary")[0].token).not.toBe(tokenBefore);
    expect(entitlementsOf("acme/Secondary")).toEqual([expect.objectContaining({ serialNumber: secondarySerial, status: "STOPPED" })]);

    // 4. Drift: someone stops the primary, disables the configuration and renames it in the portal.
    const client = h.newClient();
    await client.stopEntitlement(primarySerial);
    // (The portal user keeps the "[ffx:...]" marker: it is how the handler finds the object.)
    await client.updateConfig({ id: config.id, name: api().configs[0].name.replace("acme edge", "renamed by hand"), parameters: [{ id: 1, value: "8" }, { id: 2, value: "ATP" }] });
    await client.disableConfig(config.id);
    const repair = await tf.apply();
    expect(repair.created.sort()).toEqual([expect.stringMatching(/Config_DriftRepair/), expect.stringMatching(/Primary_DriftRepair/)]);
    expect(repair.replaced).toEqual([]);
    expect(api().configs[0]).toEqual(expect.objectContaining({ name: tagged("acme edge", "acme/Config"), status: "ACTIVE", parameters: expect.arrayContaining([{ id: 1, name: "CPU", value: "4" }, { id: 2, name: "SERVICEPACK", value: "UTP" }]) }));
    expect(entitlementsOf("acme/Primary")[0].status).toBe("ACTIVE");
    // Once in sync, the repair markers go away and the plan after that is empty.
    expect((await tf.apply()).destroyed.sort()).toEqual([expect.stringMatching(/Config_DriftRepair/), expect.stringMatching(/Primary_DriftRepair/)]);
    const quiet = await tf.apply();
    expect([...quiet.created, ...quiet.replaced, ...quiet.destroyed]).toEqual([]);

    // 5. Destroy: stop / disable, never delete; a second destroy (e.g. a retried pipeline) is a no-op.
    const saved = new Map(tf.state);
    await tf.destroy();
    expect(api().configs[0].status).toBe("DISABLED");
    expect(api().entitlements.map((e) => e.status)).toEqual(["STOPPED", "STOPPED"]);
    const before = h.sim.requests.length;
    for (const [k, v] of saved) tf.state.set(k, v);
    const again = await tf.destroy();
    expect(again.execs.map((e) => e.stdout).join("")).toMatch(/already STOPPED[\s\S]*already disabled/);
    expect(h.sim.requests.slice(before).filter((r) => !r.operation.endsWith("list") && r.operation !== "auth")).toEqual([]);

    // 6. Re-create from empty state, on "another machine" (the stack directory copied elsewhere, as a CI
    //    runner receives it): the stopped entitlements are reused, never duplicated.
    const moved = path.join(h.tmp, "elsewhere", "acme");
    fs.cpSync(synth(initial), moved, { recursive: true });
    tf = new TerraformEmulator(moved, env);
    await tf.apply();
    expect(api().configs).toHaveLength(1);
    expect(api().configs[0].status).toBe("ACTIVE");
    expect(api().entitlements).toHaveLength(2);
    expect(entitlementsOf("acme/Primary")).toEqual([expect.objectContaining({ serialNumber: primarySerial, status: "ACTIVE" })]);
    expect(entitlementsOf("acme/Secondary")).toEqual([expect.objectContaining({ serialNumber: secondarySerial, status: "ACTIVE" })]);
  });
});

function reuseState(from: TerraformEmulator, to: TerraformEmulator): TerraformEmulator {
  for (const [k, v] of from.state) to.state.set(k, v);
  return to;
}
