import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { AnswerSanitizer } from "../../cli/doctor/answer-sanitizer";
import { exampleValuesCheck } from "../../cli/doctor/example-values-check";
import { nodeVersionCheck } from "../../cli/doctor/node-version-check";
import { terraformVersionCheck } from "../../cli/doctor/terraform-version-check";
import { repositoryFleet } from "../../cli/repository-fleet";
import type { Customer } from "../../stacks/customers-file";
import type { Entitlement } from "../../contract/api-types";
import { runCliCaptured } from "../helpers/cli-run";
import { startHarness, type Harness } from "../helpers/simulator-harness";

/**
 * `fortiflex doctor` against the demo simulator, a stand-in `terraform` on PATH and a loopback stand-in for Azure's
 * blob endpoint: nothing leaves 127.0.0.1.
 */
let h: Harness;
let blob: http.Server;
/** What the stand-in blob endpoint answers, and the paths it was asked for. */
let blobAnswer = { status: 403, code: "AuthorizationFailure" };
const blobRequests: string[] = [];
let runs = 0;
const ROOT = path.join(__dirname, "..", "..");
const example = parseYaml(fs.readFileSync(path.join(ROOT, "stacks", "customers.yaml"), "utf8")) as {
  customers: { id: string; fortiflex: { accountId: number; programSerialNumber?: string; endpoints?: { apiUrl: string; authUrl: string } } }[];
};

/** Writes a customers file: the example's with the simulator as every customer's endpoints, changed by `change`. */
function customersFile(name: string, change: (file: typeof example) => void = () => undefined): string {
  const copy = structuredClone(example);
  for (const c of copy.customers) c.fortiflex.endpoints = { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl };
  change(copy);
  const file = path.join(h.tmp, `${name}.yaml`);
  fs.writeFileSync(file, toYaml(copy));
  return file;
}

