import { FortiFlexApiError } from "../../custom-provider/errors";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";

/** Every client call against the simulator, and the domain rules behind them. */
describe("FortiFlexClient against the simulator", () => {
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(async () => h.close());

  const newConfig = (name = "cfg", accountId?: number) =>
    h.client.createConfig({ programSerialNumber: h.sim.seed.programSerialNumber, accountId, name, productTypeId: 1, parameters: FGT_2CPU_UTP });

  test("programs/list returns the tenant's program only", async () => {
    const programs = await h.client.listPrograms();
    expect(programs.map((p) => p.serialNumber)).toEqual([h.sim.seed.programSerialNumber]);
    expect(programs[0]).toEqual(expect.objectContaining({ accountId: h.sim.seed.accountId, hasSupportCoverage: true }));
  });

  test("onAnswer gets each successful answer as received, with its request; refusals are not answers", async () => {
    const answers: [string, object, object][] = [];
    const client = h.newClient({ onAnswer: (operation, request, envelope) => answers.push([operation, request, envelope]) });
    const programs = await client.listPrograms();
    await expect(client.listConfigs({ programSerialNumber: "ELAVMS0000009999" })).rejects.toThrow(FortiFlexApiError);
    expect(answers).toEqual([["programs/list", {}, { programs, error: null, message: "Request processed successfully.", status: 0 }]]);
  });

  test("configs: create, list, update, disable, enable", async () => {
    const created = await newConfig("XPerts25-FGT-VM", h.sim.seed.memberAccountIds[0]);
    expect(created).toEqual(
      expect.objectContaining({
        name: "XPerts25-FGT-VM",
        status: "ACTIVE",
        accountId: h.sim.seed.memberAccountIds[0],
        productType: { id: 1, name: "FGT_VM_Bundle" },
      }),
    );
    // Values come back as strings, with names, defaults filled in and empty lists as "NONE".
    expect(created.parameters).toEqual(
      expect.arrayContaining([
        { id: 1, name: "CPU", value: "2" },
        { id: 2, name: "SERVICEPACK", value: "UTP" },
        { id: 10, name: "VDOM", value: "0" },
        { id: 44, name: "CLOUDSERVICES", value: "NONE" },
      ]),
    );
    const listed = await h.client.listConfigs({ programSerialNumber: h.sim.seed.programSerialNumber, accountId: h.sim.seed.memberAccountIds[0] });
    expect(listed.map((c) => c.id)).toEqual([created.id]);
    expect(await h.client.listConfigs({ programSerialNumber: h.sim.seed.programSerialNumber, accountId: h.sim.seed.memberAccountIds[1] })).toEqual([]);

    const updated = await h.client.updateConfig({
      id: String(created.id),
      name: "renamed",
      parameters: [
        { id: 1, value: 4 },
        { id: 2, value: "ATP" },
        { id: 43, value: "FGTAVDB" },
        { id: 43, value: "FGTDLDB" },
      ],
    });
    expect(updated.name).toBe("renamed");
    expect(updated.parameters.filter((p) => p.id === 43).map((p) => p.value)).toEqual(["FGTAVDB", "FGTDLDB"]);
    expect(updated.parameters.find((p) => p.id === 1)?.value).toBe("4");

    expect((await h.client.disableConfig(created.id)).status).toBe("DISABLED");
    expect((await h.client.enableConfig(String(created.id))).status).toBe("ACTIVE");
  });

  test("invalid parameters fail fast with the parameter named, not its id", async () => {
    const attempt = h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      name: "x",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "97" },
        { id: 2, value: "UTP" },
      ],
    });
    await expect(attempt).rejects.toThrow(FortiFlexApiError);
    await expect(attempt).rejects.toThrow(/configs\/create failed: HTTP 400.*parameter "CPU count" \(id 1\) value 97 is out of range \(allowed: 1-96\)/);
    await expect(
      h.client.createConfig({
        programSerialNumber: h.sim.seed.programSerialNumber,
        name: "x",
        productTypeId: 1,
        parameters: [
          { id: 1, value: "1" },
          { id: 2, value: "UTM" },
        ],
      }),
    ).rejects.toThrow(/"UTM" \(UTM\) is no longer available \(allowed: FC, UTP, ENT, ATP\)/);
    await expect(
      h.client.createConfig({
        programSerialNumber: h.sim.seed.programSerialNumber,
        name: "x",
        productTypeId: 1,
        parameters: [
          { id: 1, value: "1" },
          { id: 2, value: "UTP" },
          { id: 10, value: "11" },
        ],
      }),
    ).rejects.toThrow(/VDOM count.*11 exceeds the maximum of 10 for 1 CPU/);
    await expect(h.client.updateConfig({ id: 999999, name: "x" })).rejects.toThrow(/Configuration 999999 not found/);
    // Validation errors are permanent: one request each, no retry storm.
    expect(h.events.filter((e) => e.outcome === "retry")).toEqual([]);
  });

  test("entitlement lifecycle: PENDING -> ACTIVE (token use) -> STOPPED -> ACTIVE, token regeneration", async () => {
    const config = await newConfig();
    const [e] = await h.client.createVmEntitlements({ configId: String(config.id), description: "fw-1", folderPath: "My Assets/demo" });
    expect(e).toEqual(
      expect.objectContaining({ status: "PENDING", tokenStatus: "NOTUSED", description: "fw-1", configId: config.id, accountId: config.accountId }),
    );
    expect(e.token).toMatch(/^[A-F0-9]{20}$/);
    expect(e.serialNumber).toMatch(/^FGVM/);
    const program = (await h.client.listPrograms())[0];
    expect(e.endDate).toBe(program.endDate);

    await expect(h.client.reactivateEntitlement(e.serialNumber)).rejects.toThrow(/HTTP 400.*PENDING and could not be modified/);
    h.sim.world.useToken(e.token);
    const [active] = await h.client.listEntitlements({ configId: config.id, serialNumber: e.serialNumber });
    expect(active).toEqual(expect.objectContaining({ status: "ACTIVE", tokenStatus: "USED" }));

    const stopped = await h.client.stopEntitlement(e.serialNumber);
    expect(stopped.status).toBe("STOPPED");
    expect(stopped.endDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}-08:00$/);
    await expect(h.client.stopEntitlement(e.serialNumber)).rejects.toThrow(/is STOPPED and cannot be stopped/);
    await expect(h.client.updateEntitlement({ serialNumber: e.serialNumber, configId: config.id, endDate: program.endDate.slice(0, 10) })).rejects.toThrow(
      /STOPPED/,
    );

    const reactivated = await h.client.reactivateEntitlement(e.serialNumber);
    expect(reactivated).toEqual(expect.objectContaining({ status: "ACTIVE", endDate: program.endDate }));
    await expect(h.client.reactivateEntitlement(e.serialNumber)).rejects.toMatchObject({ httpStatus: 400, errorCode: expect.any(Number) });

    const regenerated = await h.client.regenerateToken(e.serialNumber);
    expect(regenerated.token).not.toBe(e.token);
    expect(regenerated.tokenStatus).toBe("NOTUSED");
  });

  test("skipPending activates at once; disabled configs take no new entitlements; EXPIRED after the end date", async () => {
    const config = await newConfig();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const [e] = await h.client.createVmEntitlements({ configId: config.id, skipPending: true, endDate: tomorrow });
    expect(e.status).toBe("ACTIVE");
    expect(e.endDate).toBe(`${tomorrow}T00:00:00`);
    await expect(h.client.createVmEntitlements({ configId: config.id, endDate: "2001-01-01" })).rejects.toThrow(/before today/);

    await h.client.disableConfig(config.id);
    await expect(h.client.createVmEntitlements({ configId: config.id })).rejects.toThrow(/is disabled/);

    h.sim.world.state.clockOffsetMs = 3 * 86_400_000;
    const [expired] = await h.client.listEntitlements({ configId: config.id });
    expect(expired.status).toBe("EXPIRED");
  });

  test("entitlements/update moves, describes and re-dates; list filters work", async () => {
    const a = await newConfig("a");
    const b = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      name: "b",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "4" },
        { id: 2, value: "ENT" },
      ],
    });
    const fmg = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      name: "fmg",
      productTypeId: 2,
      parameters: [
        { id: 30, value: "10" },
        { id: 9, value: "2" },
      ],
    });
    const [e] = await h.client.createVmEntitlements({ configId: a.id, description: "one" });
    await h.client.createVmEntitlements({ configId: a.id, description: "two" });
    const endDate = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const moved = await h.client.updateEntitlement({ serialNumber: e.serialNumber, configId: String(b.id), description: "moved", endDate });
    expect(moved).toEqual(expect.objectContaining({ configId: b.id, description: "moved", endDate: `${endDate}T00:00:00` }));
    await expect(h.client.updateEntitlement({ serialNumber: e.serialNumber, configId: fmg.id })).rejects.toThrow(/same product type/);
    expect((await h.client.updateEntitlement({ serialNumber: e.serialNumber, configId: b.id, description: "" })).description).toBeNull();

    const all = await h.client.listEntitlements({ accountId: h.sim.seed.accountId, programSerialNumber: h.sim.seed.programSerialNumber });
    expect(all).toHaveLength(2);
    expect(await h.client.listEntitlements({ configId: a.id, description: "two" })).toHaveLength(1);
    expect(await h.client.listEntitlements({ configId: a.id, status: "ACTIVE" })).toHaveLength(0);
    await expect(h.client.listEntitlements({})).rejects.toThrow(/configId, or accountId and programSerialNumber/);
  });

  test("points accrue per active Pacific day, fractional; calc gives the daily rate", async () => {
    const config = await newConfig();
    const [e] = await h.client.createVmEntitlements({ configId: config.id, skipPending: true });
    const [idle] = await h.client.createVmEntitlements({ configId: config.id });
    const rate = (await h.client.calc({ programSerialNumber: h.sim.seed.programSerialNumber, productTypeId: 1, count: 1, parameters: FGT_2CPU_UTP })).current;
    expect(rate).toBeCloseTo(4.9, 5);
    expect(
      (await h.client.calc({ programSerialNumber: h.sim.seed.programSerialNumber, productTypeId: 1, count: "3", parameters: FGT_2CPU_UTP })).current,
    ).toBeCloseTo(14.7, 5);

    // Ten days later, the entitlement was active on 11 Pacific days (creation day included).
    h.sim.world.state.clockOffsetMs = 10 * 86_400_000;
    const today = new Date(h.sim.world.now()).toISOString().slice(0, 10);
    const rows = await h.client.points({ configId: config.id, startDate: "1900-01-01", endDate: today });
    const days = h.sim.world.activeDays(h.sim.world.state.entitlements[0], 0, 1e6);
    expect(days).toBeGreaterThanOrEqual(10);
    expect(rows.find((r) => r.serialNumber === e.serialNumber)?.points).toBeCloseTo(days * rate, 5);
    expect(rows.find((r) => r.serialNumber === idle.serialNumber)?.points).toBe(0);
    expect(await h.client.points({ serialNumber: e.serialNumber, startDate: "1900-01-01", endDate: "1900-01-02" })).toEqual([
      { accountId: config.accountId, serialNumber: e.serialNumber, points: 0 },
    ]);
  });

  test("groups/list and groups/nexttoken report folders and unused tokens", async () => {
    const config = await newConfig();
    const [a] = await h.client.createVmEntitlements({ configId: config.id, folderPath: "My Assets/site-a" });
    await h.client.createVmEntitlements({ configId: config.id, folderPath: "My Assets/site-a" });
    h.sim.world.useToken(a.token);
    const groups = await h.client.listGroups(h.sim.seed.accountId);
    expect(groups).toEqual([{ accountId: h.sim.seed.accountId, folderPath: "My Assets/site-a", availableTokens: 1, usedTokens: 1 }]);
    expect((await h.client.listGroups())[0]).not.toHaveProperty("accountId");
    const next = await h.client.nextToken({ configId: config.id, status: ["PENDING"] });
    expect(next?.tokenStatus).toBe("NOTUSED");
    await expect(h.client.nextToken({ configId: config.id, status: ["STOPPED"] })).rejects.toThrow(/No available token/);
  });
});

