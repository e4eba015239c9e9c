import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import * as YAML from "yaml";
import {
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiFlexVmEntitlement,
  FortiGateServicePackage,
  LifecycleResourceType,
  type FortiFlexEndpoints,
} from "../../constructs";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import { FortiFlexClient } from "../../custom-provider/fortiflex-client";
import { NonFortinetHostError } from "../../custom-provider/errors";
import * as transport from "../../custom-provider/http-transport";
import { activeEntitlements, calcPricer, pointsDelta, type PricedConfiguration } from "../../gitops/points-delta";
import { summarizePlan, type PlanJson } from "../../gitops/plan-summary";
import { runProcess } from "../../local-providers/run-process";
import { READ_OPERATIONS } from "../../contract/api-operations";
import { DEFAULT_API_URL, DEFAULT_AUTH_URL, nonFortinetHostProblem } from "../../contract/endpoints";
import { keyOf } from "../../contract/object-key";
import { CustomerStack } from "../../stacks/customer-stack";
import { loadCustomersFile, parseCustomers, type Customer } from "../../stacks/customers-file";
import { FortiFlexSimulator } from "../../simulator/fortiflex-simulator";
import { runCliCaptured } from "../helpers/cli-run";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { synthTerraformStack } from "../helpers/synth";
import { describeWithTerraform, Terraform } from "../helpers/terraform";
import { joinedRegExp } from "../helpers/joined-regexp";

/**
 * Issue 22, item 4: identity and credentials follow the code, never a stray variable. Synth takes endpoints
 * from the code only (a stray FORTIFLEX_API_URL changes no byte, and synth says so); the credentials go only
 * to Fortinet's documented hosts or loopback unless the code opts in; an endpoint change of a running stack
 * fails its plan unless the code allows it; and stacks on Fortinet's endpoints keep every address and trigger.
 */
const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = "ELAVMS0000000518";
const FOREIGN = { apiUrl: "https://fortiflex.invalid/ES/api/fortiflex/v2/", authUrl: "https://fortiflex.invalid/api/v1/oauth/token/" };
const CREDENTIALS = { FORTIFLEX_ACCESS_USERNAME: "u", FORTIFLEX_ACCESS_PASSWORD: "p" };
/** Tests that start node processes (a synth takes seconds; several times that on a busy machine). */
const SLOW = 180_000;

type Block = Record<string, unknown> & { provisioner?: { "local-exec": { environment: Record<string, string> } }[]; query?: Record<string, string> };
type Synth = { resource: Record<string, Record<string, Block>>; data?: Record<string, Record<string, Block>> };

const fortiflexStack =
  (name: string, endpoints?: FortiFlexEndpoints, extra: { detectDrift?: boolean; outputs?: boolean } = {}) =>
  (stack: TerraformStack) => {
    const config = new FortiFlexConfiguration(stack, "Config", {
      programSerialNumber: PROGRAM,
      accountId: 1525960,
      name,
      product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
      endpoints,
      detectDrift: extra.detectDrift,
    });
    const fw = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: name });
    if (extra.outputs !== false) new TerraformOutput(stack, "serial", { value: fw.serialNumber });
  };
const synthJson = (build: (stack: TerraformStack) => void, name = "acme"): Synth => {
  const stack = new TerraformStack(Testing.app(), name);
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Synth;
};
/** Every opt-in a synthesized stack hands the handler: each step's environment, each data source's query. */
const optIns = (s: Synth) => [
  ...Object.values(s.resource)
    .flatMap((blocks) => Object.values(blocks))
    .flatMap((b) => (b.provisioner ?? []).map((p) => p["local-exec"].environment.FORTIFLEX_ALLOW_NON_FORTINET_HOST)),
  ...Object.values(s.data ?? {})
    .flatMap((blocks) => Object.values(blocks))
    .map((b) => b.query?.allow_non_fortinet_host),
];

/** Captures what synth writes on stderr while `run` runs. */
function stderrOf(run: () => void): string {
  let text = "";
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((text += String(chunk)), true));
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return text;
}

