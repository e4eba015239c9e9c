import * as path from "node:path";
import { PROGRAM_ENV } from "../../cli/program-option";
import { runCliCaptured } from "../helpers/cli-run";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";

/** The CLI against the harness's simulator (127.0.0.1), with extra environment variables. */
async function runAgainst(h: Harness, argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCliCaptured(argv, { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cli-cache"), ...env });
}

describe("program-wide commands against the simulator", () => {
  let h: Harness;
  const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  beforeAll(async () => {
    h = await startHarness();
    const [a, b] = h.sim.seed.memberAccountIds;
    const config = (accountId: number, name: string) =>
      h.client.createConfig({ programSerialNumber: h.sim.seed.programSerialNumber, accountId, name, productTypeId: 1, parameters: FGT_2CPU_UTP });
    // Three configurations in two accounts, one entitlement each and a second in the first.
    const configs = [await config(a, "contoso edge"), await config(a, "contoso branch"), await config(b, "fabrikam edge")];
    for (const c of [...configs, configs[0]]) await h.client.createVmEntitlements({ configId: c.id, skipPending: true, description: "listing test" });
    // A stopped one: FortiFlex writes its end as a Pacific time with an offset and seven fraction digits.
    await h.client.stopEntitlement(h.sim.world.state.entitlements[1].serialNumber);
  });
  afterAll(async () => h.close());

  test("entitlements -p lists the whole program: one request per member account, times in UTC", async () => {
    const listed = await runAgainst(h, ["--verbose", "entitlements", "-p", h.sim.seed.programSerialNumber, "-f", "json"]);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.out) as { serialNumber: string; accountId: number; startDate: string; endDate: string; token: string }[];
    expect(rows.map((r) => r.serialNumber).sort()).toEqual(h.sim.world.state.entitlements.map((e) => e.serialNumber).sort());
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.accountId)).toEqual([...h.sim.seed.memberAccountIds.slice(0, 1).flatMap((a) => [a, a, a]), h.sim.seed.memberAccountIds[1]]);
    // configs/list once, then entitlements/list per account (2), not per configuration (3).
    expect(listed.err.match(/^ {2}configs\/list attempt 1: ok/gm)).toHaveLength(1);
    expect(listed.err.match(/^ {2}entitlements\/list attempt 1: ok/gm)).toHaveLength(2);
    for (const r of rows) {
      expect(r.startDate).toMatch(UTC_SECOND);
      expect(r.endDate).toMatch(UTC_SECOND);
      expect(r.token).toBe("(hidden)");
    }
    const stopped = h.sim.world.state.entitlements[1];
    expect(stopped.endDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}-08:00$/);
    expect(rows.find((r) => r.serialNumber === stopped.serialNumber)!.endDate).toBe(
      new Date(Date.parse(`${stopped.endDate.slice(0, 19)}-08:00`)).toISOString().replace(/\.\d{3}Z$/, "Z"),
    );
    // Filters apply to each request; the program may come from the environment.
    const csv = await runAgainst(h, ["entitlements", "--status", "STOPPED", "-f", "csv"], { [PROGRAM_ENV]: h.sim.seed.programSerialNumber });
    expect(csv.out.trim().split("\n")).toEqual([
      "serialNumber,status,tokenStatus,configId,accountId,description,endDate,token",
      expect.stringMatching(new RegExp(`^${stopped.serialNumber},STOPPED,`)),
    ]);
  });

  test("programs: times in UTC in the table too", async () => {
    const table = await runAgainst(h, ["programs"]);
    expect(table.code).toBe(0);
    const program = h.sim.world.state.programs.find((p) => p.serialNumber === h.sim.seed.programSerialNumber)!;
    expect(program.endDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
    expect(table.out).toMatch(
      new RegExp(`│ ${program.serialNumber} +│ \\d+ +│ \\d{4}-\\d{2}-\\d{2}T0[78]:00:00Z +│ ${program.endDate.slice(0, 10)}T0[78]:00:00Z +│`),
    );
  });

  test(`${PROGRAM_ENV} stands in for -p; -p overrides it`, async () => {
    const names = (r: { out: string }) => (JSON.parse(r.out) as { name: string }[]).map((c) => c.name);
    const fromEnv = await runAgainst(h, ["configs", "-f", "json"], { [PROGRAM_ENV]: h.sim.seed.programSerialNumber });
    expect(fromEnv.code).toBe(0);
    expect(names(fromEnv)).toEqual(["contoso edge", "contoso branch", "fabrikam edge"]);
    // The other tenant's program is not this API user's: had the variable been used, the simulator would refuse it.
    const overridden = await runAgainst(h, ["configs", "-p", h.sim.seed.programSerialNumber, "-f", "json"], {
      [PROGRAM_ENV]: h.sim.seed.otherTenant.programSerialNumber,
    });
    expect(overridden.code).toBe(0);
    expect(names(overridden)).toEqual(["contoso edge", "contoso branch", "fabrikam edge"]);
    const wrong = await runAgainst(h, ["configs", "-f", "json"], { [PROGRAM_ENV]: h.sim.seed.otherTenant.programSerialNumber });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(h.sim.seed.otherTenant.programSerialNumber);
  });
});
