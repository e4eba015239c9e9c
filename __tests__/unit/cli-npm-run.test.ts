import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { PROGRAM_ENV } from "../../cli/program-option";
import { FGT_2CPU_UTP, startHarness, type Harness } from "../helpers/simulator-harness";

const ROOT = path.join(__dirname, "..", "..");

/**
 * The documented form, `npm run --silent fortiflex -- ...`, as a user runs it: npm, the esbuild bundle, node.
 * Asynchronous (the simulator answers from this process); npm's own settings from the test run are left out, as a
 * user's shell has none.
 */
async function npmRun(h: Harness, args: string[]) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const { stdout, stderr } = await promisify(execFile)("npm", ["run", "--silent", "fortiflex", "--", ...args], {
    cwd: ROOT,
    env: { ...env, ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cli-cache"), [PROGRAM_ENV]: h.sim.seed.programSerialNumber },
  });
  return { stdout, stderr };
}

/** A 2 vCPU FortiGate configuration in the simulator's first member account. */
function configuration(h: Harness, name: string) {
  return h.client.createConfig({
    programSerialNumber: h.sim.seed.programSerialNumber,
    accountId: h.sim.seed.memberAccountIds[0],
    name,
    productTypeId: 1,
    parameters: FGT_2CPU_UTP,
  });
}

describe("npm run --silent fortiflex", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const config = await configuration(h, "contoso edge");
    await h.client.createVmEntitlements({ configId: config.id, description: "piped" });
  });
  afterAll(async () => h.close());

  test("-f json writes only JSON to stdout: it pipes into jq", async () => {
    const { stdout, stderr } = await npmRun(h, ["entitlements", "-f", "json"]);
    expect(stderr).toBe("");
    const rows = JSON.parse(stdout) as { serialNumber: string; description: string }[];
    expect(rows.map((r) => r.description)).toEqual(["piped"]);
    expect(rows[0].serialNumber).toBe(h.sim.world.state.entitlements[0].serialNumber);
  });

  test("the bundle prints the package's version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(await npmRun(h, ["--version"])).toEqual({ stdout: `${version}\n`, stderr: "" });
  });
});

describe("a reader that stops early", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const config = await configuration(h, "many");
    // Output well beyond a pipe's buffer, so the command is still writing when the reader goes.
    for (let i = 0; i < 10; i++) await h.client.createVmEntitlements({ configId: config.id, count: 100, description: "one of many" });
  });
  afterAll(async () => h.close());

  test("(`| head -c 1`) ends the command quietly: exit 0, nothing on stderr", async () => {
    await npmRun(h, ["--version"]); // builds the bundle
    const env = { ...process.env, ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cli-cache"), [PROGRAM_ENV]: h.sim.seed.programSerialNumber };
    const child = spawn(process.execPath, [path.join(ROOT, "dist", "cli", "fortiflex.js"), "entitlements", "-f", "json"], { cwd: ROOT, env });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  });
});
