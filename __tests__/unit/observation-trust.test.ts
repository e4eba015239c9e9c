import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import { ensureConfig } from "../../custom-provider/config-operations";
import type { ConfigIdentity } from "../../contract/handler-contract";
import { startHarness, type Harness } from "../helpers/simulator-harness";

/**
 * When a `read` answers from the plan's observation instead of asking FortiFlex, with real processes in
 * Terraform's shape: a launcher named like terraform starts "provider" processes (which start the handler's
 * data-source commands) and "steps" (handler commands it starts directly). Only Linux can tell processes
 * apart (/proc); elsewhere reads always ask, which the other suites cover.
 */
const describeOnLinux = fs.existsSync("/proc/self/stat") ? describe : describe.skip;

describeOnLinux("when a read trusts the plan's observation", () => {
  let h: Harness;
  let identity: ConfigIdentity;
  let configId: number;
  const observed = JSON.stringify({ id: "from-the-observation" });

  /** The launcher: runs `actions` in order ("step", "read", "read-other-walk") and prints what each read returned. */
  const LAUNCHER = `
    const { spawnSync } = require("node:child_process");
    const [provider, handler, query, ...actions] = process.argv.slice(2);
    const results = [];
    for (const action of actions) {
      if (action === "step") spawnSync(process.execPath, [handler, "ensure"], { stdio: "ignore" });
      else results.push(spawnSync(process.execPath, [provider, handler, query, action], { encoding: "utf8" }).stdout);
    }
    process.stdout.write(JSON.stringify(results));
  `;
  /** A provider process: starts the handler's read with the walk the observation would name (its pid and start time). */
  const PROVIDER = `
    const fs = require("node:fs");
    const [handler, query, action] = process.argv.slice(2);
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const walk = action === "read" ? process.pid + ":" + stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] : "1:1";
    const r = require("node:child_process").spawnSync(process.execPath, [handler, "read"], { input: JSON.stringify({ ...JSON.parse(query), walk }) });
    process.stdout.write(r.status === 0 ? r.stdout : "error: " + r.stderr);
  `;

  /** Runs the launcher under `name` and returns the `id` each read gave (asynchronously: the simulator answers from this process). */
  const run = async (name: string, actions: string[]): Promise<string[]> => {
    const dir = fs.mkdtempSync(path.join(h.tmp, "launcher-"));
    const launcher = path.join(dir, name);
    fs.symlinkSync(process.execPath, launcher);
    fs.writeFileSync(path.join(dir, "launcher.js"), LAUNCHER);
    fs.writeFileSync(path.join(dir, "provider.js"), PROVIDER);
    const query = JSON.stringify({ identity: JSON.stringify(identity), observed });
    const env = { ...process.env, ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache") };
    const child = spawn(launcher, [path.join(dir, "launcher.js"), path.join(dir, "provider.js"), handlerBundle().path, query, ...actions], { env });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    if (code !== 0) throw new Error(`launcher exited ${code}`);
    return (JSON.parse(out) as string[]).map((o) => (o.startsWith("error") ? o : (JSON.parse(o) as { id: string }).id));
  };

  beforeAll(async () => {
    h = await startHarness();
    identity = {
      kind: "config",
      key: "trust/Config",
      product_type_id: "1",
      program_serial_number: h.sim.seed.programSerialNumber,
      account_id: String(h.sim.seed.memberAccountIds[0]),
      api_url: h.sim.apiUrl,
      auth_url: h.sim.authUrl,
    };
    // The cache directory exists once the plan's observation has authenticated; without it reads ask.
    fs.mkdirSync(path.join(h.tmp, "cache"), { mode: 0o700 });
    configId = (await ensureConfig(h.client, identity, { name: "trust", parameters: "1=2,2=UTP" }, () => undefined)).id;
  });
  afterAll(async () => h.close());

  test("in the walk that observed, in a run where no step wrote: from the observation", async () => {
    expect(await run("terraform", ["read", "read"])).toEqual(["from-the-observation", "from-the-observation"]);
  });

  test("once a step of the same run has started, every read asks FortiFlex", async () => {
    expect(await run("terraform", ["read", "step", "read", "read"])).toEqual(["from-the-observation", String(configId), String(configId)]);
  });

  test("another walk, or providers not started by terraform, tofu or terraform-bin: FortiFlex", async () => {
    expect(await run("terraform", ["read-other-walk"])).toEqual([String(configId)]);
    expect(await run("tofu", ["read"])).toEqual(["from-the-observation"]);
    expect(await run("terraform-debug", ["read"])).toEqual([String(configId)]);
  });
});