function withEnv<T>(vars: Record<string, string>, run: () => T): T {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe("synth takes endpoints from the code only", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-endpoints-"));
  /** `npm run synth`'s bundle (on CDKTF, as `npm run synth` runs it), built inside the checkout (its packages resolve from the project's node_modules). */
  const mainBundle = path.join(ROOT, "dist", `endpoint-trust-${process.pid}`, "main.js");
  const STRAY = { FORTIFLEX_API_URL: "http://127.0.0.1:9/ES/api/fortiflex/v2/", FORTIFLEX_AUTH_URL: "http://127.0.0.1:9/api/v1/oauth/token/" };

  beforeAll(async () => {
    const build = await runProcess(
      "npm",
      ["run", "--silent", "build:main", "--", `--outfile=${mainBundle}`],
      ROOT,
      { HOME: process.env.HOME ?? tmp },
      undefined,
      120_000,
    );
    expect(build).toEqual(expect.objectContaining({ exitCode: 0, stderr: "" }));
    fs.copyFileSync(path.join(ROOT, "stacks", "customers.yaml"), path.join(tmp, "customers.yaml"));
  }, SLOW);
  afterAll(() => {
    fs.rmSync(path.dirname(mainBundle), { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const stacksOf = (out: string) =>
    Object.fromEntries(
      fs
        .readdirSync(path.join(out, "stacks"))
        .sort()
        .map((s) => [s, fs.readFileSync(path.join(out, "stacks", s, "cdk.tf.json"), "utf8")]),
    );

  test(
    "a stray FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL at synth changes no byte of any stack, and synth says so once per stack (npm run synth's bundle)",
    async () => {
      const synth = (env: Record<string, string>) =>
        runProcess(process.execPath, [mainBundle], tmp, { FORTIFLEX_CUSTOMERS_FILE: "customers.yaml", ...env }, undefined, 120_000);
      const clean = await synth({});
      expect(clean).toEqual(expect.objectContaining({ exitCode: 0, stderr: "" }));
      const before = stacksOf(path.join(tmp, "cdktf.out"));
      expect(Object.keys(before)).toEqual(["contoso", "fabrikam", "northwind", "woodgrove"]);

      const stray = await synth(STRAY);
      expect(stray.exitCode).toBe(0);
      expect(stacksOf(path.join(tmp, "cdktf.out"))).toEqual(before);
      const warnings = stray.stderr.trim().split("\n");
      expect(warnings).toHaveLength(4);
      for (const [i, stack] of ["contoso", "fabrikam", "northwind", "woodgrove"].entries()) {
        expect(warnings[i]).toBe(
          `fortiflex: warning: stack ${stack}: FORTIFLEX_API_URL="${STRAY.FORTIFLEX_API_URL}" and ` +
            `FORTIFLEX_AUTH_URL="${STRAY.FORTIFLEX_AUTH_URL}" is set, but the stack declares ${DEFAULT_API_URL}, ` +
            `${DEFAULT_AUTH_URL}; ` +
            "synth takes endpoints from the code only (the constructs' endpoints prop, the customers file's fortiflex.endpoints), so the variable is not used",
        );
      }
      // The variable equal to what the stacks declare: nothing to say.
      expect(await synth({ FORTIFLEX_API_URL: DEFAULT_API_URL })).toEqual(expect.objectContaining({ exitCode: 0, stderr: "" }));
    },
    SLOW,
  );

  test(
    "cdktf synth shows the warning too",
    async () => {
      const dir = path.join(tmp, "cdktf-cli");
      fs.mkdirSync(dir, { recursive: true });
      const app = [process.execPath, mainBundle].map((a) => JSON.stringify(a)).join(" ");
      fs.writeFileSync(
        path.join(dir, "cdktf.json"),
        JSON.stringify({ language: "typescript", app, sendCrashReports: "false", terraformProviders: [], terraformModules: [], context: {} }),
      );
      const env = {
        HOME: dir,
        CHECKPOINT_DISABLE: "1",
        FORTIFLEX_CUSTOMERS_FILE: path.join(tmp, "customers.yaml"),
        FORTIFLEX_CUSTOMERS: "contoso",
        FORTIFLEX_API_URL: STRAY.FORTIFLEX_API_URL,
      };
      const res = await runProcess(path.join(ROOT, "node_modules", ".bin", "cdktf"), ["synth"], dir, env, undefined, 120_000);
      expect(res.exitCode).toBe(0);
      const output = (res.stdout + res.stderr).replace(/\s+/g, " ");
      expect(output).toContain(
        `fortiflex: warning: stack contoso: FORTIFLEX_API_URL="${STRAY.FORTIFLEX_API_URL}" is set, but the ` +
          `stack declares ${DEFAULT_API_URL}; synth takes endpoints from the code only`,
      );
      expect(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "contoso", "cdk.tf.json"), "utf8")).not.toContain("127.0.0.1");
    },
    SLOW,
  );

  test("constructs: the environment is never read, and each stack says so once, naming what it declares", () => {
    let stacks: Synth[] = [];
    const text = stderrOf(() =>
      withEnv({ FORTIFLEX_AUTH_URL: "http://127.0.0.1:9/api/v1/oauth/token/" }, () => {
        const app = Testing.app();
        const a = new TerraformStack(app, "alpha");
        fortiflexStack("alpha")(a);
        fortiflexStack("alpha2", undefined, {})(new TerraformStack(app, "beta"));
        // A stack whose code names the same endpoint as the variable has nothing to be told.
        const local = new TerraformStack(app, "gamma");
        fortiflexStack("gamma", { apiUrl: "http://127.0.0.1:9/ES/api/fortiflex/v2/", authUrl: "http://127.0.0.1:9/api/v1/oauth/token/" })(local);
        stacks = [a, local].map((s) => JSON.parse(Testing.synth(s)) as Synth);
        Testing.synth(app.node.findChild("beta") as TerraformStack);
      }),
    );
    expect(text.trim().split("\n")).toEqual([
      `fortiflex: warning: stack alpha: FORTIFLEX_AUTH_URL="http://127.0.0.1:9/api/v1/oauth/token/" is ` +
        `set, but the stack declares ${DEFAULT_AUTH_URL}; synth takes endpoints from the code only (the ` +
        `constructs' endpoints prop, the customers file's fortiflex.endpoints), so the variable is not used`,
      expect.stringMatching(/^fortiflex: warning: stack beta: FORTIFLEX_AUTH_URL=/),
    ]);
    expect(JSON.stringify(stacks[0])).not.toContain("127.0.0.1");
  });

  test("the customers file's fortiflex.endpoints: checked like the constructs', allowed in defaults; CustomerStack's endpoints option wins", () => {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "stacks", "customers.yaml"), "utf8")) as {
      defaults: { fortiflex: Record<string, unknown> };
      customers: { fortiflex: Record<string, unknown> }[];
    };
    const local = (port: number) => ({ apiUrl: `http://127.0.0.1:${port}/ES/api/fortiflex/v2/`, authUrl: `http://127.0.0.1:${port}/api/v1/oauth/token/` });
    const withEndpoints = (defaults: unknown, first?: unknown) => {
      const d = structuredClone(doc);
      if (defaults) d.defaults.fortiflex.endpoints = defaults;
      if (first) d.customers[0].fortiflex.endpoints = first;
      return d;
    };
    const customers = parseCustomers(withEndpoints(local(4000), local(4001)), "customers.yaml");
    expect(customers.map((c) => c.fortiflex.endpoints)).toEqual([local(4001), local(4000), local(4000), local(4000)]);
    const json = (stack: TerraformStack) => Testing.synth(stack);
    const stackOf = (customer: Customer) => new CustomerStack(Testing.app(), customer.id, { customer });
    expect(json(stackOf(customers[0]))).toContain("http://127.0.0.1:4001/ES/api/fortiflex/v2/");
    const overridden = json(new CustomerStack(Testing.app(), customers[0].id, { customer: customers[0], endpoints: local(4002) }));
    expect(overridden).toContain("http://127.0.0.1:4002/ES/api/fortiflex/v2/");
    expect(overridden).not.toContain(":4001/");

    expect(() => parseCustomers(withEndpoints(undefined, FOREIGN), "customers.yaml")).toThrow(
      'customer "contoso" (customers[0]): fortiflex.endpoints.apiUrl = ' +
        '"https://fortiflex.invalid/ES/api/fortiflex/v2/": https://fortiflex.invalid is neither Fortinet\'s ' +
        "FortiFlex API (https://support.fortinet.com) nor loopback (127.0.0.0/8, ::1, localhost); the " +
        "FortiFlex credentials go to another host only with allowNonFortinetHost: true",
    );
    expect(() => parseCustomers(withEndpoints({ ...local(4000), apiUrl: "http://10.0.0.1/ES/api/fortiflex/v2/" }), "customers.yaml")).toThrow(
      /fortiflex\.endpoints\.apiUrl = "http:\/\/10\.0\.0\.1\/ES\/api\/fortiflex\/v2\/" \(from defaults\): http to 10\.0\.0\.1; an https URL/,
    );
    expect(() => parseCustomers(withEndpoints({ ...local(4000), allowAnyHost: true }), "customers.yaml")).toThrow(
      /fortiflex\.endpoints \(from defaults\): unknown field "allowAnyHost" \(allowed here: apiUrl, authUrl, /,
    );
    expect(() => parseCustomers(withEndpoints({ apiUrl: DEFAULT_API_URL }), "customers.yaml")).toThrow(
      /fortiflex\.endpoints\.authUrl: required: the FortiCloud token URL/,
    );
    // The file alone cannot send the credentials elsewhere: the code (the maintainers') has to allow it.
    const foreign = parseCustomers(withEndpoints({ ...FOREIGN, allowNonFortinetHost: true }), "customers.yaml");
    expect(() => stackOf(foreign[1])).toThrow(
      joinedRegExp(
        /^fabrikam: invalid fortiflex\.endpoints\.allowNonFortinetHost true: /,
        /the customers file cannot send the FortiFlex credentials .*allowNonFortinetHostInCustomersFile: true/,
      ),
    );
    const allowed = new CustomerStack(Testing.app(), foreign[1].id, { customer: foreign[1], allowNonFortinetHostInCustomersFile: true });
    expect(new Set(optIns(JSON.parse(json(allowed))))).toEqual(new Set(["true"]));
    expect(new Set(optIns(JSON.parse(json(stackOf(loadCustomersFile(path.join(ROOT, "stacks", "customers.yaml"))[1])))))).toEqual(new Set(["false"]));
  });
});

