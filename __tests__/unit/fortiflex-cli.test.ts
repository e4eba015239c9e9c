import * as path from "node:path";
import type { CliIo } from "../../cli/cli-context";
import { yearWindows } from "../../cli/points-report";
import { pacificDay } from "../../simulator/fortiflex-world";
import { runCliCaptured } from "../helpers/cli-run";
import { joinedRegExp } from "../helpers/joined-regexp";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";

/** Runs the CLI against a harness's simulator; returns its exit status and what it printed. */
async function runAgainst(h: Harness, argv: string[], extra: Partial<CliIo> = {}) {
  return runCliCaptured(argv, { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cli-cache") }, extra);
}

/** The operator CLI against the simulator. */
describe("fortiflex CLI", () => {
  let h: Harness;
  const DAY = 86_400_000;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    h = await startHarness();
    const [a, b] = h.sim.seed.memberAccountIds;
    const c1 = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: a,
      name: "contoso edge",
      productTypeId: 1,
      parameters: FGT_2CPU_UTP,
    });
    const c2 = await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: b,
      name: "fabrikam edge",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "4" },
        { id: 2, value: "ENT" },
      ],
    });
    for (const c of [c1, c1, c2]) await h.client.createVmEntitlements({ configId: c.id, skipPending: true, description: "cli test" });
    // Two and a half years of history: the entitlements have been active since long before today.
    for (const e of h.sim.world.state.entitlements) e.activity[0].from = Date.now() - 900 * DAY;
    // The third one was stopped for a while in between.
    const third = h.sim.world.state.entitlements[2];
    third.activity = [{ from: Date.now() - 900 * DAY, to: Date.now() - 500 * DAY }, { from: Date.now() - 100 * DAY }];
  });
  afterAll(async () => h.close());

  const cli = (argv: string[], extra: Partial<CliIo> = {}) => runAgainst(h, argv, { today: () => today, ...extra });

  test("programs and configs, as table, CSV and JSON", async () => {
    const programs = await cli(["programs"]);
    expect(programs).toEqual({ code: 0, err: "", out: expect.stringContaining(h.sim.seed.programSerialNumber) });
    const csv = await cli(["configs", "--program", h.sim.seed.programSerialNumber, "--format", "csv"]);
    expect(csv.out.split("\n")[0]).toBe("id,name,status,accountId,productType,parameters");
    expect(csv.out).toMatch(/contoso edge,ACTIVE,1525960,FGT_VM_Bundle,CPU=2 SERVICEPACK=UTP VDOM=0/);
    const json = JSON.parse((await cli(["configs", "-p", h.sim.seed.programSerialNumber, "-a", "1525961", "-f", "json"])).out);
    expect(json.map((c: { name: string }) => c.name)).toEqual(["fabrikam edge"]);
  });

  test("entitlements listing with filters; tokens hidden unless asked", async () => {
    const listed = await cli(["entitlements", "--account", "1525960", "--program", h.sim.seed.programSerialNumber, "--status", "ACTIVE", "-f", "json"]);
    const rows = JSON.parse(listed.out);
    expect(rows).toHaveLength(2);
    expect(rows[0].token).toBe("(hidden)");
    const shown = JSON.parse((await cli(["entitlements", "-c", String(rows[0].configId), "--show-tokens", "-f", "json"])).out);
    expect(shown[0].token).toMatch(/^[A-F0-9]{20}$/);
    expect((await cli(["entitlements"])).err).toBe(
      "fortiflex: entitlements: no program: give -p, --program <serial> or set FORTIFLEX_PROGRAM_SERIAL_NUMBER (or -c, --config <id>)\n",
    );
  });

  test("stop / reactivate / token: confirmation, --yes, --dry-run", async () => {
    const serial = h.sim.world.state.entitlements[0].serialNumber;
    const dry = await cli(["entitlements", "stop", serial, "--dry-run"]);
    expect(dry.out).toBe(`Dry run: would stop 1 entitlement(s): ${serial}\n`);
    expect(h.sim.world.state.entitlements[0].status).toBe("ACTIVE");

    const noTty = await cli(["entitlements", "stop", serial]);
    expect(noTty).toEqual({ code: 2, out: "", err: `fortiflex: entitlements stop: no terminal to confirm on; add --yes to stop ${serial}\n` });
    const declined = await cli(["entitlements", "stop", serial], { confirm: async () => false });
    expect(declined.out).toBe("Nothing changed.\n");
    expect(h.sim.world.state.entitlements[0].status).toBe("ACTIVE");

    let asked = "";
    const stopped = await cli(["entitlements", "stop", serial], { confirm: async (q) => ((asked = q), true) });
    expect(asked).toBe(`Stop 1 entitlement(s): ${serial}? [y/N] `);
    expect(stopped.code).toBe(0);
    expect(h.sim.world.state.entitlements[0].status).toBe("STOPPED");
    expect((await cli(["entitlements", "reactivate", serial, "--yes"])).out).toMatch(new RegExp(`${serial}.*ACTIVE`));
    const before = h.sim.world.state.entitlements[0].token;
    const token = await cli(["entitlements", "token", serial, "-y", "-f", "json"]);
    expect(JSON.parse(token.out)[0].tokenStatus).toBe("NOTUSED");
    expect(token.out).not.toContain(h.sim.world.state.entitlements[0].token);
    expect(h.sim.world.state.entitlements[0].token).not.toBe(before);
    // The API's answer, in one line, with a failure status.
    const again = await cli(["entitlements", "reactivate", serial, "--yes"]);
    expect(again).toEqual({
      code: 1,
      out: "",
      err: expect.stringMatching(
        joinedRegExp(
          /^fortiflex: FortiFlex entitlements\/reactivate failed: HTTP 400, error code \d+: /,
          /Entitlement \w+ is ACTIVE; only STOPPED entitlements can be reactivated\.\n$/,
        ),
      ),
    });
  });

  test("a multi-year points report matches the simulator's accrual, grouped three ways", async () => {
    const program = h.sim.world.state.programs[0];
    const from = program.startDate.slice(0, 10);
    const expected = (serials?: string[]) => {
      const user = h.sim.world.user(h.sim.seed.username)!;
      return h.sim.world.state.entitlements
        .filter((e) => !serials || serials.includes(e.serialNumber))
        .reduce((sum, e) => sum + h.sim.world.points(user, { serialNumber: e.serialNumber, startDate: from, endDate: today })[0].points, 0);
    };
    expect(yearWindows(from, today).length).toBeGreaterThanOrEqual(2);
    const byConfig = JSON.parse((await cli(["points", "--program", program.serialNumber, "-f", "json"])).out);
    expect(byConfig.from).toBe(from);
    expect(byConfig.to).toBe(today);
    expect(byConfig.total).toBeCloseTo(expected(), 2);
    expect(byConfig.total).toBeGreaterThan(1000);
    expect(byConfig.rows.map((r: { label: string }) => r.label).sort()).toEqual(["contoso edge", "fabrikam edge"]);
    const byAccount = JSON.parse((await cli(["points", "-p", program.serialNumber, "--by", "account", "-f", "json"])).out);
    expect(byAccount.rows.map((r: { key: string }) => r.key).sort()).toEqual(["1525960", "1525961"]);
    expect(byAccount.total).toBeCloseTo(byConfig.total, 2);
    const bySerial = JSON.parse((await cli(["points", "-p", program.serialNumber, "--by", "serial", "-f", "json"])).out);
    expect(bySerial.rows).toHaveLength(3);
    // The entitlement stopped for 400 days is charged for its active days only.
    const third = bySerial.rows.find((r: { key: string }) => r.key === h.sim.world.state.entitlements[2].serialNumber);
    expect(third.points).toBeCloseTo(expected([h.sim.world.state.entitlements[2].serialNumber]), 2);
    // Filters and a table with a TOTAL row.
    const table = await cli(["points", "-p", program.serialNumber, "--account", "1525961", "--from", "2026-01-01"]);
    expect(table.out).toMatch(new RegExp(`Points of ${program.serialNumber} from 2026-01-01 to ${today}, by config:`));
    expect(table.out).toMatch(/fabrikam edge/);
    expect(table.out).not.toMatch(/contoso edge/);
    expect(table.out).toMatch(/TOTAL/);
    const csv = await cli(["points", "-p", program.serialNumber, "-f", "csv", "--by", "account"]);
    expect(csv.out.split("\n")[0]).toBe("account,name,accountId,entitlements,points");
    expect(csv.out.trim().split("\n").pop()).toBe(`TOTAL,,,3,${byConfig.total.toFixed(2)}`);
  });

  test("points windows never overlap and cover the range", () => {
    const windows = yearWindows("2023-02-10", "2026-11-23");
    expect(windows[0][0]).toBe("2023-02-10");
    expect(windows[windows.length - 1][1]).toBe("2026-11-23");
    for (let i = 1; i < windows.length; i++) {
      expect(pacificDay(Date.parse(`${windows[i][0]}T12:00:00Z`)) - pacificDay(Date.parse(`${windows[i - 1][1]}T12:00:00Z`))).toBe(1);
    }
  });

  test("calc gives the daily points of a product", async () => {
    const res = JSON.parse(
      (
        await cli([
          "calc",
          "-p",
          h.sim.seed.programSerialNumber,
          "--product",
          "FGT_VM_Bundle",
          "--param",
          "1=4",
          "--param",
          "2=UTP",
          "--count",
          "2",
          "-f",
          "json",
        ])
      ).out,
    );
    expect(res).toEqual([{ product: "FGT_VM_Bundle", count: 2, pointsPerDay: 19.6, per30Days: 588, latest: "", latestEffectiveDate: "" }]);
    expect((await cli(["calc", "-p", h.sim.seed.programSerialNumber, "--product", "1", "--param", "1=97", "--param", "2=UTP"])).err).toBe(
      "fortiflex: calc: Parameter id 1 (CPU count) value 97 is out of range (allowed: 1-96)\n",
    );
    expect((await cli(["calc", "-p", "x", "--product", "nope", "--param", "1=1"])).err).toMatch(
      /^fortiflex: calc: unknown product "nope" \(allowed: 1 FGT_VM_Bundle/,
    );
  });

  test("bad arguments: one clear line, usage hint, exit status 2", async () => {
    expect(await cli(["calc", "-p", "X", "--param", "1=4"])).toEqual({
      code: 2,
      out: "",
      err: "error: required option '--product <type>' not specified\n(fortiflex <command> --help shows the usage)\n",
    });
    expect((await cli(["points", "-p", "X", "--from", "2026-13-01"])).err).toMatch(
      /option '--from <date>' argument '2026-13-01' is invalid\. must be a date YYYY-MM-DD/,
    );
    expect((await cli(["entitlements", "pause", "FGVMELTM25008315"])).err).toBe(
      'fortiflex: entitlements: unknown action "pause" (allowed: stop, reactivate, token; omit it to list)\n',
    );
    expect((await cli(["nonsense"])).code).toBe(2);
    expect((await cli(["--help"])).code).toBe(0);
  });

  test("--verbose shows requests and timings, never secrets; bad credentials are one line", async () => {
    const v = await cli(["--verbose", "programs", "-f", "json"]);
    expect(v.err).toMatch(/^ {2}programs\/list attempt 1: ok HTTP 200 in \d+ ms$/m);
    expect(v.err).not.toContain(h.sim.seed.password);
    const bad = await cli(["programs"], {
      env: { ...h.sim.env({ username: h.sim.seed.username, password: "wrong" }), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "bad-cache") },
    });
    expect(bad).toEqual({
      code: 1,
      out: "",
      err: expect.stringMatching(
        joinedRegExp(
          /^fortiflex: FortiCloud rejected the API user credentials \(HTTP 401: Invalid credentials given\.\); /,
          /check FORTIFLEX_ACCESS_USERNAME \/ FORTIFLEX_ACCESS_PASSWORD\n$/,
        ),
      ),
    });
    const none = await cli(["programs"], { env: {} });
    expect(none.err).toBe(
      "fortiflex: FortiFlex credentials missing: set FORTIFLEX_ACCESS_USERNAME and FORTIFLEX_ACCESS_PASSWORD (an API user from FortiCloud IAM)\n",
    );
  });
});