/** A stand-in `terraform` printing `version`'s JSON. */
function terraformOnPath(version: string): string {
  const dir = path.join(h.tmp, `terraform-${version}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "terraform"), `#!/bin/sh\necho '{"terraform_version":"${version}","platform":"linux_amd64"}'\n`, { mode: 0o755 });
  return dir;
}

/** The simulator's environment, a fresh token cache (each run authenticates) and the stand-in terraform. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(h.tmp, `cache-${++runs}`), PATH: terraformOnPath("1.9.8"), ...extra };
}

const blobEndpoint = () => `http://127.0.0.1:${(blob.address() as AddressInfo).port}/{account}`;

async function doctor(args: string[], environment = env()) {
  const before = h.sim.requests.length;
  const run = await runCliCaptured(["doctor", "--blob-endpoint", blobEndpoint(), ...args], environment, { today: () => "2026-12-08", fleet: repositoryFleet });
  const lines = run.out.split("\n").filter((l) => /^\S/.test(l));
  return { ...run, lines, requests: h.sim.requests.slice(before) };
}

/** The line of `check` (the only one, or the one whose detail contains `about`). */
function line(lines: string[], check: string, about = ""): string {
  const found = lines.filter((l) => l.split(/\s+/)[1] === check && l.includes(about));
  expect(found).toHaveLength(1);
  return found[0];
}

beforeAll(async () => {
  h = await startHarness({ seed: "demo" });
  blob = http.createServer((req, res) => {
    blobRequests.push(`${req.method} ${req.url}`);
    res.writeHead(blobAnswer.status, { "x-ms-error-code": blobAnswer.code }).end();
  });
  await new Promise<void>((resolve) => blob.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => blob.close(() => resolve()));
  await h.close();
});

describe("fortiflex doctor", () => {
  test("a fleet whose programs and accounts exist: every check ok, exit 0, 10 requests", async () => {
    blobRequests.length = 0;
    const run = await doctor(["--customers", customersFile("ok")]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const port = new URL(h.sim.authUrl).host;
    expect(run.lines).toEqual([
      expect.stringMatching(new RegExp(`^(ok {4}|warn {2})node {12}Node\\.js ${process.versions.node}`)),
      "ok    terraform       Terraform 1.9.8 (linux_amd64); the library needs >= 1.4",
      expect.stringMatching(/^ok {4}customers-file  \S+ok\.yaml: 4 customer\(s\), valid$/),
      // The example's subscriptions and storage account stand for the user's own: said, not failed.
      "warn  customers-file  still the examples' values: example subscription ids (one repeated digit): contoso, fabrikam, northwind, woodgrove; " +
        'the example storage account msspterraformstate: northwind; replace them with your own (the fleet README, "What to fill in")',
      "ok    credentials     FORTIFLEX_ACCESS_USERNAME and FORTIFLEX_ACCESS_PASSWORD are set (values not shown)",
      `ok    endpoints       api ${h.sim.apiUrl}, auth ${h.sim.authUrl} (loopback: a simulator)`,
      `ok    authentication  token obtained from ${port}`,
      "ok    programs        ELAVMS0000000518 is visible to these credentials (contoso, fabrikam, northwind, woodgrove)",
      "ok    accounts        1525960 in ELAVMS0000000518 (contoso): 1 configuration(s), 1 entitlement(s)",
      "ok    accounts        1525961 in ELAVMS0000000518 (fabrikam): 1 configuration(s), 2 entitlement(s)",
      "ok    accounts        1525962 in ELAVMS0000000518 (northwind): 1 configuration(s), 1 entitlement(s)",
      "ok    accounts        1525963 in ELAVMS0000000518 (woodgrove): 2 configuration(s), 3 entitlement(s)",
      "ok    answer-shapes   9 answer(s) (programs: 1, configs: 5, entitlements: 7): every field the client reads is there, of its type",
      "ok    state-backend   local state in terraform-state/ for contoso, fabrikam, woodgrove " + "(not for CI: the GitOps workflows need backend.azurerm)",
      expect.stringMatching(
        /^ok {4}state-backend {3}msspterraformstate\/customers \(northwind\): 127\.0\.0\.1:\d+ answers and refuses anonymous access \(HTTP 403 Authorization/,
      ),
    ]);
    // The token, programs/list, and two lists for each of the 4 accounts; one anonymous HEAD of the one container.
    expect(run.requests.map((r) => r.operation)).toEqual(["auth", "programs/list", ...Array(8).fill(expect.stringMatching(/^(configs|entitlements)\/list$/))]);
    expect(blobRequests).toEqual(["HEAD /msspterraformstate/customers?restype=container"]);
    expect(run.out).not.toContain(h.sim.seed.password);
  });

  test("Node.js 20 is a warning naming its end of life; an older one than the engines fails", () => {
    expect(nodeVersionCheck("20.20.2", ">=20.9", "2026-12-08")).toEqual({
      check: "node",
      status: "warn",
      detail: "Node.js 20.20.2 works (>=20.9), but Node.js 20 reached its end of life on 2026-04-30: move to Node.js 22 or 24 (LTS)",
    });
    expect(nodeVersionCheck("20.20.2", ">=20.9", "2026-03-01").detail).toContain("reaches its end of life on 2026-04-30");
    expect(nodeVersionCheck("20.8.1", ">=20.9", "2026-12-08").status).toBe("FAIL");
    expect(nodeVersionCheck("22.11.0", ">=20.9", "2026-12-08")).toEqual({ check: "node", status: "ok", detail: "Node.js 22.11.0 (the package needs >=20.9)" });
  });

  test("terraform missing from PATH, or older than 1.4, fails", async () => {
    const empty = path.join(h.tmp, "empty-path");
    fs.mkdirSync(empty, { recursive: true });
    expect(await terraformVersionCheck({ PATH: empty })).toEqual({
      check: "terraform",
      status: "FAIL",
      detail: "terraform is not on PATH: install Terraform 1.4 or later",
    });
    expect((await terraformVersionCheck({ PATH: terraformOnPath("1.3.9") })).detail).toBe(
      "Terraform 1.3.9 is older than the library needs (>= 1.4): upgrade it",
    );
  });

  test("a wrong password: exit 1 with a line saying what to check; the checks that need a token are skipped", async () => {
    const run = await doctor(["--customers", customersFile("ok"), "--skip", "state-backend"], env({ FORTIFLEX_ACCESS_PASSWORD: "wrong" }));
    expect(run.code).toBe(1);
    expect(line(run.lines, "authentication")).toBe(
      `FAIL  authentication  authentication refused by ${new URL(h.sim.authUrl).host} (HTTP 401: Invalid credentials given.): ` +
        "check FORTIFLEX_ACCESS_PASSWORD (the API user's password) and FORTIFLEX_ACCESS_USERNAME (its id)",
    );
    for (const check of ["programs", "accounts", "answer-shapes"]) expect(line(run.lines, check)).toBe(`skip  ${check.padEnd(14)}  needs a token`);
    expect(line(run.lines, "state-backend")).toBe("skip  state-backend   (--skip)");
    expect(run.lines.filter((l) => l.startsWith("FAIL"))).toHaveLength(1);
    expect(run.err).toBe("fortiflex: doctor: 1 check(s) failed\n");
    expect(run.requests.map((r) => r.operation)).toEqual(["auth"]);
    expect(run.out).not.toContain("wrong");
  });

  test("no credentials: named, the rest skipped", async () => {
    const run = await doctor(
      ["--customers", customersFile("ok"), "--skip", "state-backend"],
      env({ FORTIFLEX_ACCESS_USERNAME: "", FORTIFLEX_ACCESS_PASSWORD: "" }),
    );
    expect(run.code).toBe(1);
    expect(line(run.lines, "credentials")).toBe(
      "FAIL  credentials     FORTIFLEX_ACCESS_USERNAME and FORTIFLEX_ACCESS_PASSWORD not set: the API user's id and password from FortiCloud IAM",
    );
    expect(line(run.lines, "authentication")).toBe("skip  authentication  needs credentials and usable endpoints");
    expect(run.requests).toHaveLength(0);
  });

  test("endpoints on another host: a failure without --allow-non-fortinet-host, a warning with it", async () => {
    const elsewhere = {
      FORTIFLEX_API_URL: "https://fortiflex.example.net/ES/api/fortiflex/v2/",
      FORTIFLEX_AUTH_URL: "https://fortiflex.example.net/api/v1/oauth/token/",
    };
    // --skip authentication: nothing is sent there.
    const args = ["doctor", "--customers", customersFile("ok"), "--skip", "authentication,state-backend,terraform"];
    const refused = await runCliCaptured(args, env(elsewhere), { fleet: repositoryFleet });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(
      /^FAIL {2}endpoints {7}FORTIFLEX_API_URL is "https:\/\/fortiflex\.example\.net\/ES\/api\/fortiflex\/v2\/": .*--allow-non-fortinet-host$/m,
    );
    const allowed = await runCliCaptured(["--allow-non-fortinet-host", ...args], env(elsewhere), { fleet: repositoryFleet });
    expect(allowed.out).toContain(
      `warn  endpoints       api ${elsewhere.FORTIFLEX_API_URL}, auth ${elsewhere.FORTIFLEX_AUTH_URL} ` +
        "(neither Fortinet's nor loopback, allowed by --allow-non-fortinet-host)\n",
    );
    expect(allowed.out).toContain("skip  programs        needs a token\n");
    expect(allowed.code).toBe(0);
  });

  test("an unknown program and an unknown account fail, naming them and the customers that use them", async () => {
    const file = customersFile("unknown", (f) => {
      f.customers[0].fortiflex.programSerialNumber = "ELAVMS0000009999";
      f.customers[1].fortiflex.accountId = 1525999;
    });
    const run = await doctor(["--customers", file, "--skip", "state-backend"]);
    expect(run.code).toBe(1);
    expect(line(run.lines, "programs", "ELAVMS0000009999")).toBe(
      "FAIL  programs        ELAVMS0000009999 is not a program these credentials see (they see ELAVMS0000000518); used by contoso: " +
        "check fortiflex.programSerialNumber, or the API user's account",
    );
    expect(line(run.lines, "programs", "is visible")).toMatch(/^ok .*ELAVMS0000000518 .*\(fabrikam, northwind, woodgrove\)$/);
    expect(line(run.lines, "accounts", "1525960")).toBe("skip  accounts        1525960 (contoso): needs its program ELAVMS0000009999, which is not visible");
    expect(line(run.lines, "accounts", "1525999")).toBe(
      "FAIL  accounts        1525999: FortiFlex refuses it in ELAVMS0000000518 (configs/list, HTTP 400: Account 1525999 not found.); " +
        "used by fabrikam: check fortiflex.accountId (a member account of the program's account)",
    );
    expect(run.err).toBe("fortiflex: doctor: 2 check(s) failed\n");
  });

  test("an answer of another shape fails, naming the fields; a list missing from an answer too", async () => {
    const program = h.sim.world.state.programs[0];
    const entitlement = h.sim.world.state.entitlements[0] as Partial<Entitlement>;
    const [coverage, tokenStatus] = [program.hasSupportCoverage, entitlement.tokenStatus];
    (program as { hasSupportCoverage: unknown }).hasSupportCoverage = "yes";
    delete entitlement.tokenStatus;
    try {
      const run = await doctor(["--customers", customersFile("ok"), "--skip", "state-backend"]);
      expect(run.code).toBe(1);
      expect(run.out).toContain(
        "FAIL  answer-shapes   9 answer(s): fields the client reads are missing or of another type\n" +
          "                      - programs/list: programs[].hasSupportCoverage: a string where the client reads a boolean (1 of 1)\n" +
          "                      - entitlements/list: entitlements[].tokenStatus: missing (1 of 1)\n",
      );
    } finally {
      program.hasSupportCoverage = coverage;
      entitlement.tokenStatus = tokenStatus;
    }
    // A status the client does not know (the portal shows GRACE_PERIOD): a warning, not a failure.
    const stopped = h.sim.world.state.entitlements.find((e) => e.status === "STOPPED")!;
    (stopped as { status: string }).status = "GRACE_PERIOD";
    try {
      const run = await doctor(["--customers", customersFile("ok"), "--skip", "state-backend"]);
      expect(line(run.lines, "answer-shapes")).toBe("warn  answer-shapes   9 answer(s): values the client does not know");
      expect(run.out).toContain('- entitlements/list: entitlements[].status: "GRACE_PERIOD", not one of "PENDING", "ACTIVE", "STOPPED", "EXPIRED" (1 of ');
      expect(run.code).toBe(0);
    } finally {
      stopped.status = "STOPPED";
    }
    // The simulator's empty-success fault: 200 "Request processed successfully." without the list.
    h.sim.faults.set([{ operation: "configs/list", kind: "empty-success" }]);
    const run = await doctor(["--customers", customersFile("ok"), "--skip", "state-backend"]);
    h.sim.faults.set([]);
    const failed = run.lines.filter((l) => l.startsWith("FAIL  accounts"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(
      /^FAIL {2}accounts {8}\d+ in ELAVMS0000000518 \(\w+\): configs\/list: the answer has no "configs" list \(got nothing\); refusing/,
    );
    expect(run.out).toContain('- configs/list: "configs": nothing where the client reads a list\n');
  });

  test("state backends: a missing container and an address that does not answer fail; --skip leaves it out", async () => {
    const file = customersFile("ok");
    blobAnswer = { status: 404, code: "ContainerNotFound" };
    try {
      const missing = await doctor(["--customers", file, "--skip", "programs,accounts"]);
      expect(line(missing.lines, "state-backend", "northwind")).toBe(
        "FAIL  state-backend   msspterraformstate/customers (northwind): no such container (HTTP 404 ContainerNotFound): " +
          "create it, or fix backend.azurerm.containerName",
      );
      expect(missing.code).toBe(1);
    } finally {
      blobAnswer = { status: 403, code: "AuthorizationFailure" };
    }
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await runCliCaptured(
      ["doctor", "--customers", file, "--skip", "programs,accounts", "--blob-endpoint", `http://127.0.0.1:${port}/{account}`],
      env(),
      { fleet: repositoryFleet },
    );
    expect(refused.out).toContain(
      `FAIL  state-backend   msspterraformstate/customers (northwind): no answer from 127.0.0.1:${port} (ECONNREFUSED): ` +
        "check the account name, the network and the account's firewall\n",
    );
    blobRequests.length = 0;
    const skipped = await doctor(["--customers", file, "--skip", "state-backend"]);
    expect(line(skipped.lines, "state-backend")).toBe("skip  state-backend   (--skip)");
    expect(blobRequests).toEqual([]);
  });

  test("--json: the same checks as objects", async () => {
    const run = await doctor(["--customers", customersFile("ok"), "--json", "--skip", "terraform"]);
    const results = JSON.parse(run.out) as { check: string; status: string; detail: string }[];
    expect(results.map((r) => r.check)).toEqual([
      "node",
      "terraform",
      "customers-file",
      "customers-file",
      "credentials",
      "endpoints",
      "authentication",
      "programs",
      ...Array(4).fill("accounts"),
      "answer-shapes",
      "state-backend",
      "state-backend",
    ]);
    expect(results[1]).toEqual({ check: "terraform", status: "skip", detail: "(--skip)" });
    expect(results.filter((r) => r.status === "FAIL")).toEqual([]);
  });

  test("a customers file that does not validate: its problems, indented; the checks that need it skipped", async () => {
    const file = customersFile("invalid", (f) => {
      f.customers[0].fortiflex.accountId = -5;
    });
    const run = await doctor(["--skip", "state-backend"], env({ FORTIFLEX_CUSTOMERS_FILE: file }));
    expect(run.out).toMatch(
      new RegExp(`^FAIL {2}customers-file  ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: 1 problem\\(s\\)\\n {22}- .*contoso.*accountId`, "m"),
    );
    expect(line(run.lines, "programs")).toBe("skip  programs        needs the customers file");
    expect(run.code).toBe(1);
  });

  test("a fortiflex run without a fleet layer reads no customers file: it says which one does", async () => {
    const run = await runCliCaptured(["doctor", "--skip", "terraform"], env());
    expect(run.out).toContain(
      "skip  customers-file  this fortiflex was given no fleet layer to read customers files with: run the installed package's (npm run fortiflex)\n",
    );
    expect(run.out).toContain("skip  programs        needs the customers file\n");
    expect(run.out).toContain("ok    authentication  token obtained from");
    expect(run.code).toBe(0);
  });

  test("bad usage: an unknown check to skip, a blob endpoint without {account}", async () => {
    const unknown = await runCliCaptured(["doctor", "--skip", "state-backnd"], env());
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown check "state-backnd"; did you mean "state-backend"?');
    const blobless = await runCliCaptured(["doctor", "--blob-endpoint", "https://example.net"], env());
    expect(blobless.code).toBe(2);
    expect(blobless.err).toContain("must be an http(s) URL containing {account}");
  });

  test("--save-answers writes every answer with nothing secret or identifying left, references kept", async () => {
    const dir = path.join(h.tmp, "answers");
    const run = await doctor(["--customers", customersFile("ok"), "--save-answers", dir, "--skip", "state-backend"]);
    expect(line(run.lines, "save-answers")).toMatch(/^ok {4}save-answers {4}9 answer\(s\) written to /);
    const files = fs.readdirSync(dir).sort();
    expect(files).toHaveLength(9);
    expect(files[0]).toBe("01-programs-list.json");
    const saved = files.map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
    const all = saved.join("\n");
    const { state } = h.sim.world;
    const forbidden = [
      h.sim.seed.password,
      h.sim.seed.username,
      ...h.sim.issuedTokens(),
      ...state.programs.map((p) => p.serialNumber),
      ...state.entitlements.flatMap((e) => [e.serialNumber, e.token, e.description ?? ""]),
      ...state.configs.flatMap((c) => [c.name, String(c.id)]),
      ...state.accounts.flatMap((a) => [String(a.id), a.name]),
    ].filter((s) => s.length >= 4);
    expect(forbidden.length).toBeGreaterThan(30);
    expect(forbidden.filter((secret) => all.includes(secret))).toEqual([]);

    const answers = saved.map((s) => JSON.parse(s) as { operation: string; request: Record<string, unknown>; answer: Record<string, unknown> });
    const configs = answers.flatMap((a) => (a.operation === "configs/list" ? (a.answer.configs as { id: number; accountId: number }[]) : []));
    const entitlements = answers.flatMap((a) => (a.operation === "entitlements/list" ? (a.answer.entitlements as Entitlement[]) : []));
    expect(configs).toHaveLength(5);
    expect(entitlements).toHaveLength(7);
    // The same value, the same placeholder: every entitlement still points at a saved configuration of its account.
    expect(entitlements.filter((e) => !configs.some((c) => c.id === e.configId && c.accountId === e.accountId))).toEqual([]);
    const program = answers[0].answer.programs as { serialNumber: string; startDate: string }[];
    expect(program[0].serialNumber).toMatch(/^ELAVMS\d{10}$/);
    expect(program[0].startDate).toBe(state.programs[0].startDate);
    expect(answers.filter((a) => a.request.programSerialNumber !== undefined).every((a) => a.request.programSerialNumber === program[0].serialNumber)).toBe(
      true,
    );
    expect(entitlements.map((e) => e.serialNumber)).toEqual(expect.arrayContaining([expect.stringMatching(/^FGVMELTM\d{8}$/)]));
  });

  test("fields the sanitizer does not know: their text and ids replaced, their numbers, flags and dates kept", () => {
    const answer = { programs: [{ customerId: 4242, nickname: "Contoso EMEA", seats: 12, renewed: true, renewalDate: "2027-01-01T00:00:00" }] };
    expect(new AnswerSanitizer().sanitize(answer)).toEqual({
      programs: [{ customerId: 2000001, nickname: "nickname 1", seats: 12, renewed: true, renewalDate: "2027-01-01T00:00:00" }],
    });
  });

  test("the samples in docs/guides/cli.md are what doctor prints against the demo simulator", async () => {
    const guide = fs.readFileSync(path.join(ROOT, "docs", "guides", "cli.md"), "utf8");
    const [okSample, wrongPasswordSample] = [...guide.slice(guide.indexOf("## Doctor")).matchAll(/^```text\n([\s\S]*?)^```/gm)].map((m) =>
      m[1].trimEnd().split("\n"),
    );
    // The simulator's port, Node.js's and Terraform's versions are the machine's.
    const portable = (l: string) => l.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:40123").replace(/\d+\.\d+\.\d+/g, "x.y.z");
    const args = ["--customers", path.join("stacks", "customers.yaml"), "--skip", "state-backend"];
    const ok = await doctor(args);
    expect(okSample).toHaveLength(15);
    expect(ok.lines.slice(1).map(portable)).toEqual(okSample.slice(1).map(portable));
    expect(okSample[0]).toBe(`warn  node            ${nodeVersionCheck("20.20.2", ">=20.9", "2026-12-08").detail}`);
    const refused = await doctor(args, env({ FORTIFLEX_ACCESS_PASSWORD: "wrong" }));
    expect(wrongPasswordSample).toHaveLength(4);
    expect(refused.lines.map(portable)).toEqual(expect.arrayContaining(wrongPasswordSample.map(portable)));
    expect(refused.err).toBe("fortiflex: doctor: 1 check(s) failed\n");
  });
});

test("the examples' values warning names nothing for a fleet's own subscriptions and storage account", () => {
  const own = { id: "acme", azure: { subscriptionId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" }, backend: { azurerm: { storageAccountName: "acmestate" } } };
  expect(exampleValuesCheck([own] as unknown as Customer[])).toEqual([]);
  const example = { ...own, azure: { subscriptionId: "22222222-2222-4222-8222-222222222222" } };
  expect(exampleValuesCheck([example] as unknown as Customer[])[0].detail).toMatch(
    /^still the examples' values: example subscription ids \(one repeated digit\): acme;/,
  );
});