describe("the credentials go only to Fortinet's FortiFlex hosts or loopback, unless the code opts in", () => {
  let post: jest.SpyInstance;
  /** Answers as FortiCloud and FortiFlex would, without any network: what was sent is in post.mock.calls. */
  const answer = async (url: string) => ({
    status: 200,
    headers: {},
    body: JSON.stringify(
      url.includes("/oauth/token/")
        ? { access_token: "tok", expires_in: 3600 }
        : { status: 0, message: "ok", programs: [{ serialNumber: PROGRAM, accountId: 1 }], configs: { current: 3.5, latest: null, latestEffectiveDate: null } },
    ),
  });
  beforeEach(() => (post = jest.spyOn(transport, "post").mockImplementation(answer)));
  afterEach(() => post.mockRestore());

  test("the one host check: Fortinet's documented host for each endpoint (https, default port) or loopback", () => {
    for (const url of [
      DEFAULT_API_URL,
      "http://127.0.0.1:4000/ES/api/fortiflex/v2/",
      "https://127.8.9.10/ES/api/fortiflex/v2/",
      "http://[::1]:4000/ES/api/fortiflex/v2/",
      "http://localhost/ES/api/fortiflex/v2/",
    ]) {
      expect({ url, problem: nonFortinetHostProblem("api", url) }).toEqual({ url, problem: undefined });
    }
    expect(nonFortinetHostProblem("auth", DEFAULT_AUTH_URL)).toBeUndefined();
    for (const [which, url] of [
      ["api", "https://customerapiauth.fortinet.com/ES/api/fortiflex/v2/"],
      ["auth", "https://support.fortinet.com/api/v1/oauth/token/"],
      ["api", "https://support.fortinet.com:8443/ES/api/fortiflex/v2/"],
      ["api", "http://support.fortinet.com/ES/api/fortiflex/v2/"],
      ["api", "https://support.fortinet.com.invalid/ES/api/fortiflex/v2/"],
      ["api", "https://127.0.0.1.invalid/ES/api/fortiflex/v2/"],
      ["api", "https://10.0.0.1/ES/api/fortiflex/v2/"],
    ] as const) {
      expect({ url, problem: nonFortinetHostProblem(which, url) }).toEqual({
        url,
        problem: expect.stringMatching(
          joinedRegExp(
            / is neither Fortinet's FortiFlex (API|token endpoint) \(https:\/\/(support|customerapiauth)\.fortinet\.com\) nor loopback /,
            /\(127\.0\.0\.0\/8, ::1, localhost\)$/,
          ),
        ),
      });
    }
  });

  test(
    "synth refuses another host without endpoints.allowNonFortinetHost, naming construct, field, value " +
      "and what is allowed; with it, every step and data source carries the opt-in",
    () => {
      expect(() => synthJson(fortiflexStack("acme", FOREIGN))).toThrow(
        'acme/Config: invalid endpoints.apiUrl "https://fortiflex.invalid/ES/api/fortiflex/v2/": ' +
          "https://fortiflex.invalid is neither Fortinet's FortiFlex API (https://support.fortinet.com) nor " +
          "loopback (127.0.0.0/8, ::1, localhost); the FortiFlex credentials go to another host only with " +
          "endpoints.allowNonFortinetHost: true",
      );
      expect(() => synthJson(fortiflexStack("acme", { authUrl: "https://customerapiauth.fortinet.com:444/api/v1/oauth/token/" }))).toThrow(
        joinedRegExp(
          /acme\/Config: invalid endpoints\.authUrl "https:\/\/customerapiauth\.fortinet\.com:444\/api\/v1\/oauth\/token\/": /,
          /https:\/\/customerapiauth\.fortinet\.com:444 is neither/,
        ),
      );
      expect(() => synthJson(fortiflexStack("acme", { ...FOREIGN, allowNonFortinetHost: "yes" as never }))).toThrow(
        'acme/Config: invalid endpoints.allowNonFortinetHost "yes": true or false',
      );
      expect(() =>
        synthJson((stack) =>
          FortiFlexVmEntitlement.fromSerialNumber(stack, "Other", { serialNumber: "FGVMELTM25008315", programSerialNumber: PROGRAM, endpoints: FOREIGN }),
        ),
      ).toThrow(/acme\/Other: invalid endpoints\.apiUrl .*allowNonFortinetHost: true/);

      const opted = synthJson((stack) => {
        fortiflexStack("acme", { ...FOREIGN, allowNonFortinetHost: true })(stack);
        const other = FortiFlexVmEntitlement.fromSerialNumber(stack, "Other", {
          serialNumber: "FGVMELTM25008315",
          programSerialNumber: PROGRAM,
          endpoints: { ...FOREIGN, allowNonFortinetHost: true },
        });
        new TerraformOutput(stack, "other", { value: other.status });
      });
      const all = optIns(opted);
      // Lifecycle (2) and Settings per object, stop-all, reconcile (2); observe, state reads, the read of the other entitlement.
      expect(all.length).toBeGreaterThan(10);
      expect(new Set(all)).toEqual(new Set(["true"]));
      expect(new Set(optIns(synthJson(fortiflexStack("acme"))))).toEqual(new Set(["false"]));
    },
  );

  test("the client refuses to authenticate or send a token to another host unless its options opt in; nothing is sent", async () => {
    const client = (endpoints: { apiUrl: string; authUrl: string }, allowNonFortinetHost?: boolean) =>
      new FortiFlexClient({ ...endpoints, credentials: { username: "u", password: "p" }, tokenCacheDir: false, allowNonFortinetHost });
    await expect(client(FOREIGN).listPrograms()).rejects.toThrow(
      new NonFortinetHostError(FOREIGN.apiUrl, nonFortinetHostProblem("api", FOREIGN.apiUrl)!).message,
    );
    // Fortinet's API with a foreign token endpoint: the credentials would go there first.
    await expect(client({ apiUrl: DEFAULT_API_URL, authUrl: FOREIGN.authUrl }).listPrograms()).rejects.toThrow(
      joinedRegExp(
        /refusing to send the FortiFlex credentials or access token to "https:\/\/fortiflex\.invalid\/api\/v1\/oauth\/token\/": /,
        /https:\/\/fortiflex\.invalid is neither Fortinet's FortiFlex token endpoint/,
      ),
    );
    // A token already held is not sent to a foreign API either.
    await expect(client({ apiUrl: FOREIGN.apiUrl, authUrl: DEFAULT_AUTH_URL }).listPrograms()).rejects.toThrow(NonFortinetHostError);
    expect(post).not.toHaveBeenCalled();

    expect(await client(FOREIGN, true).listPrograms()).toEqual([{ serialNumber: PROGRAM, accountId: 1 }]);
    expect(post.mock.calls.map(([url, , options]) => [url, (options as transport.PostOptions).headers.Authorization ?? "no token"])).toEqual([
      [FOREIGN.authUrl, "no token"],
      [`${FOREIGN.apiUrl}programs/list`, "Bearer tok"],
    ]);
    // From the environment, the opt-in can only come from the caller, never from a variable.
    const fromEnv = FortiFlexClient.fromEnv(
      {
        ...CREDENTIALS,
        FORTIFLEX_API_URL: FOREIGN.apiUrl,
        FORTIFLEX_AUTH_URL: FOREIGN.authUrl,
        FORTIFLEX_ALLOW_NON_FORTINET_HOST: "true",
        FORTIFLEX_TOKEN_CACHE_DIR: "",
      },
      { tokenCacheDir: false },
    );
    await expect(fromEnv.listPrograms()).rejects.toThrow(NonFortinetHostError);
  });

  test("the CLI refuses another host without --allow-non-fortinet-host, and sends nothing", async () => {
    const cli = async (argv: string[]) => {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-cli-cache-"));
      try {
        return await runCliCaptured(argv, {
          ...CREDENTIALS,
          FORTIFLEX_API_URL: FOREIGN.apiUrl,
          FORTIFLEX_AUTH_URL: FOREIGN.authUrl,
          FORTIFLEX_TOKEN_CACHE_DIR: cache,
        });
      } finally {
        fs.rmSync(cache, { recursive: true, force: true });
      }
    };
    expect(await cli(["programs", "-f", "csv"])).toEqual({
      code: 2,
      out: "",
      err:
        `fortiflex: FORTIFLEX_API_URL is "${FOREIGN.apiUrl}": https://fortiflex.invalid is neither ` +
        `Fortinet's FortiFlex API (https://support.fortinet.com) nor loopback (127.0.0.0/8, ::1, localhost); ` +
        `the FortiFlex credentials are sent there only with --allow-non-fortinet-host\n`,
    });
    expect(post).not.toHaveBeenCalled();
    expect(await cli(["--allow-non-fortinet-host", "programs", "-f", "csv"])).toEqual(
      expect.objectContaining({ code: 0, out: expect.stringContaining(PROGRAM) }),
    );
    expect(await cli(["programs", "-f", "csv", "--allow-non-fortinet-host"])).toEqual(expect.objectContaining({ code: 0 }));
    expect(post.mock.calls.map(([url]) => url)).toEqual([FOREIGN.authUrl, `${FOREIGN.apiUrl}programs/list`, FOREIGN.authUrl, `${FOREIGN.apiUrl}programs/list`]);
  });

  test("points-delta opts in for exactly the stacks whose code does (read where the handler reads it)", async () => {
    const [plain] = activeEntitlements("acme", synthJson(fortiflexStack("acme")) as never);
    const [opted] = activeEntitlements("acme", synthJson(fortiflexStack("acme", { ...FOREIGN, allowNonFortinetHost: true })) as never);
    expect(plain.configuration).toEqual(expect.objectContaining({ apiUrl: DEFAULT_API_URL, allowNonFortinetHost: false }));
    expect(opted.configuration).toEqual(expect.objectContaining({ apiUrl: FOREIGN.apiUrl, allowNonFortinetHost: true }));

    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-points-cache-"));
    const pricer = () => calcPricer({ ...CREDENTIALS, FORTIFLEX_TOKEN_CACHE_DIR: cache });
    const configuration: PricedConfiguration = { ...opted.configuration, allowNonFortinetHost: false };
    await expect(pricer().price(configuration)).rejects.toThrow(NonFortinetHostError);
    expect(post).not.toHaveBeenCalled();
    expect(await pricer().price(opted.configuration)).toBe(3.5);
    expect(post.mock.calls.map(([url]) => url)).toEqual([FOREIGN.authUrl, `${FOREIGN.apiUrl}tools/calc`]);
    fs.rmSync(cache, { recursive: true, force: true });
  });

  test("a pull request cannot opt the review's points job in to its own host: the head's opt-in counts only where the base had it", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-points-optin-"));
    const write = (side: string, optIn: boolean | undefined) => {
      const json = optIn === undefined ? synthJson(fortiflexStack("acme")) : synthJson(fortiflexStack("acme", { ...FOREIGN, allowNonFortinetHost: optIn }));
      fs.mkdirSync(path.join(out, side, "stacks", "acme"), { recursive: true });
      fs.writeFileSync(path.join(out, side, "stacks", "acme", "cdk.tf.json"), JSON.stringify(json));
      return path.join(out, side);
    };
    const priced: PricedConfiguration[] = [];
    const price = async (c: PricedConfiguration) => (priced.push(c), 1);
    await pointsDelta(write("base", undefined), write("head", true), price);
    expect(priced.map((c) => [c.apiUrl, c.allowNonFortinetHost])).toEqual([
      [DEFAULT_API_URL, false],
      [FOREIGN.apiUrl, false],
    ]);
    priced.length = 0;
    await pointsDelta(write("base-opted", true), write("head-opted", true), price);
    expect(priced.map((c) => [c.apiUrl, c.allowNonFortinetHost])).toEqual([
      [FOREIGN.apiUrl, true],
      [FOREIGN.apiUrl, true],
    ]);
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe("the handler takes endpoints and the opt-in from the synthesized code only", () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(async () => h.close());
  const handler = (command: string, env: Record<string, string>, stdin?: string) =>
    runProcess(
      process.execPath,
      [handlerBundle().path, command],
      h.tmp,
      { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, "cache"), ...env },
      stdin,
    );
  const identity = (endpoints: { api_url?: string; auth_url?: string }) =>
    JSON.stringify({ kind: "entitlement", key: "acme/Fw", program_serial_number: h.sim.seed.programSerialNumber, account_id: "", ...endpoints });
  const foreign = { api_url: FOREIGN.apiUrl, auth_url: FOREIGN.authUrl };
  const refused = joinedRegExp(
    /^fortiflex: error: refusing to send the FortiFlex credentials or access token to /,
    /"https:\/\/fortiflex\.invalid\/ES\/api\/fortiflex\/v2\/": .*--allow-non-fortinet-host\)\n$/,
  );

  test("a step refuses another host unless its own environment opts in", async () => {
    const res = await handler("destroy", { FORTIFLEX_IDENTITY: identity(foreign), FORTIFLEX_ALLOW_NON_FORTINET_HOST: "false" });
    expect(res).toEqual(expect.objectContaining({ exitCode: 1, stderr: expect.stringMatching(refused) }));
  });

  test("a data source refuses another host unless its query opts in: FORTIFLEX_ALLOW_NON_FORTINET_HOST in its environment does not count", async () => {
    const res = await handler(
      "read",
      { FORTIFLEX_ALLOW_NON_FORTINET_HOST: "true" },
      JSON.stringify({ identity: identity(foreign), allow_non_fortinet_host: "false" }),
    );
    expect(res).toEqual(expect.objectContaining({ exitCode: 1, stderr: expect.stringMatching(refused) }));
    const without = await handler("read", { FORTIFLEX_ALLOW_NON_FORTINET_HOST: "true" }, JSON.stringify({ identity: identity(foreign) }));
    expect(without).toEqual(expect.objectContaining({ exitCode: 1, stderr: expect.stringMatching(refused) }));
  });

  test("an identity without endpoints is refused, not completed from FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL", async () => {
    const before = h.sim.requests.length;
    const res = await handler("read", {}, JSON.stringify({ identity: identity({}), allow_non_fortinet_host: "false" }));
    expect(res).toEqual(
      expect.objectContaining({ exitCode: 1, stderr: "fortiflex: error: the synthesized identity names no FortiFlex endpoints (api_url, auth_url)\n" }),
    );
    expect(h.sim.requests.length).toBe(before);
  });
});

