import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import { ensureConfig } from "../../custom-provider/config-operations";
import { ensureEntitlement } from "../../custom-provider/entitlement-operations";
import { ReadOnlyError } from "../../custom-provider/errors";
import { observeObjects } from "../../custom-provider/scope-observation";
import { takeSnapshot } from "../../custom-provider/scope-snapshot";
import type { HandlerUsage } from "../../custom-provider/usage-log";
import { OBSERVATION, type ConfigIdentity, type ConfigSettings, type EntitlementIdentity, type EntitlementSettings } from "../../contract/handler-contract";
import { startHarness, type Harness } from "../helpers/simulator-harness";

/** The plan-time observation of a scope: two list requests, every object's drift and attributes, no writes. */
describe("scope observation", () => {
  let h: Harness;
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  let scope: { program_serial_number: string; account_id: string; api_url: string; auth_url: string };
  let config: ConfigIdentity;
  let fw: EntitlementIdentity;
  let spare: EntitlementIdentity;
  const configSettings: ConfigSettings = { name: "acme", parameters: "1=2,2=UTP" };
  const fwSettings: EntitlementSettings = {
    config_key: "acme/Config",
    description: "edge",
    end_date: "",
    folder_path: "",
    status: "ACTIVE",
    skip_pending: "false",
  };
  const spareSettings: EntitlementSettings = { ...fwSettings, description: "spare", status: "STOPPED" };
  const objects = () => [
    { identity: config, settings: configSettings, detectDrift: true, attributes: true },
    { identity: fw, settings: fwSettings, detectDrift: true, attributes: true },
    { identity: spare, settings: spareSettings, detectDrift: false, attributes: true },
  ];
  const namespace = { namespace: "acme", declared: new Set(["acme/Config", "acme/Fw", "acme/Spare"]) };

  beforeEach(async () => {
    h = await startHarness();
    lines.length = 0;
    scope = {
      program_serial_number: h.sim.seed.programSerialNumber,
      account_id: String(h.sim.seed.memberAccountIds[1]),
      api_url: h.sim.apiUrl,
      auth_url: h.sim.authUrl,
    };
    config = { kind: "config", key: "acme/Config", product_type_id: "1", ...scope };
    fw = { kind: "entitlement", key: "acme/Fw", ...scope };
    spare = { kind: "entitlement", key: "acme/Spare", ...scope };
  });
  afterEach(async () => h.close());

  test("nothing made yet: in sync (the apply creates), no attributes", async () => {
    const observed = observeObjects(await takeSnapshot(h.client, scope), objects(), namespace, "w1", log);
    expect(observed).toEqual({
      walk: "w1",
      "in_sync:acme/Config": "true",
      "drift:acme/Config": "",
      "state:acme/Config": "",
      "in_sync:acme/Fw": "true",
      "drift:acme/Fw": "",
      "state:acme/Fw": "",
      "in_sync:acme/Spare": "true",
      "drift:acme/Spare": "",
      "state:acme/Spare": "",
      strays: "",
    });
  });

  test("drift, duplicates and attributes of every object from two requests; nothing is changed", async () => {
    const made = await ensureConfig(h.client, config, configSettings, log);
    const primary = await ensureEntitlement(h.client, fw, fwSettings, log);
    const standby = await ensureEntitlement(h.client, spare, spareSettings, log);
    await h.client.stopEntitlement(primary.serialNumber);
    await h.client.updateConfig({
      id: made.id,
      name: made.name,
      parameters: [
        { id: 1, value: "4" },
        { id: 2, value: "UTP" },
      ],
    });

    const sent = h.sim.requests.length;
    const observed = observeObjects(await takeSnapshot(h.client, scope), objects(), namespace, "w1", log);
    expect(
      h.sim.requests
        .slice(sent)
        .map((r) => r.operation)
        .sort(),
    ).toEqual(["configs/list", "entitlements/list"]);
    expect(observed["in_sync:acme/Config"]).toBe("false");
    expect(observed["drift:acme/Config"]).toMatch(/^parameters \S*1=4\S* \(want \S*1=2\S*\)$/);
    expect(observed["in_sync:acme/Fw"]).toBe("false");
    expect(observed["drift:acme/Fw"]).toBe("status STOPPED (want ACTIVE)");
    expect(JSON.parse(observed["state:acme/Fw"])).toEqual(
      expect.objectContaining({ serial_number: primary.serialNumber, token: primary.token, status: "STOPPED", description: "edge" }),
    );
    // Without drift detection an object is in sync whatever it looks like, and still has its attributes.
    expect(observed["in_sync:acme/Spare"]).toBe("true");
    expect(JSON.parse(observed["state:acme/Spare"])).toEqual(expect.objectContaining({ serial_number: standby.serialNumber, status: "STOPPED" }));
    expect(JSON.parse(observed["state:acme/Config"])).toEqual({
      id: String(made.id),
      name: "acme",
      status: "ACTIVE",
      account_id: scope.account_id,
      product_type_id: "1",
    });
    // Reported, not repaired.
    expect(h.sim.world.state.entitlements.find((e) => e.serialNumber === primary.serialNumber)!.status).toBe("STOPPED");
  });

  test("strays: duplicates of declared keys and live objects no longer declared, whatever the drift setting; attributes only where read", async () => {
    const made = await ensureConfig(h.client, config, configSettings, log);
    const primary = await ensureEntitlement(h.client, fw, fwSettings, log);
    const standby = await ensureEntitlement(h.client, spare, spareSettings, log);
    const [extra] = await h.client.createVmEntitlements({ configId: made.id, count: 1, description: primary.description ?? undefined });
    const gone = await ensureEntitlement(h.client, { ...fw, key: "acme/Gone" }, fwSettings, log);
    const quiet = objects().map((o) => ({ ...o, detectDrift: false, attributes: o.identity.key === "acme/Fw" }));
    const observed = observeObjects(await takeSnapshot(h.client, scope), quiet, namespace, "w1", log);
    // Named by account: the reconcile step joins the strays of every scope of the stack.
    expect(observed.strays).toBe(
      `account ${scope.account_id}: duplicate entitlement ${extra.serialNumber} of acme/Fw (keeps ${primary.serialNumber}); entitlement ` +
        `${gone.serialNumber} of acme/Gone live, not declared`,
    );
    expect(lines.at(-1)).toBe(`namespace acme, ${observed.strays.replace(":", ": the apply stops")}`);
    expect(observed["in_sync:acme/Fw"]).toBe("true");
    // Only the object whose outputs are read has its attributes (and so its token) in the observation.
    expect(JSON.parse(observed["state:acme/Fw"]).serial_number).toBe(primary.serialNumber);
    expect([observed["state:acme/Config"], observed["state:acme/Spare"]]).toEqual(["", ""]);
    expect(JSON.stringify(observed)).not.toContain(standby.token);
    expect(h.sim.world.state.entitlements.filter((e) => e.status === "PENDING")).toHaveLength(3);
  });

  test("a read-only client refuses every change before sending it", async () => {
    const readOnly = h.newClient({ readOnly: true });
    const sent = h.sim.requests.length;
    await expect(readOnly.stopEntitlement("FGVMELTM26000001")).rejects.toThrow(ReadOnlyError);
    await expect(readOnly.createConfig({ programSerialNumber: scope.program_serial_number, name: "x", productTypeId: 1, parameters: [] })).rejects.toThrow(
      /refusing to send configs\/create: this client only reads/,
    );
    expect(h.sim.requests.length).toBe(sent);
    await expect(readOnly.listPrograms()).resolves.toEqual(expect.any(Array));
  });

  test("the handler's observe and read, as Terraform runs them outside a Terraform walk: read asks FortiFlex", async () => {
    await ensureConfig(h.client, config, configSettings, log);
    const usage = path.join(h.tmp, "usage.jsonl");
    const env = { ...process.env, ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache"), FORTIFLEX_USAGE_LOG: usage };
    const run = (command: string, query: object) =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const child = spawn(process.execPath, [handlerBundle().path, command], { env, stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
        child.stdin.end(JSON.stringify(query));
      });
    const list = objects().map((o) => ({
      identity: JSON.stringify(o.identity),
      settings: JSON.stringify(o.settings),
      detect_drift: String(o.detectDrift),
      attributes: "true",
    }));
    const query = { scope: JSON.stringify(scope), namespace: "acme", declared: JSON.stringify([...namespace.declared]), objects: JSON.stringify(list) };
    const observed = await run("observe", query);
    // Started by jest, not by terraform: no walk, so a read never trusts an observation.
    expect(observed[OBSERVATION.walk]).toBe("");
    const read = await run("read", { identity: JSON.stringify(config), observed: observed["state:acme/Config"], walk: "" });
    expect(read).toEqual(JSON.parse(observed["state:acme/Config"]));
    const lines = fs
      .readFileSync(usage, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as HandlerUsage);
    expect(lines.map((u) => [u.command, u.requests, u.ok])).toEqual([
      ["observe", 2, true],
      ["read", 1, true],
    ]);
    expect(lines.reduce((n, u) => n + u.auths, 0)).toBe(1);

    // An object of another scope in the query is refused.
    await expect(run("observe", { ...query, scope: JSON.stringify({ ...scope, account_id: "1" }) })).rejects.toThrow(
      /query\.objects\[0\] is not a keyed object of the observed scope/,
    );
    await expect(run("observe", { ...query, namespace: "a b" })).rejects.toThrow(/query\.namespace "a b" is not a namespace/);
  });
});
