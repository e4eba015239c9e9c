import * as path from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../../cli/fortiflex-cli";
import { PROGRAM_ENV } from "../../cli/program-option";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";

/** The CLI against the harness's simulator (127.0.0.1), with extra environment variables. */
async function runAgainst(h: Harness, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const code = await runCli(argv, { stdout, stderr, env: { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cli-cache"), ...env } });
  return { code, out, err };
}

describe("the program from the environment, against the simulator", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.createConfig({
      programSerialNumber: h.sim.seed.programSerialNumber,
      accountId: h.sim.seed.memberAccountIds[0],
      name: "contoso edge",
      productTypeId: 1,
      parameters: FGT_2CPU_UTP,
    });
  });
  afterAll(async () => h.close());

  test(`${PROGRAM_ENV} stands in for -p; -p overrides it`, async () => {
    const names = (r: { out: string }) => (JSON.parse(r.out) as { name: string }[]).map((c) => c.name);
    const fromEnv = await runAgainst(h, ["configs", "-f", "json"], { [PROGRAM_ENV]: h.sim.seed.programSerialNumber });
    expect(fromEnv.code).toBe(0);
    expect(names(fromEnv)).toEqual(["contoso edge"]);
    // The other tenant's program is not this API user's: had the variable been used, the simulator would refuse it.
    const overridden = await runAgainst(h, ["configs", "-p", h.sim.seed.programSerialNumber, "-f", "json"], {
      [PROGRAM_ENV]: h.sim.seed.otherTenant.programSerialNumber,
    });
    expect(overridden.code).toBe(0);
    expect(names(overridden)).toEqual(["contoso edge"]);
    const wrong = await runAgainst(h, ["configs", "-f", "json"], { [PROGRAM_ENV]: h.sim.seed.otherTenant.programSerialNumber });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(h.sim.seed.otherTenant.programSerialNumber);
  });
});
