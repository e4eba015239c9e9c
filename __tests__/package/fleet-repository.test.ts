import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { standInForAzure } from "../../local-providers/azure-stand-in";
import { installLocalProviders } from "../../local-providers/install";
import { buildPackage, packPackage } from "../../packaging/build-package";
import type { Framework } from "../../packaging/framework-aliases";
import { runLint } from "../helpers/actionlint";
import { startHarness, type Harness } from "../helpers/simulator-harness";
import { Terraform, TERRAFORM_VERSION } from "../helpers/terraform";

/**
 * A fleet repository as a new user makes it, offline: the packed package's `fortiflex init` into an empty
 * directory, an install from the tarball (and the npm cache `npm ci` filled), and in that repository: the
 * example customers synthesized, the workflows through actionlint, the workflows' commands run from the
 * installed package (changed stacks between two commits, a plan record and the review summary of a real
 * plan against the simulator, the Azure part stood in as the plan benchmark does), `fortiflex doctor`, a
 * customers-file typo, and a scaffold upgrade that keeps a user's edit.
 */
const ROOT = path.join(__dirname, "..", "..");
const LIBRARY: Record<Framework, string> = { cdktf: "fortiflex-azure-cdktf", cdktn: "fortiflex-azure-cdktn" };
const FRAMEWORK_PACKAGES: Record<Framework, string[]> = {
  cdktf: ["cdktf", "constructs", "@cdktf/provider-azurerm", "@cdktf/provider-null"],
  cdktn: ["cdktn", "constructs", "@cdktn/provider-azurerm"],
};
/** What the fleet's package.json names besides the library and the framework, and the library's own dependencies. */
const OTHER_PACKAGES = ["typescript", "yaml", "zod"];
/** Every file `fortiflex init` writes: the fleet's own, and nothing of this project's tooling. */
const SCAFFOLDED = [
  ".github/CODEOWNERS",
  ".github/actions/fortiflex-build/action.yml",
  ".github/fortiflex-approvers",
  ".github/workflows/fortiflex-deploy.yml",
  ".github/workflows/fortiflex-drift.yml",
  ".github/workflows/fortiflex-plan.yml",
  ".github/workflows/fortiflex-pull-request.yml",
  ".github/workflows/fortiflex-review.yml",
  ".gitignore",
  "README.md",
  "cdktf.json",
  "customers.yaml",
  "main.ts",
  "package.json",
  "tsconfig.json",
];

const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
/** By registry tarball: the npm cache `npm ci` filled holds tarballs, not the metadata an install by name needs. */
const registryTarball = (name: string) =>
  `${(process.env.npm_config_registry || "https://registry.npmjs.org/").replace(/\/?$/, "/")}${name}/-/${name.split("/").pop()}-${version(name)}.tgz`;

/** A command as a user runs it (none of this test run's switches), its result whatever the status. */
function exec(command: string, args: string[], cwd: string, env: Record<string, string> = {}, input?: string): SpawnSyncReturns<string> {
  const base = { ...process.env };
  for (const name of ["CDKTF_OUTDIR", "CDKTN_DISABLE_CREATION_STACK", "FORTIFLEX_TEST_FRAMEWORK", "FORTIFLEX_CUSTOMERS", "FORTIFLEX_CUSTOMERS_FILE"])
    delete base[name];
  return spawnSync(command, args, { cwd, encoding: "utf8", env: { ...base, ...env }, input, timeout: 300_000 });
}

/** As `exec`, without blocking the event loop: for commands that talk to the simulator running in this process. */
function execAsync(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<SpawnSyncReturns<string>> {
  const base = { ...process.env };
  for (const name of ["CDKTF_OUTDIR", "CDKTN_DISABLE_CREATION_STACK", "FORTIFLEX_TEST_FRAMEWORK", "FORTIFLEX_CUSTOMERS", "FORTIFLEX_CUSTOMERS_FILE"])
    delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr, pid: child.pid ?? 0, output: [], signal: null }));
  });
}

