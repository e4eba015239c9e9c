import * as fs from "node:fs";
import * as path from "node:path";
import { LocalBackend, TerraformOutput, type TerraformStack } from "cdktf";
import { FortiFlexProduct, FortiFlexVmEntitlement, FortiGateServicePackage } from "../../constructs";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import { keyOf } from "../../contract/object-key";
import { simulatorConfiguration } from "../helpers/simulator-configuration";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { runProcess as run } from "../../local-providers/run-process";
import { synthStack, synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";
import { joinedRegExp } from "../helpers/joined-regexp";

/** Permanent errors, secrets, tenant isolation and destroy safety: through the handler, and through real terraform. */
let h: Harness;
let handler: string;

/** A customer-like FortiFlex stack (configuration + entitlement) for `account`, its state outside the stack directory. */
const customer = (name: string, account: number) => (stack: TerraformStack) => {
  new LocalBackend(stack, { path: path.join(h.tmp, "state", `${stack.node.id}.tfstate`) });
  const config = simulatorConfiguration(stack, h.sim, {
    accountId: account,
    name,
    product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
  });
  const e = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, skipPending: true, tokenGeneration: 1 });
  new TerraformOutput(stack, "token", { value: e.licenseToken, sensitive: true });
};
const env = (user: { username: string; password: string } = h.sim.seed) => ({
  ...h.sim.env(user),
  FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, `cache-${user.username}`),
});
const entitlementsOf = (prefix: string) => h.sim.world.state.entitlements.filter((e) => keyOf(e.description)?.startsWith(prefix));

