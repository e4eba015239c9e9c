import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { activeEntitlements, pointsDelta, type PricedConfiguration } from "../../gitops/points-delta";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { startHarness, type Harness } from "../helpers/simulator-harness";

const ROOT = path.join(__dirname, "..", "..");

/** The fields of a customers file entry this test changes. */
interface Customer {
  id: string;
  name: string;
  fortigate: { cpu?: number };
  decommission?: boolean;
  [field: string]: unknown;
}
const SCOPE = {
  program_serial_number: "ELAVMS0000000518",
  api_url: "http://127.0.0.1:1/ES/api/fortiflex/v2/",
  auth_url: "http://127.0.0.1:1/api/v1/oauth/token/",
};

/** A cdk.tf.json with the steps points-delta reads, as the constructs write them. */
function stack(
  type: "null_resource" | "terraform_data",
  objects: { name: string; identity: Record<string, string>; settings: Record<string, string> }[],
): Parameters<typeof activeEntitlements>[1] {
  const key = type === "null_resource" ? "triggers" : "triggers_replace";
  const resources: Record<string, { [trigger in typeof key]?: Record<string, string> }> = {};
  for (const o of objects) {
    resources[`${o.name}_Lifecycle`] = { [key]: { ...SCOPE, ...o.identity } };
    resources[`${o.name}_Settings`] = { [key]: { lifecycle: `\${${type}.${o.name}_Lifecycle.id}`, ...o.settings } };
  }
  return { resource: { [type]: resources } };
}