function ok(res: SpawnSyncReturns<string>, what: string): string {
  if (res.status !== 0) throw new Error(`${what} exited ${res.status}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

const listFiles = (dir: string, under = ""): string[] =>
  fs.readdirSync(path.join(dir, under), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(under, e.name);
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  });

let tmp: string;
const packageDirs = {} as Record<Framework, string>;
const tarballs = {} as Record<Framework, string>;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-fleet-"));
  for (const f of ["cdktf", "cdktn"] as const) {
    packageDirs[f] = buildPackage(f);
    tarballs[f] = packPackage(f, path.join(tmp, "packages"));
  }
}, 180_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each(["cdktn", "cdktf"] as const)("a %s fleet repository from fortiflex init", (framework) => {
  let repo: string;
  const figures: string[] = [];
  const cli = () => path.join(repo, "node_modules", LIBRARY[framework], "lib", "cli", "fortiflex.js");
  const fortiflex = (args: string[], env: Record<string, string> = {}, input?: string) => exec(process.execPath, [cli(), ...args], repo, env, input);
  const fortiflexAsync = (args: string[], env: Record<string, string>) => execAsync(process.execPath, [cli(), ...args], repo, env);
  const synth = (env: Record<string, string> = {}) => exec("npm", ["run", "--silent", "synth"], repo, env);

  beforeAll(() => {
    repo = path.join(tmp, `fleet-${framework}`);
    const started = Date.now();
    // `npx -p <package> fortiflex init`: the packed package's own CLI.
    ok(
      exec(process.execPath, [path.join(packageDirs[framework], "lib", "cli", "fortiflex.js"), "init", repo, "--framework", framework, "--owner", "acme"], tmp),
      "init",
    );
    const initMs = Date.now() - started;
    const packages = [...FRAMEWORK_PACKAGES[framework], ...OTHER_PACKAGES].map(registryTarball);
    ok(
      exec("npm", ["install", "--offline", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", tarballs[framework], ...packages], repo),
      "npm install",
    );
    const installed = Date.now();
    ok(synth(), "npm run synth");
    const synthMs = Date.now() - installed;
    figures.push(`init ${initMs} ms, install ${installed - started - initMs} ms, first synth ${synthMs} ms (init to synth ${Date.now() - started} ms)`);
  }, 300_000);

  afterAll(() => console.log(`[${framework} fleet] ${figures.join("; ")}`));

  test("init writes the fleet's files only; the package.json pins the framework, its providers and the package", () => {
    const files = listFiles(repo).filter((f) => !/^(node_modules|cdktf\.out|dist|\.fortiflex)\//.test(f) && f !== "package-lock.json");
    expect(files.sort()).toEqual([...SCAFFOLDED].sort());
    expect(listFiles(path.join(repo, ".fortiflex")).sort()).toEqual(["scaffold.json", ...SCAFFOLDED.map((f) => `scaffold/${f}`)].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    expect(manifest.dependencies).toEqual(
      Object.fromEntries([[LIBRARY[framework], ROOT_VERSION], ...FRAMEWORK_PACKAGES[framework].map((p) => [p, version(p)])]),
    );
    for (const v of Object.values<string>(manifest.dependencies)) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.readFileSync(path.join(repo, "main.ts"), "utf8")).toContain(`import { App } from "${framework}";`);
    // Nothing of this project's tooling: no simulator, tests, benchmarks or sources of the library.
    const all = files.join("\n");
    expect(all).not.toMatch(/simulator|__tests__|bench|gitops\/|constructs\/|local-providers/);
    expect(fs.readFileSync(path.join(repo, "customers.yaml"), "utf8").split("\n")[0]).toBe(
      `# yaml-language-server: $schema=./node_modules/${LIBRARY[framework]}/lib/customers.schema.json`,
    );
    expect(fs.existsSync(path.join(repo, "node_modules", LIBRARY[framework], "lib", "customers.schema.json"))).toBe(true);
  });

  test("npm run synth builds the example customers: a single FortiGate and an active-passive pair, state in Azure Storage", () => {
    for (const [id, vms] of [
      ["contoso", 1],
      ["woodgrove", 2],
    ] as const) {
      const stack = JSON.parse(fs.readFileSync(path.join(repo, "cdktf.out", "stacks", id, "cdk.tf.json"), "utf8"));
      expect(stack.terraform.backend.azurerm).toMatchObject({ storage_account_name: "fleettfstate0001", key: `${id}.tfstate`, use_azuread_auth: true });
      expect(Object.keys(stack.resource.azurerm_linux_virtual_machine)).toHaveLength(vms);
      expect(Object.keys(stack.resource.null_resource)).toContain(vms === 1 ? "FortiGate_LicenseBoot" : "FortiGatePair_UnitA_LicenseBoot");
    }
  });

  test("the workflows and the build action pass actionlint, and name no file the fleet does not have", async () => {
    for (const file of SCAFFOLDED.filter((f) => f.endsWith(".yml"))) {
      const text = fs.readFileSync(path.join(repo, file), "utf8");
      // actionlint reads workflows; the action is checked through the workflows that use it.
      if (file.startsWith(".github/workflows/"))
        expect({ file, problems: (await runLint(text, file)).map((p) => `${p.line}:${p.column} ${p.message}`) }).toEqual({ file, problems: [] });
      for (const named of text.match(/(?<![\w./-])(?:docs|stacks|gitops|dist|packaging|cli)\/[\w./-]+/g) ?? [])
        expect({ file, named }).toEqual({ file, named: "(none)" });
    }
    const action = fs.readFileSync(path.join(repo, ".github", "actions", "fortiflex-build", "action.yml"), "utf8");
    expect(action).toContain(`cp "node_modules/${LIBRARY[framework]}/lib/cli/fortiflex.js" "$judge/fortiflex.js"`);
  });

  test("a typo in the customers file: its line and the closest field, nothing synthesized", () => {
    const file = path.join(repo, "customers.yaml");
    const good = fs.readFileSync(file, "utf8");
    try {
      fs.writeFileSync(file, good.replace("      cpu: 2\n", "      cpus: 2\n"));
      const line = good.split("\n").findIndex((l) => l === "      cpu: 2") + 1;
      const res = synth();
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`customers.yaml:${line}:`);
      expect(res.stderr).toMatch(/"cpus".*did you mean "cpu"/);
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  test("the workflows' commands from the installed package: changed stacks between two commits", () => {
    const git = (...args: string[]) => ok(exec("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], repo), `git ${args[0]}`);
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "fleet");
    const base = path.join(tmp, `base-${framework}`);
    fs.cpSync(path.join(repo, "cdktf.out"), base, { recursive: true });
    const file = path.join(repo, "customers.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("      cpu: 2\n", "      cpu: 4\n"));
    git("commit", "-q", "-am", "contoso: 4 vCPU");
    ok(synth(), "synth of the second commit");
    const changes = JSON.parse(ok(fortiflex(["gitops", "changed-stacks", base, path.join(repo, "cdktf.out")]), "changed-stacks"));
    expect(changes).toMatchObject({ changed: ["contoso"], added: [], retired: [] });
    const inputs = JSON.parse(
      ok(fortiflex(["gitops", "changed-inputs", "customers.yaml"], {}, `${git("diff", "--name-only", "HEAD~1", "HEAD")}`), "changed-inputs"),
    );
    expect(inputs).toMatchObject({ customers: ["customers.yaml"], build: [] });
  });

  (TERRAFORM_VERSION ? describe : describe.skip)(`against the simulator (${TERRAFORM_VERSION ? "RAN" : "SKIPPED: terraform is not on PATH"})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
      installLocalProviders();
    });
    afterAll(() => h.close());

    test("doctor passes with the simulator's credentials, and fails clearly on a wrong password", async () => {
      const customers = pointedAt(repo, h);
      const env = { ...h.sim.env(), FORTIFLEX_CUSTOMERS_FILE: customers };
      const passed = await fortiflexAsync(["doctor", "--skip", "state-backend"], env);
      expect({ status: passed.status, out: passed.stdout }).toMatchObject({ status: 0 });
      expect(passed.stdout).not.toMatch(/\bFAIL\b/);
      const refused = await fortiflexAsync(["doctor", "--skip", "state-backend"], { ...env, FORTIFLEX_ACCESS_PASSWORD: "wrong" });
      expect(refused.status).toBe(1);
      expect(refused.stdout + refused.stderr).toMatch(/FAIL.*FORTIFLEX_ACCESS_PASSWORD/);
      expect(refused.stdout + refused.stderr).not.toContain(h.sim.seed.password);
    });

    test("a plan record and the review summary of a real plan of an example customer", async () => {
      const customers = pointedAt(repo, h);
      const out = path.join(tmp, `plan-${framework}`);
      ok(exec("npm", ["run", "--silent", "synth"], repo, { FORTIFLEX_CUSTOMERS_FILE: customers, FORTIFLEX_CUSTOMERS: "contoso", CDKTF_OUTDIR: out }), "synth");
      const dir = path.join(out, "stacks", "contoso");
      const digest = ok(fortiflex(["gitops", "stack-digest", dir]), "stack-digest").trim();
      // The Azure part stood in, as the plan benchmark does: its resources and its state backend.
      const work = path.join(tmp, `work-${framework}`);
      fs.cpSync(dir, work, { recursive: true });
      const json = JSON.parse(fs.readFileSync(path.join(work, "cdk.tf.json"), "utf8"));
      delete json.terraform.backend;
      fs.writeFileSync(path.join(work, "cdk.tf.json"), JSON.stringify(json));
      standInForAzure(work, { simulatorUrl: h.sim.baseUrl, bootLog: path.join(tmp, `boots-${framework}.jsonl`) });
      const tf = new Terraform(work, { ...h.sim.env(), FORTIFLEX_TOKEN_CACHE_DIR: path.join(tmp, `cache-${framework}`) });
      await tf.init();
      const plan = path.join(tmp, `plan-${framework}.json`);
      fs.writeFileSync(plan, JSON.stringify((await tf.plan("-var=contoso_admin_password=Fleet-Test-Password-1")).json));
      const record = JSON.parse(ok(fortiflex(["gitops", "plan-record", "contoso", plan, "--digest", digest]), "plan-record"));
      expect(record).toMatchObject({ stack: "contoso", digest, mode: "apply", destroy: 0 });
      expect(record.add).toBeGreaterThan(5);
      const records = path.join(tmp, `records-${framework}`);
      fs.mkdirSync(records, { recursive: true });
      fs.writeFileSync(path.join(records, "contoso.json"), JSON.stringify(record));
      // A first pull request: the base has no stacks yet.
      const empty = path.join(tmp, `empty-${framework}`);
      fs.mkdirSync(path.join(empty, "stacks"), { recursive: true });
      const changes = path.join(tmp, `changes-${framework}.json`);
      fs.writeFileSync(changes, ok(fortiflex(["gitops", "changed-stacks", empty, out]), "changed-stacks"));
      expect(JSON.parse(fs.readFileSync(changes, "utf8"))).toMatchObject({ added: ["contoso"], localState: [] });
      const points = path.join(tmp, `points-${framework}.json`);
      fs.writeFileSync(points, ok(await fortiflexAsync(["gitops", "points-delta", empty, out], h.sim.env()), "points-delta"));
      const summary = fortiflex([
        "gitops",
        "review-summary",
        "--changes",
        changes,
        "--records",
        records,
        "--points",
        points,
        "--run-url",
        "https://github.com/acme/fleet/actions/runs/1",
      ]);
      expect(summary.status).toBe(0);
      expect(summary.stdout).toMatch(/\| contoso \| planned \| \d+ \| 0 \| 0 \|/);
    });
  });

  test("a scaffold upgrade keeps the user's edit, applies the release's changes, and shows a conflict", () => {
    const at = (rel: string) => path.join(repo, rel);
    const base = (rel: string) => path.join(repo, ".fortiflex", "scaffold", rel);
    const read = (p: string) => fs.readFileSync(p, "utf8");
    // An earlier release wrote a README without the retiring section, a .gitignore without .simulator.env and
    // another cron time; the user edited the README's title and the cron time.
    const readme = read(at("README.md"));
    const olderReadme = readme.replace(/## Retiring a customer\n[\s\S]*?\n## /, "## ");
    fs.writeFileSync(base("README.md"), olderReadme);
    fs.writeFileSync(at("README.md"), olderReadme.replace(/^# .*/, "# Acme's FortiGate fleet"));
    const gitignore = read(at(".gitignore"));
    fs.writeFileSync(base(".gitignore"), gitignore.replace(".simulator.env\n", ""));
    fs.writeFileSync(at(".gitignore"), gitignore.replace(".simulator.env\n", ""));
    const drift = ".github/workflows/fortiflex-drift.yml";
    const cron = /cron: "[^"]+"/;
    fs.writeFileSync(base(drift), read(at(drift)).replace(cron, 'cron: "0 1 * * *"'));
    fs.writeFileSync(at(drift), read(at(drift)).replace(cron, 'cron: "30 6 * * *"'));
    const before = listFiles(repo)
      .filter((f) => !f.startsWith("node_modules/"))
      .map((f) => `${f} ${read(at(f)).length}`);

    const dry = fortiflex(["init", "--upgrade", "--dry-run"]);
    expect(dry.status).toBe(1);
    expect(dry.stderr).toContain("fortiflex-drift.yml; an upgrade would leave each as it is");
    expect(dry.stdout).toContain('+    - cron: "17 5 * * *"');
    expect(dry.stdout).toMatch(/merge\s+README\.md \(your edits kept/);
    expect(dry.stdout).toMatch(/update\s+\.gitignore/);
    expect(dry.stdout).toMatch(/conflict\s+\.github\/workflows\/fortiflex-drift\.yml/);
    expect(dry.stdout).toContain("+.simulator.env");
    expect(dry.stdout).toContain("+## Retiring a customer");
    expect(
      listFiles(repo)
        .filter((f) => !f.startsWith("node_modules/"))
        .map((f) => `${f} ${read(at(f)).length}`),
    ).toEqual(before);

    const applied = fortiflex(["init", "--upgrade"]);
    expect(applied.status).toBe(1);
    expect(applied.stderr).toContain("fortiflex-drift.yml; each is left as it was");
    expect(read(at("README.md"))).toMatch(/^# Acme's FortiGate fleet\n/);
    expect(read(at("README.md"))).toContain("## Retiring a customer");
    expect(read(at(".gitignore"))).toBe(gitignore);
    expect(read(at(drift))).toContain('cron: "30 6 * * *"');
    expect(read(at(`${drift}.fortiflex-new`))).toMatch(cron);
    // Recorded as this release wrote them: the next upgrade sees the user's README edit as theirs alone.
    expect(read(base("README.md"))).toBe(readme);
    expect(fortiflex(["init", "--upgrade", "--dry-run"]).stdout).toMatch(/keep\s+README\.md/);
  });

  test("init refuses a directory that is not empty, and never overwrites a file", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "busy-"));
    fs.writeFileSync(path.join(dir, "README.md"), "mine\n");
    const cli = path.join(packageDirs[framework], "lib", "cli", "fortiflex.js");
    const refused = exec(process.execPath, [cli, "init", dir], tmp);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/is not empty \(README\.md\).*--force/);
    const forced = exec(process.execPath, [cli, "init", dir, "--force"], tmp);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("kept  README.md (it exists; not overwritten");
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("mine\n");
    expect(exec(process.execPath, [cli, "init", dir], tmp).stderr).toMatch(/a fleet repository already.*--upgrade/);
    // A directory of the repository that links elsewhere is refused before anything is written.
    const linked = fs.mkdtempSync(path.join(tmp, "linked-"));
    const elsewhere = fs.mkdtempSync(path.join(tmp, "elsewhere-"));
    fs.symlinkSync(elsewhere, path.join(linked, ".github"));
    const through = exec(process.execPath, [cli, "init", linked, "--force"], tmp);
    expect(through.status).toBe(2);
    expect(through.stderr).toContain(".github is a symbolic link");
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(fs.readdirSync(linked)).toEqual([".github"]);
  });
});

const ROOT_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** A copy of the fleet's customers file whose customers reach FortiFlex at the simulator. */
function pointedAt(repo: string, h: Harness): string {
  const doc = parseYaml(fs.readFileSync(path.join(repo, "customers.yaml"), "utf8")) as { defaults: { fortiflex: Record<string, unknown> } };
  doc.defaults.fortiflex.endpoints = { apiUrl: h.sim.apiUrl, authUrl: h.sim.authUrl };
  const file = path.join(path.dirname(repo), `${path.basename(repo)}.simulator.yaml`);
  fs.writeFileSync(file, stringifyYaml(doc));
  return file;
}