describe("security and isolation", () => {
  beforeAll(async () => {
    h = await startHarness();
    handler = handlerBundle().path;
  });
  afterAll(async () => h.close());

  test("the token cache refuses a directory another local user could plant a token in", async () => {
    const base = fs.mkdtempSync(path.join(h.tmp, "cache-"));
    const planted = (dir: string) => {
      // Another user's token, ready to be used as ours.
      fs.writeFileSync(path.join(dir, "fortiflex-token-planted.json"), JSON.stringify({ accessToken: "planted", expiresAt: Date.now() + 3_600_000 }));
    };
    const shared = path.join(base, "shared");
    fs.mkdirSync(shared, { mode: 0o777 });
    fs.chmodSync(shared, 0o777);
    planted(shared);
    await expect(h.newClient({ tokenCacheDir: shared }).listPrograms()).rejects.toThrow(
      `the token cache directory ${shared} can be written by other users (mode 777); remove it, or set ` +
        `FORTIFLEX_TOKEN_CACHE_DIR to a directory only you can write (mode 700)`,
    );
    // Another user's directory: one made and given away where the tests run as root, else root's own "/".
    const me = process.getuid!();
    const foreign = me === 0 ? path.join(base, "foreign") : "/";
    if (me === 0) fs.mkdirSync(foreign, { mode: 0o700 });
    if (me === 0) fs.chownSync(foreign, 65534, 65534);
    await expect(h.newClient({ tokenCacheDir: foreign }).listPrograms()).rejects.toThrow(
      `the token cache directory ${foreign} belongs to uid ${me === 0 ? 65534 : 0}, not to you (uid ${me})`,
    );
    const link = path.join(base, "link");
    fs.symlinkSync(shared, link);
    await expect(h.newClient({ tokenCacheDir: link }).listPrograms()).rejects.toThrow(/token cache directory .*link is a symbolic link/);
    // Under a directory others can write (not sticky like /tmp), or reached through a symbolic link into one.
    const open = path.join(base, "open");
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    fs.mkdirSync(path.join(open, "cache"), { mode: 0o700 });
    await expect(h.newClient({ tokenCacheDir: path.join(open, "cache") }).listPrograms()).rejects.toThrow(
      /lies under .*open, which other users can write \(mode 777, not sticky\)/,
    );
    fs.symlinkSync(open, path.join(base, "via-link"));
    await expect(h.newClient({ tokenCacheDir: path.join(base, "via-link", "cache") }).listPrograms()).rejects.toThrow(
      /lies under .*open, which other users can write/,
    );
    // A fresh directory is created 0700 and used; its token file is 0600.
    const mine = path.join(base, "mine");
    expect((await h.newClient({ tokenCacheDir: mine }).listPrograms()).length).toBeGreaterThan(0);
    expect(fs.statSync(mine).mode & 0o777).toBe(0o700);
    const [tokenFile] = fs.readdirSync(mine).filter((f) => f.endsWith(".json"));
    expect(fs.statSync(path.join(mine, tokenFile)).mode & 0o777).toBe(0o600);
    // A token file others could read, or a link in its place, is not used (a new token is fetched instead).
    const issued = h.sim.tokensIssued;
    fs.chmodSync(path.join(mine, tokenFile), 0o644);
    await h.newClient({ tokenCacheDir: mine }).listPrograms();
    expect(h.sim.tokensIssued).toBe(issued + 1);
    fs.rmSync(path.join(mine, tokenFile));
    fs.symlinkSync(path.join(shared, "fortiflex-token-planted.json"), path.join(mine, tokenFile));
    await h.newClient({ tokenCacheDir: mine }).listPrograms();
    expect(h.sim.tokensIssued).toBe(issued + 2);
  });

  test("permanent errors fail fast: one line naming the operation and the API's answer, no retries", async () => {
    const identity = (key: string, extra: object = {}) => ({
      kind: "entitlement",
      key,
      program_serial_number: h.sim.seed.programSerialNumber,
      account_id: "1525961",
      api_url: h.sim.apiUrl,
      auth_url: h.sim.authUrl,
      ...extra,
    });
    const configIdentity = {
      kind: "config",
      key: "perm/Config",
      product_type_id: "1",
      program_serial_number: h.sim.seed.programSerialNumber,
      account_id: "1525961",
      api_url: h.sim.apiUrl,
      auth_url: h.sim.authUrl,
    };
    const settings = { config_key: "perm/Config", description: "", end_date: "", folder_path: "", status: "ACTIVE", skip_pending: "true" };
    const handlerRun = async (command: string, id: object, s: object, e: Record<string, string> = env()) => {
      const before = h.sim.requests.length;
      const res = await run(process.execPath, [handler, command], h.tmp, {
        ...e,
        FORTIFLEX_IDENTITY: JSON.stringify(id),
        FORTIFLEX_SETTINGS: JSON.stringify(s),
      });
      return { ...res, ops: h.sim.requests.slice(before).map((r) => r.operation) };
    };
    expect((await handlerRun("ensure", configIdentity, { name: "perm", parameters: "1=2,2=UTP" })).exitCode).toBe(0);

    const cases: [string, () => Promise<Awaited<ReturnType<typeof handlerRun>>>, RegExp, string][] = [
      [
        "bad credentials",
        () => handlerRun("ensure", identity("perm/A"), settings, env({ username: h.sim.seed.username, password: "wrong" })),
        /^fortiflex: error: FortiCloud rejected the API user credentials \(HTTP 401: Invalid credentials given\.\)/,
        "auth",
      ],
      [
        "read-only API user",
        () => handlerRun("ensure", identity("perm/B"), settings, env(h.sim.seed.readOnly)),
        joinedRegExp(
          /^fortiflex: error: FortiFlex entitlements\/vm\/create failed: HTTP 403, error code 1003: Permission denied: the API user has read-only /,
          /access to FortiFlex\.$/,
        ),
        "entitlements/vm/create",
      ],
      [
        "invalid parameter",
        () => handlerRun("ensure", { ...configIdentity, key: "perm/Bad" }, { name: "bad", parameters: "1=97,2=UTP" }),
        joinedRegExp(
          /^fortiflex: error: FortiFlex configs\/create failed: HTTP 400, error code 1001: parameter "CPU count" \(id 1\) value 97 is out of range /,
          /\(allowed: 1-96\)\.$/,
        ),
        "configs/create",
      ],
      [
        "insufficient points",
        async () => {
          h.sim.world.state.pointsBalance = { [h.sim.seed.programSerialNumber]: 0 };
          try {
            return await handlerRun("ensure", identity("perm/C"), settings);
          } finally {
            h.sim.world.state.pointsBalance = {};
          }
        },
        /^fortiflex: error: FortiFlex entitlements\/vm\/create failed: HTTP 400, error code 1006: Insufficient points in program ELAVMS0000000518\.$/,
        "entitlements/vm/create",
      ],
      [
        "disabled configuration",
        async () => {
          const config = h.sim.world.state.configs.find((c) => keyOf(c.name) === "perm/Config")!;
          config.status = "DISABLED";
          try {
            return await handlerRun("ensure", identity("perm/D"), settings);
          } finally {
            config.status = "ACTIVE";
          }
        },
        /^fortiflex: error: FortiFlex entitlements\/vm\/create failed: HTTP 400, error code 1005: Configuration \d+ is disabled\.$/,
        "entitlements/vm/create",
      ],
    ];
    for (const [name, go, message, failingOp] of cases) {
      const res = await go();
      expect({ name, exitCode: res.exitCode, stderr: res.stderr.trim() }).toEqual({ name, exitCode: 1, stderr: expect.stringMatching(message) });
      expect({ name, lines: res.stderr.trim().split("\n").length, attempts: res.ops.filter((o) => o === failingOp).length }).toEqual({
        name,
        lines: 1,
        attempts: 1,
      });
    }
    expect(entitlementsOf("perm/")).toEqual([]);
  });
});