describe("the entitlements a stack pays for", () => {
  const config = {
    name: "Fw_Config",
    identity: { kind: "config", key: "acme/Fw/Config", account_id: "1525960", product_type_id: "1" },
    settings: { name: "acme", parameters: "1=2,2=UTP,43=NONE" },
  };
  const entitlement = (name: string, status: string, configKey = "acme/Fw/Config") => ({
    name,
    identity: { kind: "entitlement", key: `acme/${name}`, account_id: "" },
    settings: { config_key: configKey, status },
  });

  test("ACTIVE entitlements, each with its configuration (declared, or an existing one by id); STOPPED ones cost nothing", () => {
    for (const type of ["null_resource", "terraform_data"] as const) {
      const tf = stack(type, [config, entitlement("A", "ACTIVE"), entitlement("B", "STOPPED"), entitlement("C", "ACTIVE", "#39712")]);
      expect(activeEntitlements("acme", tf)).toEqual([
        {
          key: "acme/A",
          configuration: {
            apiUrl: SCOPE.api_url,
            authUrl: SCOPE.auth_url,
            allowNonFortinetHost: false,
            programSerialNumber: "ELAVMS0000000518",
            productTypeId: 1,
            parameters: "1=2,2=UTP,43=NONE",
          },
        },
        {
          key: "acme/C",
          configuration: {
            apiUrl: SCOPE.api_url,
            authUrl: SCOPE.auth_url,
            allowNonFortinetHost: false,
            programSerialNumber: "ELAVMS0000000518",
            configId: 39712,
            accountId: "",
          },
        },
      ]);
    }
  });

  test("an entitlement whose configuration the stack does not declare is an error, not zero points", () => {
    expect(() => activeEntitlements("acme", stack("null_resource", [entitlement("A", "ACTIVE", "acme/Other")]))).toThrow(
      'stack acme: entitlement acme/A (null_resource.A_Settings) names configuration "acme/Other", which the stack does not declare',
    );
  });

  test("rows for the changed customers, the fleet over all of them, every ACTIVE entitlement priced", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-points-unit-"));
    const write = (side: string, name: string, tf: object) => {
      fs.mkdirSync(path.join(tmp, side, "stacks", name), { recursive: true });
      fs.writeFileSync(path.join(tmp, side, "stacks", name, "cdk.tf.json"), JSON.stringify(tf));
    };
    write("base", "acme", stack("null_resource", [config, entitlement("A", "ACTIVE"), entitlement("B", "ACTIVE")]));
    write("base", "same", stack("null_resource", [config, entitlement("A", "ACTIVE")]));
    write("head", "acme", stack("null_resource", [config, entitlement("A", "ACTIVE"), entitlement("B", "STOPPED")]));
    write("head", "same", stack("null_resource", [config, entitlement("A", "ACTIVE")]));
    const asked: PricedConfiguration[] = [];
    const delta = await pointsDelta(path.join(tmp, "base"), path.join(tmp, "head"), async (c) => (asked.push(c), 2.5));
    expect(delta).toEqual({ customers: [{ stack: "acme", before: 5, after: 2.5 }], fleet: { before: 7.5, after: 5 } });
    expect(asked).toHaveLength(5);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

describe("points-delta, run as the points job runs it, against the simulator", () => {
  let h: Harness;
  let scripts: GitopsScripts;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-points-"));
  /** `npm run synth`'s bundle, built inside the checkout (its packages resolve from the project's node_modules). */
  const mainBundle = path.join(ROOT, "dist", `gitops-test-${process.pid}`, "main.js");

  beforeAll(async () => {
    h = await startHarness();
    scripts = new GitopsScripts();
  });
  afterAll(async () => {
    await h.close();
    scripts.remove();
    fs.rmSync(path.dirname(mainBundle), { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs a command without blocking the simulator, which answers from this process. */
  const exec = (args: string[], cwd: string, env: Record<string, string>) =>
    new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(args[0], args.slice(1), { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stderr }));
    });

  /** Synthesizes a customers file as `npm run synth` does, with the stacks pointed at the simulator (in the file's defaults). */
  const synth = async (name: string, customers: { defaults: { fortiflex: Record<string, unknown> } }) => {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    const file = structuredClone(customers);
    file.defaults.fortiflex.endpoints = { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl };
    fs.writeFileSync(path.join(dir, "customers.yaml"), YAML.stringify(file));
    const res = await exec([process.execPath, mainBundle], dir, { FORTIFLEX_CUSTOMERS_FILE: "customers.yaml" });
    expect(res).toEqual({ status: 0, stderr: "" });
    return path.join(dir, "cdktf.out");
  };

  test("each changed customer's daily points before and after, the fleet's, one calc per distinct configuration", async () => {
    const build = await exec(["npm", "run", "--silent", "build:main", "--", `--outfile=${mainBundle}`], ROOT, {});
    expect(build).toEqual({ status: 0, stderr: "" });
    const customers = YAML.parse(fs.readFileSync(path.join(ROOT, "stacks", "customers.yaml"), "utf8")) as {
      defaults: { fortiflex: Record<string, unknown> };
      customers: Customer[];
    };
    const base = await synth("base", customers);
    // The pull request: fabrikam grows to 8 vCPUs, northwind is decommissioned, tailspin arrives like contoso.
    const head = structuredClone(customers);
    const byId = (id: string) => head.customers.find((c) => c.id === id)!;
    byId("fabrikam").fortigate.cpu = 8;
    byId("northwind").decommission = true;
    head.customers.push({
      ...structuredClone(byId("contoso")),
      id: "tailspin",
      name: "Tailspin Toys",
      fortiflex: { accountId: 1525961 },
      azure: { subscriptionId: "55555555-5555-4555-8555-555555555555" },
    });
    const headOut = await synth("head", head);

    const endpoints = new Set<string>();
    for (const out of [base, headOut]) {
      for (const name of fs.readdirSync(path.join(out, "stacks"))) {
        for (const m of fs.readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8").matchAll(/"(?:api|auth)_url":\s*"([^"]+)"/g))
          endpoints.add(new URL(m[1]).origin);
      }
    }
    expect([...endpoints]).toEqual([new URL(h.sim.apiUrl).origin]);
    expect(new URL(h.sim.apiUrl).hostname).toBe("127.0.0.1");

    const calcsBefore = h.sim.requests.filter((r) => r.operation === "tools/calc").length;
    const readOnly = h.sim.seed.readOnly;
    const cache = fs.mkdtempSync(path.join(tmp, "token-cache-"));
    const res = await scripts.runAsync("points-delta", [base, headOut], {
      env: { FORTIFLEX_ACCESS_USERNAME: readOnly.username, FORTIFLEX_ACCESS_PASSWORD: readOnly.password, FORTIFLEX_TOKEN_CACHE_DIR: cache },
    });
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
    const calcs = h.sim.requests.filter((r) => r.operation === "tools/calc").slice(calcsBefore);
    expect(calcs.map((r) => r.username)).toEqual(Array(5).fill(readOnly.username));

    // Expected figures from the simulator's calculator, parameters written out by hand from the customers file.
    const price = async (parameters: [number, string][]) =>
      (
        await h.client.calc({
          programSerialNumber: "ELAVMS0000000518",
          productTypeId: 1,
          count: 1,
          parameters: parameters.map(([id, value]) => ({ id, value })),
        })
      ).current;
    const contoso = await price([
      [1, "2"],
      [2, "UTP"],
    ]);
    const fabrikam4 = await price([
      [1, "4"],
      [2, "ENT"],
    ]);
    const fabrikam8 = await price([
      [1, "8"],
      [2, "ENT"],
    ]);
    const northwind = await price([
      [1, "4"],
      [2, "ATP"],
    ]);
    const woodgroveUnit = await price([
      [1, "8"],
      [2, "ATP"],
      [10, "2"],
      [43, "FGTAVDB"],
      [43, "FGTFAIS"],
      [44, "FGTFAZC"],
      [45, "FGTFCELU"],
    ]);
    expect(new Set([contoso, fabrikam4, fabrikam8, northwind, woodgroveUnit]).size).toBe(5);
    const round = (n: number) => Math.round(n * 100) / 100;
    expect(JSON.parse(res.stdout)).toEqual({
      customers: [
        { stack: "fabrikam", before: fabrikam4, after: fabrikam8 },
        { stack: "northwind", before: northwind, after: 0 },
        { stack: "tailspin", before: 0, after: contoso },
      ],
      fleet: { before: round(contoso + fabrikam4 + northwind + 2 * woodgroveUnit), after: round(contoso + fabrikam8 + 2 * woodgroveUnit + contoso) },
      requests: 5,
    });
  });

  test("a configuration referred to by id is looked up once per scope, then priced like the others", async () => {
    const existing = await h.client.createConfig({
      programSerialNumber: "ELAVMS0000000518",
      accountId: 1525960,
      name: "made in the portal",
      productTypeId: 1,
      parameters: [
        { id: 1, value: "4" },
        { id: 2, value: "UTP" },
      ],
    });
    const scope = { program_serial_number: "ELAVMS0000000518", account_id: "1525960", api_url: h.sim.apiUrl, auth_url: h.sim.authUrl };
    const entitlement = (name: string) => ({
      [`${name}_Lifecycle`]: { triggers: { ...scope, kind: "entitlement", key: `acme/${name}` } },
      [`${name}_Settings`]: { triggers: { lifecycle: `\${null_resource.${name}_Lifecycle.id}`, config_key: `#${existing.id}`, status: "ACTIVE" } },
    });
    const dir = path.join(tmp, "by-id", "head", "stacks", "acme");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ resource: { null_resource: { ...entitlement("A"), ...entitlement("B") } } }));
    const readOnly = h.sim.seed.readOnly;
    const res = await scripts.runAsync("points-delta", [path.join(tmp, "by-id", "base"), path.join(tmp, "by-id", "head")], {
      env: {
        FORTIFLEX_ACCESS_USERNAME: readOnly.username,
        FORTIFLEX_ACCESS_PASSWORD: readOnly.password,
        FORTIFLEX_TOKEN_CACHE_DIR: fs.mkdtempSync(path.join(tmp, "token-cache-")),
      },
    });
    expect(res.stderr).toBe("");
    const unit = (
      await h.client.calc({
        programSerialNumber: "ELAVMS0000000518",
        productTypeId: 1,
        count: 1,
        parameters: [
          { id: 1, value: "4" },
          { id: 2, value: "UTP" },
        ],
      })
    ).current;
    expect(JSON.parse(res.stdout)).toEqual({
      customers: [{ stack: "acme", before: 0, after: Math.round(2 * unit * 100) / 100 }],
      fleet: { before: 0, after: Math.round(2 * unit * 100) / 100 },
      requests: 2,
    });
  });

  test("without credentials: the reason, exit 1", async () => {
    const out = path.join(tmp, "head", "cdktf.out");
    const res = await scripts.runAsync("points-delta", [path.join(tmp, "base", "cdktf.out"), out], { env: { FORTIFLEX_TOKEN_CACHE_DIR: tmp } });
    expect(res).toEqual({
      status: 1,
      stdout: "",
      stderr: "points-delta: FortiFlex credentials missing: set FORTIFLEX_ACCESS_USERNAME and FORTIFLEX_ACCESS_PASSWORD (an API user from FortiCloud IAM)\n",
    });
  });
});