describe("fortiflex adopt", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());

  const cli = (argv: string[]) => runAgainst(h, argv);

  test("gives an existing configuration and entitlement a key; refuses another account, another owner, another product", async () => {
    const program = h.sim.seed.programSerialNumber;
    const [a, b] = h.sim.seed.memberAccountIds;
    const config = await h.client.createConfig({
      programSerialNumber: program,
      accountId: a,
      name: "made by hand",
      productTypeId: 1,
      parameters: FGT_2CPU_UTP,
    });
    const [e] = await h.client.createVmEntitlements({ configId: config.id, description: "running FortiGate" });
    const counts = () => [h.sim.world.state.configs.length, h.sim.world.state.entitlements.length];
    const before = counts();

    expect(
      await cli([
        "adopt",
        "-p",
        program,
        "-a",
        String(a),
        "-k",
        "contoso/FortiGate/FortiFlexConfig",
        "--config-id",
        String(config.id),
        "--product",
        "FGT_VM_Bundle",
      ]),
    ).toEqual({
      code: 0,
      out:
        `configuration contoso/FortiGate/FortiFlexConfig: adopted configuration ${config.id} ("made by hand", ACTIVE); ` +
        "the adoption created and disabled nothing\n" +
        "The key must be exactly the construct's (see the plan or cdk.tf.json): " +
        'the next apply of stack "contoso" stops an object whose key it does not declare.\n',
      err: "",
    });
    expect(h.sim.world.state.configs.find((c) => c.id === config.id)!.name).toBe("made by hand [ffx:contoso/FortiGate/FortiFlexConfig]");
    expect(
      (await cli(["adopt", "-p", program, "-a", String(a), "-k", "contoso/FortiGate/Entitlement", "--serial", e.serialNumber, "--product", "1"])).out,
    ).toMatch(/adopted FGVM\w+ \(PENDING, token NOTUSED\); the adoption created and stopped nothing/);
    expect(counts()).toEqual(before);
    expect(h.sim.world.state.entitlements.find((x) => x.serialNumber === e.serialNumber)!.status).toBe("PENDING");

    // Again: a no-op. Another key for the same object: refused, as are other accounts and other products.
    expect((await cli(["adopt", "-p", program, "-a", String(a), "-k", "contoso/FortiGate/FortiFlexConfig", "--config-id", String(config.id)])).out).toMatch(
      /already adopted/,
    );
    expect(await cli(["adopt", "-p", program, "-a", String(a), "-k", "other/Config", "--config-id", String(config.id)])).toEqual(
      expect.objectContaining({ code: 1, err: expect.stringContaining(`configuration ${config.id} already belongs to contoso/FortiGate/FortiFlexConfig`) }),
    );
    expect((await cli(["adopt", "-p", program, "-a", String(b), "-k", "fabrikam/Config", "--config-id", String(config.id)])).err).toContain(
      `configuration ${config.id} is in account ${a}, not in account ${b}`,
    );
    const sase = await h.client.createConfig({
      programSerialNumber: program,
      accountId: a,
      name: "sase",
      productTypeId: 205,
      parameters: [
        { id: 48, value: "50" },
        { id: 49, value: "FSASESTD" },
      ],
    });
    expect((await cli(["adopt", "-p", program, "-a", String(a), "-k", "contoso/Sase", "--config-id", String(sase.id), "--product", "1"])).err).toContain(
      `configuration ${sase.id} is a FORTISASE, not a FGT_VM_Bundle`,
    );
    expect((await cli(["adopt", "-p", program, "-a", String(b), "-k", "fabrikam/Fw", "--serial", e.serialNumber])).err).toContain(
      `entitlement ${e.serialNumber} not found in account ${b}`,
    );
    expect((await cli(["adopt", "-p", program, "-k", "x/y"])).code).toBe(2);
  });
});