/** The same guarantees, end to end through real terraform and the local providers. */
describeWithTerraform("security and isolation under terraform", () => {
  beforeAll(async () => {
    h = await startHarness();
    handler = handlerBundle().path;
  });
  afterAll(async () => h.close());
  test("secrets: no password, access token or license token in synthesized files, terraform output or the request log", async () => {
    const dir = synthStack("secrets", customer("secrets", 1525960), path.join(h.tmp, "secrets-out"));
    const tf = new Terraform(dir, env());
    await tf.init();
    await tf.apply();
    const [fw] = entitlementsOf("secrets/");
    h.sim.world.useToken(fw.token);
    await tf.plan();
    await tf.apply();
    await tf.destroy();

    const secrets = [h.sim.seed.password, ...h.sim.issuedTokens(), fw.token, ...h.sim.world.state.entitlements.map((e) => e.token)].filter(Boolean);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    // Terraform state holds the token (a sensitive value, as any Terraform state does): it lives outside the stack directory.
    const files = fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name !== "tfplan")
      .map((f) => path.join(f.parentPath, f.name));
    const texts: [string, string][] = [
      ...files.map((f): [string, string] => [f, fs.readFileSync(f, "utf8")]),
      // `terraform show -json` of a saved plan prints sensitive values by design; the workflow keeps only plan text.
      ...tf.transcript.filter((t) => !t.command.startsWith("show -json")).map((t): [string, string] => [`terraform ${t.command}`, t.output]),
      ["simulator request log", JSON.stringify(h.sim.requests)],
    ];
    expect(tf.transcript.map((t) => t.output).join("\n")).toMatch(/fortiflex: entitlement secrets\/Fw: created/);
    const leaks = texts.flatMap(([where, text]) => secrets.filter((s) => text.includes(s)).map((s) => `${where} contains ${s.slice(0, 4)}...`));
    expect(leaks).toEqual([]);
  });

  test("user text is data: template syntax in a name, description and folder arrives in FortiFlex exactly as typed", async () => {
    const name = "edge ${path.cwd} 50%{ discount";
    const description = '${file("/proc/self/environ")} %{ if true }x%{ endif } $${kept}';
    const folderPath = "My Assets/${var.x}";
    const dir = synthTerraformStack(
      "templates",
      (stack) => {
        const config = simulatorConfiguration(stack, h.sim, { accountId: 1525961, name });
        const e = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description, folderPath });
        new TerraformOutput(stack, "description", { value: e.description });
      },
      path.join(h.tmp, "templates-out"),
    );
    const tf = new Terraform(dir, env());
    await tf.init();
    const plan = await tf.plan();
    await tf.apply();
    const [fw] = entitlementsOf("templates/");
    expect(fw.description).toMatch(/^\$\{file\("\/proc\/self\/environ"\)\} %\{ if true \}x%\{ endif \} \$\$\{kept\} \[ffx:templates\/Fw@[0-9a-f]{8}\]$/);
    expect(fw.folderPath).toBe(folderPath);
    expect(h.sim.world.state.configs.find((c) => keyOf(c.name) === "templates/Config")?.name).toMatch(/^edge \$\{path\.cwd\} 50%\{ discount \[ffx:/);
    expect((await tf.outputs()).description.value).toBe(description);
    const everything = tf.transcript.map((t) => t.output).join("\n") + plan.text;
    expect(everything).not.toContain(h.sim.seed.password);
    expect(everything).not.toContain(process.cwd());
    // A second plan is quiet: what FortiFlex holds is what the code says.
    expect((await tf.plan()).text).toMatch(/No changes\./);
  });

  test("tenant isolation: another account's key, another tenant's credentials", async () => {
    const dirA = synthStack("tenant-a", customer("a", 1525961), path.join(h.tmp, "iso-a"));
    const a = new Terraform(dirA, env());
    await a.init();
    await a.apply();
    const [mine] = entitlementsOf("tenant-a/");
    expect(mine.status).toBe("ACTIVE");

    // The same key, but the stack says another member account: the handler does not see (or stop) it.
    const identity = {
      kind: "entitlement",
      key: "tenant-a/Fw",
      program_serial_number: h.sim.seed.programSerialNumber,
      account_id: "1525962",
      api_url: h.sim.apiUrl,
      auth_url: h.sim.authUrl,
    };
    const wrongAccount = await run(process.execPath, [handler, "destroy"], h.tmp, { ...env(), FORTIFLEX_IDENTITY: JSON.stringify(identity) });
    expect(wrongAccount.stdout).toBe("fortiflex: entitlement tenant-a/Fw: not found, nothing to stop\n");
    // Another tenant's credentials cannot even see the account.
    const otherTenant = await run(process.execPath, [handler, "destroy"], h.tmp, {
      ...env(h.sim.seed.otherTenant),
      FORTIFLEX_IDENTITY: JSON.stringify({ ...identity, account_id: "1525961" }),
    });
    expect(otherTenant.exitCode).toBe(1);
    expect(otherTenant.stderr).toMatch(/^fortiflex: error: FortiFlex entitlements\/list failed: HTTP 400, error code 1004: Account 1525961 not found\.\n$/);
    const read = await run(
      process.execPath,
      [handler, "read"],
      h.tmp,
      env(h.sim.seed.otherTenant),
      JSON.stringify({ identity: JSON.stringify({ ...identity, account_id: "1525961" }) }),
    );
    expect(read.exitCode).toBe(1);
    expect(read.stdout).toBe("");
    expect(h.sim.world.state.entitlements.find((e) => e.serialNumber === mine.serialNumber)?.status).toBe("ACTIVE");
  });

  test("destroying one customer's stack leaves every other customer's entitlements alone", async () => {
    const one = new Terraform(synthStack("cust-one", customer("one", 1525960), path.join(h.tmp, "d1")), env());
    const two = new Terraform(synthStack("cust-two", customer("two", 1525961), path.join(h.tmp, "d2")), env());
    await Promise.all([one.init(), two.init()]);
    await Promise.all([one.apply(), two.apply()]);
    await one.destroy();
    expect(entitlementsOf("cust-one/").map((e) => e.status)).toEqual(["STOPPED"]);
    expect(entitlementsOf("cust-two/").map((e) => e.status)).toEqual(["ACTIVE"]);
    expect(h.sim.world.state.configs.filter((c) => keyOf(c.name)?.startsWith("cust-two/")).map((c) => c.status)).toEqual(["ACTIVE"]);
    // Destroy never leaves an entitlement charging, whatever state it was in (PENDING included).
    const pending = new Terraform(
      synthTerraformStack(
        "cust-three",
        (stack) => {
          const config = simulatorConfiguration(stack, h.sim, { accountId: 1525962 });
          new FortiFlexVmEntitlement(stack, "Fw", { configuration: config });
        },
        path.join(h.tmp, "d3"),
      ),
      env(),
    );
    await pending.init();
    await pending.apply();
    expect(entitlementsOf("cust-three/").map((e) => e.status)).toEqual(["PENDING"]);
    await pending.destroy();
    expect(entitlementsOf("cust-three/").map((e) => e.status)).toEqual(["STOPPED"]);
  });
});