describe("tenancy and permissions", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  test("a tenant never sees or touches another tenant's objects", async () => {
    const { otherTenant } = h.sim.seed;
    const config = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      name: "mine",
      productTypeId: 1,
      parameters: FGT_2CPU_UTP,
    });
    const [e] = await h.client.createVmEntitlements({ configId: config.id, skipPending: true });
    const other = h.newClient({ credentials: otherTenant });
    expect((await other.listPrograms()).map((p) => p.serialNumber)).toEqual([otherTenant.programSerialNumber]);
    await expect(other.listConfigs({ programSerialNumber: h.sim.seed.programSerialNumber })).rejects.toThrow(/Program .* not found/);
    await expect(other.listEntitlements({ configId: config.id })).rejects.toThrow(/not found/);
    await expect(other.stopEntitlement(e.serialNumber)).rejects.toThrow(/not found/);
    await expect(other.updateConfig({ id: config.id, name: "stolen" })).rejects.toThrow(/not found/);
    await expect(other.regenerateToken(e.serialNumber)).rejects.toThrow(/not found/);
    await expect(
      other.createConfig({
        programSerialNumber: otherTenant.programSerialNumber,
        accountId: h.sim.seed.accountId,
        name: "x",
        productTypeId: 1,
        parameters: FGT_2CPU_UTP,
      }),
    ).rejects.toThrow(/Account 1525959 not found/);
    expect((await h.client.listEntitlements({ configId: config.id }))[0].status).toBe("ACTIVE");
  });

  test("a read-only API user can read but not write (403, no retry)", async () => {
    const ro = h.newClient({ credentials: h.sim.seed.readOnly });
    expect(await ro.listPrograms()).toHaveLength(1);
    await expect(
      ro.createConfig({ programSerialNumber: h.sim.seed.programSerialNumber, name: "x", productTypeId: 1, parameters: FGT_2CPU_UTP }),
    ).rejects.toMatchObject({
      httpStatus: 403,
      message: expect.stringMatching(/read-only/),
    });
  });

  test("bad credentials are rejected by the token endpoint with a clear error", async () => {
    const bad = h.newClient({ credentials: { username: h.sim.seed.username, password: "wrong" } });
    await expect(bad.listPrograms()).rejects.toThrow(/FortiCloud rejected the API user credentials \(HTTP 401: Invalid credentials given.\)/);
    expect(bad.tokens.authCalls).toBe(1);
  });
});
