import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CUSTOMERS_FILE } from "../../stacks/customer-app";
import { FortiFlexSimulator } from "../../simulator/fortiflex-simulator";
import { pacificDay } from "../../simulator/fortiflex-world";
import { runCliCaptured } from "../helpers/cli-run";
import { startHarness } from "../helpers/simulator-harness";

const ROOT = path.join(__dirname, "..", "..");
const DAY = 86_400_000;
/** The day the docs' sample output was printed on, at 11:00 Pacific. */
const DOCS_DAY = Date.parse("2026-06-15T19:00:00Z");

/** `--seed demo`: the same data at every start, with the history the docs show. */
describe("the demo seed", () => {
  const started: FortiFlexSimulator[] = [];
  const start = async (startTime: number) => {
    const sim = await FortiFlexSimulator.start({ seed: "demo", startTime, password: "seed-test-pw" });
    started.push(sim);
    return sim;
  };
  afterAll(async () => Promise.all(started.map((s) => s.stop())));

  test("the customers file's program and accounts each have a configuration with entitlements", async () => {
    const sim = await start(DOCS_DAY);
    const file = parseYaml(fs.readFileSync(path.join(ROOT, DEFAULT_CUSTOMERS_FILE), "utf8")) as {
      defaults: { fortiflex: { programSerialNumber: string } };
      customers: { fortiflex: { accountId: number } }[];
    };
    const accounts = file.customers.map((c) => c.fortiflex.accountId);
    expect(accounts).toEqual([1525960, 1525961, 1525962, 1525963]);
    const { programs, configs, entitlements } = sim.world.state;
    expect(programs.map((p) => p.serialNumber)).toContain(file.defaults.fortiflex.programSerialNumber);
    for (const account of accounts) {
      const own = configs.filter((c) => c.accountId === account && c.programSerialNumber === file.defaults.fortiflex.programSerialNumber);
      expect(own.length).toBeGreaterThan(0);
      expect(entitlements.filter((e) => own.some((c) => c.id === e.configId)).length).toBeGreaterThan(0);
    }
  });

  test("configurations in both states and entitlements in every status, the history consistent with each status", async () => {
    const sim = await start(DOCS_DAY);
    const { configs, entitlements } = sim.world.state;
    expect(configs.map((c) => [c.id, c.name, c.accountId, c.status])).toEqual([
      [39712, "Contoso edge", 1525960, "ACTIVE"],
      [39713, "Fabrikam edge", 1525961, "ACTIVE"],
      [39714, "Northwind edge", 1525962, "ACTIVE"],
      [39715, "Woodgrove HA", 1525963, "ACTIVE"],
      [39716, "Woodgrove lab", 1525963, "DISABLED"],
    ]);
    expect(entitlements.map((e) => [e.serialNumber, e.configId, e.status, e.tokenStatus])).toEqual([
      ["FGVMELTM25008315", 39712, "ACTIVE", "USED"],
      ["FGVMELTM25008316", 39713, "ACTIVE", "USED"],
      ["FGVMELTM25008317", 39713, "STOPPED", "USED"],
      ["FGVMELTM25008318", 39714, "PENDING", "NOTUSED"],
      ["FGVMELTM25008319", 39715, "ACTIVE", "USED"],
      ["FGVMELTM25008320", 39715, "STOPPED", "USED"],
      ["FGVMELTM25008321", 39716, "EXPIRED", "USED"],
    ]);
    for (const e of entitlements) {
      const last = e.activity.at(-1);
      expect([e.status, last === undefined, last?.to === undefined]).toEqual(
        e.status === "PENDING" ? ["PENDING", true, true] : [e.status, false, e.status === "ACTIVE"],
      );
      expect(e.token).toMatch(/^[0-9A-F]{20}$/);
    }
    // Every event is in the past of the program, and a STOPPED entitlement's end date is its stop.
    const programStart = Date.parse(`${sim.world.state.programs[0].startDate}Z`);
    const spans = entitlements.flatMap((e) => e.activity);
    expect(spans.length).toBe(7);
    for (const s of spans) expect([s.from > programStart, s.from < DOCS_DAY, (s.to ?? DOCS_DAY) <= DOCS_DAY]).toEqual([true, true, true]);
    expect(entitlements.find((e) => e.serialNumber === "FGVMELTM25008317")!.endDate).toMatch(/^\d{4}-\d\d-\d\dT09:00:00\.0000000-08:00$/);
  });

  test("the same start time gives the same data; another day the same figures, the dates moved", async () => {
    const [a, b, later] = await Promise.all([start(DOCS_DAY), start(DOCS_DAY), start(DOCS_DAY + 37 * DAY)]);
    const data = (s: FortiFlexSimulator) => ({ ...s.world.state, clockOffsetMs: undefined });
    expect(data(b)).toEqual(data(a));
    const figures = (s: FortiFlexSimulator) => {
      const today = pacificDay(s.world.now());
      const user = s.world.user(s.seed.username)!;
      return s.world.state.entitlements.map((e) => [
        e.serialNumber,
        e.token,
        s.world.activeDays(e, today - 1000, today),
        s.world.points(user, { serialNumber: e.serialNumber, startDate: "2000-01-01", endDate: "2100-01-01" }),
      ]);
    };
    expect(figures(later)).toEqual(figures(a));
    expect(later.world.state.entitlements[0].startDate).not.toBe(a.world.state.entitlements[0].startDate);
  });

  test("entitlements created afterwards get new serial numbers", async () => {
    const sim = await start(Date.parse("2025-03-01T19:00:00Z"));
    const user = sim.world.user(sim.seed.username)!;
    const [created] = sim.world.createVmEntitlements(user, { configId: 39712 });
    expect(created.serialNumber).toBe("FGVMELTM25008322");
  });

  test("without a seed the simulator starts empty, on the wall clock", async () => {
    const h = await startHarness();
    try {
      expect([h.sim.world.state.configs, h.sim.world.state.entitlements, h.sim.world.state.clockOffsetMs]).toEqual([[], [], 0]);
    } finally {
      await h.close();
    }
  });

  const guide = (name: string) => fs.readFileSync(path.join(ROOT, "docs", "guides", name), "utf8");
  /** The fenced blocks of a guide's section (from its heading to the next). */
  const blocks = (md: string, heading: string) => {
    const section = md.slice(md.indexOf(`\n## ${heading}\n`)).split(/\n## /)[1];
    return [...section.matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  };
  /** The CLI against a simulator, in process, on the given day. */
  const cli = async (sim: FortiFlexSimulator, argv: string[], today: string, extra: Record<string, string> = {}) => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-seed-cli-"));
    try {
      return await runCliCaptured(argv, { ...sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: cache, ...extra }, { today: () => today });
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  };

  test("the simulator guide's table of the seed is the seeded data", async () => {
    const sim = await start(DOCS_DAY);
    const rows = guide("simulator.md")
      .split("\n")
      .filter((l) => /^\| \d{5} \|/.test(l))
      .map((l) => l.split("|").map((c) => c.trim()));
    expect(rows.map((r) => [Number(r[1]), r[2], Number(r[3]), r[4]])).toEqual(sim.world.state.configs.map((c) => [c.id, c.name, c.accountId, c.status]));
    for (const [, id, , , , , entitlements] of rows) {
      const shown = [...entitlements.matchAll(/(FGVM\w+) (\w+)/g)].map((m) => [m[1], m[2]]);
      const seeded = sim.world.state.entitlements.filter((e) => e.configId === Number(id)).map((e) => [e.serialNumber, e.status]);
      expect(shown).toEqual(seeded);
    }
  });

  test("the points report the simulator guide shows is what the CLI prints against the seed on that day", async () => {
    const sim = await start(DOCS_DAY);
    const shown = blocks(guide("simulator.md"), "The demo seed").find((b) => b.startsWith("Points of "));
    const command = guide("simulator.md")
      .match(/`npm run --silent fortiflex -- (points [^`]+)`/)![1]
      .split(" ");
    expect(await cli(sim, command, "2026-06-15")).toEqual({ code: 0, out: shown, err: "" });
  });

  test("the CLI guide's examples against the simulator work on the seed", async () => {
    const sim = await start(DOCS_DAY);
    const prefix = "npm run --silent fortiflex -- ";
    const block = blocks(guide("cli.md"), "Against the simulator").join("\n").split("\n");
    // The block's own exports (the default program) are the commands' environment.
    const exported = Object.fromEntries(block.flatMap((l) => [...l.matchAll(/^export (\w+)=(\S+)$/g)].map((m) => [m[1], m[2]])));
    const lines = block.filter((l) => l.startsWith(prefix));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const [command, said] = line.replace(/<serial>/g, "FGVMELTM25008315").split(/\s+# /);
      const argv = command.slice(prefix.length).trim().split(/\s+/);
      const result = await cli(sim, argv, "2026-06-15", exported);
      expect([line, result.code, result.err]).toEqual([line, 0, ""]);
      if (said) expect(result.out).toBe(`${said}\n`);
    }
  });
});