describeWithTerraform("endpoints at plan time", () => {
  let a: FortiFlexSimulator;
  let b: FortiFlexSimulator;
  let tmp: string;
  beforeAll(async () => {
    a = await FortiFlexSimulator.start();
    // The same API user on both: only the endpoint tells them apart.
    b = await FortiFlexSimulator.start({ password: a.seed.password });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-endpoint-plan-"));
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const endpointsOf = (sim: FortiFlexSimulator) => ({ apiUrl: sim.apiUrl, authUrl: sim.authUrl });
  const writes = (sim: FortiFlexSimulator) => sim.requests.filter((r) => r.operation !== "auth" && !READ_OPERATIONS.has(r.operation));
  const synth = (name: string, endpoints: FortiFlexEndpoints, type = LifecycleResourceType.NULL_RESOURCE) =>
    synthTerraformStack(
      name,
      (stack) => {
        const config = new FortiFlexConfiguration(stack, "Config", {
          programSerialNumber: a.seed.programSerialNumber,
          accountId: a.seed.memberAccountIds[0],
          name,
          product: FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }),
          endpoints,
          lifecycleResource: type,
        });
        const fw = new FortiFlexVmEntitlement(stack, "Fw", { configuration: config, description: name });
        new TerraformOutput(stack, "serial", { value: fw.serialNumber });
      },
      tmp,
    );
  const terraform = async (dir: string, extra: Record<string, string> = {}) => {
    const tf = new Terraform(dir, { ...a.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(tmp, "cache"), ...extra });
    await tf.init();
    return tf;
  };
  const objectsOf = (sim: FortiFlexSimulator, name: string) => ({
    configs: sim.world.state.configs.filter((c) => keyOf(c.name)?.startsWith(`${name}/`)).map((c) => c.status),
    entitlements: sim.world.state.entitlements.filter((e) => keyOf(e.description)?.startsWith(`${name}/`)).map((e) => e.status),
  });
  const changeRefused = (text: string, name: string, from: FortiFlexSimulator, to: FortiFlexSimulator) =>
    expect(text.replace(/\s+/g, " ")).toContain(
      `Stack ${name} was applied with FortiFlex endpoints ${from.apiUrl} ${from.authUrl} and now declares ` +
        `${to.apiUrl} ${to.authUrl}. Applying that would stop every entitlement and disable every ` +
        `configuration of the stack at the old endpoints`,
    );

  test("a stray FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL at apply and plan reaches nothing: the stack's own endpoints are used", async () => {
    const dir = synth("moving", endpointsOf(a));
    const tf = await terraform(dir, { FORTIFLEX_API_URL: b.apiUrl, FORTIFLEX_AUTH_URL: b.authUrl });
    await tf.apply();
    expect((await tf.plan()).changes).toEqual({});
    expect(b.requests).toEqual([]);
    expect(objectsOf(a, "moving")).toEqual({ configs: ["ACTIVE"], entitlements: ["PENDING"] });
    expect(a.requests.map((r) => r.operation)).toEqual(
      expect.arrayContaining(["auth", "configs/create", "entitlements/vm/create", "configs/list", "entitlements/list"]),
    );
  });

  test(
    "an endpoint change of the running stack fails its plan, naming both, and nothing is stopped or " +
      "created; allowEndpointChange makes it go ahead, as the plan and its summary show",
    async () => {
      const dir = path.join(tmp, "stacks", "moving");
      const tf = new Terraform(dir, { ...a.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(tmp, "cache") });
      const writesBefore = [writes(a).length, writes(b).length];
      synth("moving", endpointsOf(b));
      const refused = await tf.run(["plan", "-input=false"], { allowFailure: true });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/Resource postcondition failed/);
      changeRefused(refused.stderr, "moving", a, b);
      const apply = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
      expect(apply.exitCode).toBe(1);
      expect([writes(a).length, writes(b).length]).toEqual(writesBefore);
      expect(objectsOf(a, "moving")).toEqual({ configs: ["ACTIVE"], entitlements: ["PENDING"] });
      expect(objectsOf(b, "moving")).toEqual({ configs: [], entitlements: [] });

      synth("moving", { ...endpointsOf(b), allowEndpointChange: true });
      const plan = await tf.plan();
      const replaced = Object.entries(plan.changes)
        .filter(([, actions]) => actions.join() === "delete,create")
        .map(([address]) => address.replace(/_[0-9A-F]{8}$/, ""))
        .sort();
      // The stop-all step of the scope is replaced too: its old instance stops what is left at the old endpoints.
      expect(replaced).toEqual([
        "null_resource.Config_Lifecycle",
        "null_resource.Config_Settings",
        "null_resource.FortiFlexRuntime_Reconcile[0]",
        `null_resource.FortiFlexRuntime_StopAllOnDestroy_${a.seed.programSerialNumber}_${a.seed.memberAccountIds[0]}`,
        "null_resource.Fw_Lifecycle",
        "null_resource.Fw_Settings",
      ]);
      const notes = summarizePlan("moving", plan.json as PlanJson).notes.join("\n");
      expect(notes).toContain(`**FortiFlex endpoints change** from ${a.apiUrl} ${a.authUrl} to ${b.apiUrl} ${b.authUrl}`);
      expect(notes).toMatch(/\*\*FortiFlex entitlement moving\/Fw stopped\/disabled\*\*/);
      expect(notes).toMatch(/\*\*FortiFlex config moving\/Config stopped\/disabled\*\*/);
      await tf.apply("tfplan");
      expect(objectsOf(a, "moving")).toEqual({ configs: ["DISABLED"], entitlements: ["STOPPED"] });
      expect(objectsOf(b, "moving")).toEqual({ configs: ["ACTIVE"], entitlements: ["PENDING"] });

      // The code no longer allows a change: the pin guards the new endpoints.
      synth("moving", endpointsOf(b));
      expect((await tf.plan()).changes).toEqual({});
      synth("moving", endpointsOf(a));
      changeRefused((await tf.run(["plan", "-input=false"], { allowFailure: true })).stderr, "moving", b, a);
    },
  );

  test("terraform_data steps: the same guard", async () => {
    const tf = await terraform(synth("moving-data", endpointsOf(a), LifecycleResourceType.TERRAFORM_DATA));
    await tf.apply();
    const writesBefore = writes(a).length;
    synth("moving-data", endpointsOf(b), LifecycleResourceType.TERRAFORM_DATA);
    const refused = await tf.run(["plan", "-input=false"], { allowFailure: true });
    expect(refused.exitCode).toBe(1);
    changeRefused(refused.stderr, "moving-data", a, b);
    expect(writes(a).length).toBe(writesBefore);
    expect(objectsOf(a, "moving-data")).toEqual({ configs: ["ACTIVE"], entitlements: ["PENDING"] });
  });

  test("Terraform's environment cannot supply the opt-in to a step", async () => {
    const dir = synthTerraformStack(
      "optin",
      (stack) => {
        fortiflexStack("optin", { ...FOREIGN, allowNonFortinetHost: true }, { detectDrift: false, outputs: false })(stack);
      },
      tmp,
    );
    // The code without the opt-in (every step and the scope's observation say "false"), Terraform run with it set.
    const file = path.join(dir, "cdk.tf.json");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replaceAll('"FORTIFLEX_ALLOW_NON_FORTINET_HOST": "true"', '"FORTIFLEX_ALLOW_NON_FORTINET_HOST": "false"')
        .replaceAll('"allow_non_fortinet_host": "true"', '"allow_non_fortinet_host": "false"'),
    );
    expect(fs.readFileSync(file, "utf8")).not.toMatch(/"(FORTIFLEX_ALLOW_NON_FORTINET_HOST|allow_non_fortinet_host)": "true"/);
    const tf = await terraform(dir, { FORTIFLEX_ALLOW_NON_FORTINET_HOST: "true" });
    const res = await tf.run(["apply", "-auto-approve", "-input=false"], { allowFailure: true });
    expect(res.exitCode).toBe(1);
    // The scope's observation refuses first, at plan time (Terraform wraps a data source's error, escaping quotes).
    const output = (res.stdout + res.stderr).replace(/\\"/g, '"').replace(/\s+/g, " ");
    expect(output).toMatch(/fortiflex: error: refusing to send the FortiFlex credentials or access token to "https:\/\/fortiflex\.invalid\//);
  });
});
