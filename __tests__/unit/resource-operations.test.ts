import {
  applyConfigSettings,
  configDriftOutsideTerraform,
  disableConfig,
  disableDuplicateConfigs,
  ensureConfig,
  findConfig,
} from "../../custom-provider/config-operations";
import {
  applyEntitlementSettings,
  ensureEntitlement,
  entitlementDrift,
  findEntitlement,
  regenerateToken,
  stopDuplicateEntitlements,
  stopEntitlement,
} from "../../custom-provider/entitlement-operations";
import { keyOf, settingsHashOf, tagWithKey, untagged } from "../../contract/object-key";
import type { ConfigIdentity, ConfigSettings, EntitlementIdentity, EntitlementSettings } from "../../contract/handler-contract";
import { startHarness, type Harness } from "../helpers/simulator-harness";

/** Each handler operation against the simulator, with the key look-up and reuse rules. */
describe("handler operations", () => {
  let h: Harness;
  let lines: string[];
  const log = (l: string) => lines.push(l);
  let configId: ConfigIdentity;
  let entId: EntitlementIdentity;
  const configSettings: ConfigSettings = { name: "acme", parameters: "1=2,2=UTP" };
  const entSettings: EntitlementSettings = {
    config_key: "acme/Config",
    description: "edge",
    end_date: "",
    folder_path: "",
    status: "ACTIVE",
    skip_pending: "false",
  };

  beforeEach(async () => {
    h = await startHarness();
    lines = [];
    const common = { program_serial_number: h.sim.seed.programSerialNumber, account_id: "1525961", api_url: h.sim.apiUrl, auth_url: h.sim.authUrl };
    configId = { kind: "config", key: "acme/Config", product_type_id: "1", ...common };
    entId = { kind: "entitlement", key: "acme/Primary", ...common };
  });
  afterEach(async () => h.close());

  test("object keys round-trip through names and descriptions", () => {
    expect(tagWithKey("Edge FW", "acme/edge", "0123abcd")).toBe("Edge FW [ffx:acme/edge@0123abcd]");
    expect(tagWithKey("", "acme/edge")).toBe("[ffx:acme/edge]");
    expect(keyOf("Edge FW [ffx:acme/edge@0123abcd]")).toBe("acme/edge");
    expect(settingsHashOf("Edge FW [ffx:acme/edge@0123abcd]")).toBe("0123abcd");
    expect(untagged(tagWithKey(tagWithKey("x", "a", "00000000"), "b"))).toBe("x");
    expect(keyOf("no marker")).toBeUndefined();
    expect(keyOf(null)).toBeUndefined();
  });

  test("ensureConfig creates once, then finds by key and converges", async () => {
    const created = await ensureConfig(h.client, configId, configSettings, log);
    const again = await ensureConfig(h.client, configId, configSettings, log);
    expect(again.id).toBe(created.id);
    expect(h.sim.world.state.configs).toHaveLength(1);
    expect(lines).toEqual([
      `configuration acme/Config: created id ${created.id}`,
      `configuration acme/Config (id ${created.id}): up to date`,
      `configuration acme/Config (id ${created.id}): up to date`,
    ]);

    const updated = await applyConfigSettings(h.client, configId, { name: "acme", parameters: "1=4,2=ENT,43=FGTAVDB,43=FGTDLDB" }, log);
    expect(updated.id).toBe(created.id);
    expect(updated.parameters.filter((p) => p.id === 43).map((p) => p.value)).toEqual(["FGTAVDB", "FGTDLDB"]);

    await disableConfig(h.client, configId, log);
    await disableConfig(h.client, configId, log);
    expect(lines.slice(-2)).toEqual([
      `configuration acme/Config (id ${created.id}): disabled`,
      `configuration acme/Config (id ${created.id}): already disabled`,
    ]);
    // Re-created stacks adopt and re-enable the disabled configuration.
    expect((await ensureConfig(h.client, configId, configSettings, log)).status).toBe("ACTIVE");
    expect(h.sim.world.state.configs).toHaveLength(1);
  });

  test("an empty account id means the API user's own account only, for every operation", async () => {
    // The same key in a member account (1525961) and in the MSSP's own account.
    const member = await ensureConfig(h.client, configId, configSettings, log);
    const ownId: ConfigIdentity = { ...configId, account_id: "" };
    expect(await findConfig(h.client, ownId)).toBeUndefined();
    await disableConfig(h.client, ownId, log);
    expect(lines.at(-1)).toBe("configuration acme/Config: not found, nothing to disable");
    expect(h.sim.world.state.configs.find((c) => c.id === member.id)?.status).toBe("ACTIVE");
    const own = await ensureConfig(h.client, ownId, configSettings, log);
    expect(own.accountId).toBe(h.sim.seed.accountId);
    expect(own.id).not.toBe(member.id);
    await disableConfig(h.client, ownId, log);
    expect(h.sim.world.state.configs.map((c) => [c.accountId, c.status]).sort()).toEqual(
      [
        [h.sim.seed.accountId, "DISABLED"],
        [1525961, "ACTIVE"],
      ].sort(),
    );
    // Entitlements likewise: one in the member account is invisible to an own-account identity.
    await ensureEntitlement(h.client, entId, entSettings, log);
    await stopEntitlement(h.client, { ...entId, account_id: "" }, log);
    expect(lines.at(-1)).toBe("entitlement acme/Primary: not found, nothing to stop");
    expect(h.sim.world.state.entitlements.map((e) => e.status)).toEqual(["PENDING"]);
  });

  test("configuration drift: changes outside Terraform count, pending setting changes do not", async () => {
    const config = await ensureConfig(h.client, configId, configSettings, log);
    expect(configDriftOutsideTerraform(configId, config, configSettings)).toEqual([]);
    // The user asks for 4 CPUs: a pending change, not drift.
    expect(configDriftOutsideTerraform(configId, config, { ...configSettings, parameters: "1=4,2=UTP" })).toEqual([]);
    const edited = await h.client.updateConfig({
      id: config.id,
      name: config.name,
      parameters: [
        { id: 1, value: "8" },
        { id: 2, value: "UTP" },
      ],
    });
    expect(configDriftOutsideTerraform(configId, edited, configSettings)).toEqual([expect.stringMatching(/^parameters .*1=8.* \(want .*1=2/)]);
    const disabled = await h.client.disableConfig(config.id);
    expect(configDriftOutsideTerraform(configId, disabled, configSettings)).toContain("status DISABLED (want ACTIVE)");
  });

  test("ensureEntitlement never creates a second entitlement for a key", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    const first = await ensureEntitlement(h.client, entId, entSettings, log);
    const second = await ensureEntitlement(h.client, entId, entSettings, log);
    expect(second.serialNumber).toBe(first.serialNumber);
    expect(h.sim.world.state.entitlements).toHaveLength(1);
    expect(lines).toContain(`entitlement acme/Primary: found ${first.serialNumber} (PENDING), reusing it`);
  });

  test("duplicates made by a race are settled on the next step: the one in use wins, else the oldest", async () => {
    const config = await ensureConfig(h.client, configId, configSettings, log);
    // Two runners with separate state each created one (neither saw the other's yet).
    const make = async () => (await h.client.createVmEntitlements({ configId: config.id, count: 1, description: tagWithKey("edge", "acme/Primary") }))[0];
    const older = await make();
    const newer = await make();
    h.sim.world.useToken(newer.token); // a FortiGate already booted with the newer one's token
    lines = [];
    const kept = await ensureEntitlement(h.client, entId, entSettings, log);
    expect(kept.serialNumber).toBe(newer.serialNumber);
    expect(lines).toContain(`entitlement acme/Primary: stopped duplicate ${older.serialNumber} (kept ${newer.serialNumber})`);
    expect(h.sim.world.state.entitlements.map((e) => [e.serialNumber, e.status])).toEqual([
      [older.serialNumber, "STOPPED"],
      [newer.serialNumber, "ACTIVE"],
    ]);
    // The used one still wins after someone stopped it: its FortiGate is licensed by it.
    await h.client.stopEntitlement(newer.serialNumber);
    const a = await make();
    expect((await stopDuplicateEntitlements(h.client, entId, log)).all[0].serialNumber).toBe(newer.serialNumber);
    expect(h.sim.world.state.entitlements.find((e) => e.serialNumber === a.serialNumber)?.status).toBe("STOPPED");
    // With no token used, every runner keeps the oldest: the same choice whoever looks.
    const other: EntitlementIdentity = { ...entId, key: "acme/Other" };
    const makeOther = async () => (await h.client.createVmEntitlements({ configId: config.id, count: 1, description: tagWithKey("", "acme/Other") }))[0];
    const first = await makeOther();
    const second = await makeOther();
    const settled = await stopDuplicateEntitlements(h.client, other, log);
    expect(settled.all.map((e) => [e.serialNumber, e.status])).toEqual([
      [first.serialNumber, "PENDING"],
      [second.serialNumber, "STOPPED"],
    ]);
    // Configurations likewise: the active, oldest one is kept and the extras disabled.
    const extra = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: 1525961,
      name: tagWithKey("acme", "acme/Config"),
      productTypeId: 1,
      parameters: [
        { id: 1, value: "2" },
        { id: 2, value: "UTP" },
      ],
    });
    const configs = await disableDuplicateConfigs(h.client, configId, log);
    expect(configs.done).toEqual([`disabled duplicate configuration ${extra.id} (kept ${config.id})`]);
    expect(h.sim.world.state.configs.map((c) => [c.id, c.status])).toEqual([
      [config.id, "ACTIVE"],
      [extra.id, "DISABLED"],
    ]);
  });

  test("a STOPPED entitlement with the key is reused and reactivated", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    const e = await ensureEntitlement(h.client, entId, { ...entSettings, skip_pending: "true" }, log);
    await stopEntitlement(h.client, entId, log);
    expect(h.sim.world.state.entitlements[0].status).toBe("STOPPED");
    const reused = await ensureEntitlement(h.client, entId, entSettings, log);
    expect(reused).toEqual(expect.objectContaining({ serialNumber: e.serialNumber, status: "ACTIVE" }));
    expect(h.sim.world.state.entitlements).toHaveLength(1);
  });

  test("an EXPIRED entitlement is not reused: a new one is created", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const old = await ensureEntitlement(h.client, entId, { ...entSettings, end_date: tomorrow, skip_pending: "true" }, log);
    h.sim.world.state.clockOffsetMs = 3 * 86_400_000;
    const fresh = await ensureEntitlement(h.client, entId, entSettings, log);
    expect(fresh.serialNumber).not.toBe(old.serialNumber);
    expect(h.sim.world.state.entitlements.map((e) => e.status)).toEqual(["EXPIRED", "PENDING"]);
  });

  test("settings: move to another configuration, standby, end date, token regeneration", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    const other = await ensureConfig(h.client, { ...configId, key: "acme/Other" }, { name: "other", parameters: "1=4,2=UTP" }, log);
    const e = await ensureEntitlement(h.client, entId, { ...entSettings, skip_pending: "true" }, log);
    const endDate = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const moved = await applyEntitlementSettings(h.client, entId, { ...entSettings, config_key: "acme/Other", end_date: endDate, status: "STOPPED" }, log);
    expect(moved).toEqual(expect.objectContaining({ serialNumber: e.serialNumber, configId: other.id, status: "STOPPED" }));
    expect(h.sim.world.state.entitlements[0].endDate).not.toBe(`${endDate}T00:00:00`); // stop rewrote it
    // Back to ACTIVE: reactivated first (a STOPPED one cannot be re-dated), then the end date is set.
    const back = await applyEntitlementSettings(h.client, entId, { ...entSettings, config_key: "acme/Other", end_date: endDate }, log);
    expect(back).toEqual(expect.objectContaining({ status: "ACTIVE", endDate: `${endDate}T00:00:00` }));
    const token = back.token;
    await regenerateToken(h.client, entId, "2", log);
    expect((await findEntitlement(h.client, entId))?.token).not.toBe(token);
    expect(lines.join("\n")).not.toContain(token);
  });

  test("entitlement drift: stopped outside Terraform, description edited; pending changes are not drift", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    const config = (await findConfig(h.client, configId))!;
    const e = await ensureEntitlement(h.client, entId, { ...entSettings, skip_pending: "true" }, log);
    expect(entitlementDrift(e, config, entSettings)).toEqual([]);
    expect(entitlementDrift(e, config, { ...entSettings, status: "STOPPED" })).toEqual([]);
    const stopped = await h.client.stopEntitlement(e.serialNumber);
    expect(entitlementDrift(stopped, config, entSettings)).toEqual(["status STOPPED (want ACTIVE)"]);
    const renamed = await h.client.updateEntitlement({
      serialNumber: e.serialNumber,
      configId: config.id,
      description: stopped.description!.replace("edge", "hand edit"),
    });
    expect(entitlementDrift(renamed, config, entSettings)).toEqual([
      "status STOPPED (want ACTIVE)",
      expect.stringMatching(/^description "hand edit \[ffx:acme\/Primary@\w+\]"$/),
    ]);
  });

  test("destroy stops every entitlement with the key and is a no-op the second time", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    await ensureEntitlement(h.client, entId, entSettings, log);
    await stopEntitlement(h.client, entId, log);
    await stopEntitlement(h.client, entId, log);
    await stopEntitlement(h.client, { ...entId, key: "acme/never-created" }, log);
    expect(lines.slice(-3)).toEqual([
      expect.stringMatching(/^entitlement acme\/Primary \(FGVM\w+\): stopped$/),
      expect.stringMatching(/^entitlement acme\/Primary \(FGVM\w+\): already STOPPED$/),
      "entitlement acme/never-created: not found, nothing to stop",
    ]);
  });

  test("the handler only sees objects of its stack's account", async () => {
    await ensureConfig(h.client, configId, configSettings, log);
    await ensureEntitlement(h.client, entId, entSettings, log);
    const otherAccount = { ...entId, account_id: "1525962" };
    expect(await findEntitlement(h.client, otherAccount)).toBeUndefined();
    expect(await findConfig(h.client, { ...configId, account_id: "1525962" })).toBeUndefined();
    // Another tenant's credentials cannot reach the objects at all.
    const other = h.newClient({ credentials: h.sim.seed.otherTenant });
    await expect(findEntitlement(other, entId)).rejects.toThrow(/not found/);
    await expect(stopEntitlement(other, entId, log)).rejects.toThrow(/not found/);
    expect(h.sim.world.state.entitlements[0].status).toBe("PENDING");
  });

  test("a missing configuration gives a clear error instead of creating anything", async () => {
    await expect(ensureEntitlement(h.client, entId, entSettings, log)).rejects.toThrow("configuration acme/Config of entitlement acme/Primary not found");
    await expect(applyConfigSettings(h.client, configId, configSettings, log)).rejects.toThrow(/configuration acme\/Config not found/);
    expect(h.sim.world.state.entitlements).toHaveLength(0);
  });
});
