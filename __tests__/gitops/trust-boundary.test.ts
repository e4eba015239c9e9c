import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { changedStacks } from "../../gitops/changed-stacks";
import { recordOf } from "../../gitops/plan-record";
import { stackDigest } from "../../gitops/stack-digest";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { change, CONTOSO, plan, triggers, writeJson } from "../helpers/plan-json";
import { buildActionScript, npmStandIn, projectCopy, runStep, standIns, userStandIns, workflow } from "../helpers/workflow-steps";

/**
 * The fleet's trust boundary, attacked as someone with push access would (issue 22): each test replays an
 * attack against the workflow's own steps and scripts, and shows first that the attack is real.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-trust-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const git = (cwd: string, ...args: string[]) => {
  const res = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`git ${args.join(" ")}: ${res.stderr}`);
  return res.stdout.trim();
};
const synth = (dir: string) => {
  const res = spawnSync("npm", ["run", "--silent", "synth"], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir() },
    timeout: 120_000,
  });
  if (res.status !== 0) throw new Error(`synth failed: ${res.stderr}${res.stdout}`);
  return path.join(dir, "cdktf.out");
};

describe("what runs is what was reviewed", () => {
  test("a tsconfig path mapping that appends to every handler after synth: configurations unchanged, every stack changed and its asset refused", () => {
    const fleet = projectCopy(path.join(tmp, "tsconfig"));
    const before = path.join(tmp, "tsconfig-base-out");
    fs.renameSync(synth(fleet), before);
    // The attack: "cdktf" now resolves to the attacker's module, which re-exports cdktf and rewrites the handlers once synth has hashed them.
    const tsconfig = JSON.parse(fs.readFileSync(path.join(fleet, "tsconfig.json"), "utf8"));
    tsconfig.compilerOptions.paths = { cdktf: ["./build-helpers.ts"] };
    fs.writeFileSync(path.join(fleet, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    fs.writeFileSync(
      path.join(fleet, "build-helpers.ts"),
      [
        'import * as fs from "node:fs";',
        'import * as path from "node:path";',
        'import { App } from "cdktf/lib/index";',
        'export * from "cdktf/lib/index";',
        "const synth = App.prototype.synth;",
        "App.prototype.synth = function (this: App): void {",
        "  synth.call(this);",
        "  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => " +
          "(e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));",
        '  for (const f of walk(this.outdir)) if (f.endsWith("fortiflex-handler.js")) fs.appendFileSync(f, ' +
          '"\\n;globalThis.leak = process.env.FORTIFLEX_ACCESS_PASSWORD;\\n");',
        "};",
      ].join("\n"),
    );
    const after = synth(fleet);
    const stacks = fs.readdirSync(path.join(before, "stacks")).sort();
    expect(stacks).toEqual(["contoso", "fabrikam", "northwind", "woodgrove"]);
    // The attack is real: every configuration is byte for byte the same, only the handler differs.
    for (const s of stacks)
      expect(fs.readFileSync(path.join(after, "stacks", s, "cdk.tf.json"), "utf8")).toBe(
        fs.readFileSync(path.join(before, "stacks", s, "cdk.tf.json"), "utf8"),
      );
    const changes = changedStacks(before, after);
    expect(changes.changed).toEqual(stacks);
    for (const s of stacks)
      expect(changes.files[s]).toEqual([expect.stringMatching(/^assets\/FortiFlexRuntime_Handler_[0-9A-F]{8}\/[0-9A-F]{32}\/fortiflex-handler\.js$/)]);
    expect(changes.problems).toEqual(
      stacks.map((s) =>
        expect.stringMatching(
          new RegExp(
            `^${s} \\(head\\): assets/.*fortiflex-handler\\.js: its content's MD5 is [0-9A-F]{32}, not the ` +
              `[0-9A-F]{32} its path \\(and so cdk\\.tf\\.json\\) names$`,
          ),
        ),
      ),
    );
  });

  test("a repository .npmrc whose node-options preloads the attacker's code: the build refuses it before npm runs", () => {
    const fleet = projectCopy(path.join(tmp, "npmrc"));
    const marker = path.join(tmp, "npmrc-ran");
    fs.writeFileSync(path.join(fleet, "preload.js"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, String(process.pid));\n`);
    fs.writeFileSync(path.join(fleet, ".npmrc"), `node-options=--require=${path.join(fleet, "preload.js")}\n`);
    // The attack is real: npm hands node-options to every process of `npm run synth`.
    synth(fleet);
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);
    const bin = npmStandIn(path.join(tmp, "npmrc-bin"));
    const refused = runStep(buildActionScript(), fleet, { DIRECTORY: ".", SYNTH: "true", JUDGE: "" }, bin);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("::error file=.npmrc::A repository .npmrc is refused: npm reads node-options, the script shell and registries from it");
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.existsSync(path.join(tmp, "npmrc-bin", "npm.log"))).toBe(false);
    // Without it the build installs without any dependency's install script, and synthesizes.
    fs.rmSync(path.join(fleet, ".npmrc"));
    fs.rmSync(path.join(fleet, "cdktf.out"), { recursive: true });
    const built = runStep(buildActionScript(), fleet, { DIRECTORY: ".", SYNTH: "true", JUDGE: "" }, bin);
    expect(built.status).toBe(0);
    expect(fs.readFileSync(path.join(tmp, "npmrc-bin", "npm.log"), "utf8")).toBe("npm ci --ignore-scripts --no-audit --no-fund\n");
    expect(fs.existsSync(path.join(fleet, "cdktf.out", "stacks", "contoso", "cdk.tf.json"))).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe("the judge comes from the base", () => {
  test("a pull request that edits the merge guard: the apply of its own merge is judged by the guard before it", () => {
    const repo = projectCopy(path.join(tmp, "repo"));
    git(repo, "init", "--quiet", "--initial-branch=main");
    git(repo, "add", "--all");
    git(repo, "commit", "--quiet", "-m", "base");
    const before = git(repo, "rev-parse", "HEAD");
    // The pull request: a guard that approves everything.
    const guardFile = path.join(repo, "gitops", "plan-guard.ts");
    const guardSource = fs.readFileSync(guardFile, "utf8");
    const approving = guardSource.replace("  run(args, io) {\n", '  run(args, io) {\n    io.stdout.write("plan-guard: approved\\n");\n    return 0;\n');
    expect(approving).not.toBe(guardSource);
    fs.writeFileSync(guardFile, approving);
    git(repo, "commit", "--quiet", "-am", "a friendlier guard");

    const deploy = workflow("fortiflex-deploy.yml").jobs.changes.steps!;
    const runnerTemp = path.join(tmp, "runner-temp");
    fs.mkdirSync(runnerTemp);
    const output = path.join(tmp, "github-output");
    const base = runStep(deploy.find((s) => s.name === "The base, the commit before this push")!.run!, repo, {
      BEFORE: before,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: output,
    });
    expect(base.status).toBe(0);
    expect(fs.readFileSync(output, "utf8")).toBe("project=true\naction=true\n");
    // The base's own build action builds the judge: a change to the action, like one to the guard, judges later merges only.
    const judgeStep = deploy.find((s) => s.name === "The judge and the base's stacks, built by the base's own build action")!;
    expect(judgeStep).toMatchObject({
      if: "steps.base.outputs.action == 'true'",
      uses: "./.fortiflex-base/.github/actions/fortiflex-build",
      with: { directory: ".fortiflex-base", synth: "true", judge: "${{ runner.temp }}/judge" },
    });
    const bin = npmStandIn(path.join(tmp, "judge-bin"));
    const built = runStep(
      buildActionScript(path.join(repo, ".fortiflex-base")),
      repo,
      { DIRECTORY: ".fortiflex-base", SYNTH: "true", JUDGE: path.join(runnerTemp, "judge") },
      bin,
    );
    expect(built).toMatchObject({ status: 0 });

    // A record the change's own runner could write: it says nothing changed but lets everything be destroyed.
    const everything = plan([change(CONTOSO.owner, ["delete"], triggers.owner(), null), change(CONTOSO.vm, ["delete"], { name: "contoso-fgt" }, null)]);
    const forged = { ...recordOf("contoso", plan([]), "7".repeat(64)), destructive: recordOf("contoso", everything, "7".repeat(64)).destructive };
    const args = [writeJson(tmp, "forged.json", forged), writeJson(tmp, "everything.json", everything), "--stack", "contoso", "--digest", "7".repeat(64)];
    const judged = spawnSync(process.execPath, [path.join(runnerTemp, "judge", "fortiflex.js"), "gitops", "plan-guard", ...args], { encoding: "utf8" });
    expect(judged.status).toBe(1);
    expect(judged.stderr).toContain("plan-guard: contoso: the reviewed record contradicts itself");
    // The guard the pull request brought would have let it through.
    const theirs = path.join(tmp, "their-judge");
    expect(spawnSync("npm", ["run", "--silent", "build:judge", "--", `--outfile=${theirs}/fortiflex.js`], { cwd: repo, encoding: "utf8" }).status).toBe(0);
    expect(spawnSync(process.execPath, [path.join(theirs, "fortiflex.js"), "gitops", "plan-guard", ...args], { encoding: "utf8" })).toMatchObject({
      status: 0,
      stdout: "plan-guard: approved\n",
    });
  });

  test("the review is made by main's workflow and scripts: the pull request's upload is only read as data", () => {
    const review = workflow("fortiflex-review.yml");
    expect(Object.keys(review.on)).toEqual(["workflow_run"]);
    const steps = review.jobs.changes.steps!;
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with).toEqual({ "persist-credentials": false, "fetch-depth": 0 });
    expect(steps.find((s) => s.name === "The judge, from main")!.with).toEqual({ judge: "${{ runner.temp }}/judge" });
    // Every line that touches the pull request's upload reads it with the judge's scripts, jq or cp.
    const touching = steps.flatMap((s) => (s.run ?? "").split("\n")).filter((l) => /RUNNER_TEMP\/pull-request/.test(l));
    expect(touching.length).toBeGreaterThan(3);
    for (const line of touching)
      expect({
        line,
        ok: /node "\$judge\/fortiflex\.js" gitops (changed-stacks|cross-references) |^\s*(base=\$\(jq|cp |for stack|out=\$\()/.test(line),
      }).toEqual({
        line,
        ok: true,
      });
    // No job of the review runs npm, or terraform outside fortiflex-plan.yml, on what the pull request uploaded.
    const reviewSteps = Object.entries(review.jobs).flatMap(([id, job]) => (job.steps ?? []).map((s) => ({ id, s })));
    expect(reviewSteps.length).toBeGreaterThan(0);
    for (const { id, s } of reviewSteps) expect({ id, npm: /\bnpm\b/.test(s.run ?? "") }).toEqual({ id, npm: false });
  });

  test("the merge that brings `fortiflex gitops`: the base's judge, one script per command, runs as `fortiflex.js gitops <name>`", () => {
    const deploy = workflow("fortiflex-deploy.yml").jobs.changes.steps!;
    const names = deploy.map((s) => s.name);
    const bridge = deploy.find((s) => s.name?.startsWith("A judge from before `fortiflex gitops`"))!;
    // After every step that builds the judge, before the first that runs it.
    expect(names.indexOf(bridge.name)).toBe(names.indexOf("The judge of a first run, from this commit (there is no base to take it from)") + 1);
    const runnerTemp = fs.mkdtempSync(path.join(tmp, "old-judge-"));
    const judge = path.join(runnerTemp, "judge");
    fs.mkdirSync(judge);
    // A script of the old judge reads its name from argv[1], as its isScript did, and its arguments after it.
    fs.writeFileSync(
      path.join(judge, "stack-digest.js"),
      'process.stdout.write(JSON.stringify(process.argv.slice(1).map((a, i) => (i ? a : require("node:path").basename(a)))));\n',
    );
    expect(runStep(bridge.run!, tmp, { RUNNER_TEMP: runnerTemp })).toMatchObject({ status: 0, stdout: "", stderr: "" });
    const run = spawnSync(process.execPath, [path.join(judge, "fortiflex.js"), "gitops", "stack-digest", "plan-input/contoso", "-v", "a b"], {
      encoding: "utf8",
    });
    expect(run).toMatchObject({ status: 0, stdout: JSON.stringify(["stack-digest.js", "plan-input/contoso", "-v", "a b"]) });
    // A judge that is the CLI is left as built.
    fs.writeFileSync(path.join(judge, "fortiflex.js"), "// the CLI\n");
    expect(runStep(bridge.run!, tmp, { RUNNER_TEMP: runnerTemp })).toMatchObject({ status: 0 });
    expect(fs.readFileSync(path.join(judge, "fortiflex.js"), "utf8")).toBe("// the CLI\n");
  });
});

describe("the apply holds the directory to the reviewed one", () => {
  const scripts = new GitopsScripts();
  afterAll(() => scripts.remove());
  const apply = workflow("fortiflex-deploy.yml").jobs.apply.steps!;
  const check = apply.find((s) => s.name === "The directory is the one the judge found; this customer's secrets")!.run!;
  const planStep = apply.find((s) => s.name === "Plan, the merge guard, apply (the plan text is not printed)")!;

  /** The apply job's workspace after its downloads, with a synthesized-like contoso directory. */
  const workspace = (name: string) => {
    const ws = path.join(tmp, name);
    fs.cpSync(scripts.dir, path.join(ws, "judge"), { recursive: true });
    const dir = path.join(ws, "plan-input", "contoso");
    fs.mkdirSync(path.join(dir, "assets", "H", "E8C1B2D3A4F5E6D7C8B9A0F1E2D3C4B5"), { recursive: true });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ resource: {} }));
    fs.rmSync(path.join(dir, "assets"), { recursive: true });
    const digest = stackDigest(dir).digest;
    writeJson(path.join(ws, "changes"), "changes.json", { changed: ["contoso"], added: [], removed: [], retired: [], digests: { contoso: digest } });
    const reviewed = recordOf("contoso", plan([change(CONTOSO.nsgRule, ["update"], {}, {})]), digest);
    writeJson(path.join(ws, "reviewed", "records"), "contoso.json", reviewed);
    writeJson(path.join(ws, "reviewed"), "changes.json", { changed: ["contoso"], added: [], removed: [], retired: [], digests: { contoso: digest } });
    fs.mkdirSync(path.join(ws, "temp"));
    return { ws, dir, digest };
  };

  test("a stack the review did not plan as it is now is refused: its record must be in the review, of the same directory", () => {
    const { ws } = workspace("apply-unreviewed");
    writeJson(path.join(ws, "reviewed"), "changes.json", { changed: [], added: [], removed: [], retired: [], digests: {} });
    const res = runStep(check, ws, { STACK: "contoso", GITHUB_ENV: path.join(ws, "env"), RUNNER_TEMP: path.join(ws, "temp"), PASSWORD: "An-Adm1n-Password!" });
    expect(res.status).toBe(1);
    expect(res.stdout).toContain("::error::No reviewed plan of contoso as it is now in the review of the merged pull request");
    expect(fs.existsSync(path.join(ws, "temp", "passwords.tfvars.json"))).toBe(false);
  });

  test("a directory changed after the judge saw it is refused before any credential is used", () => {
    const { ws, dir } = workspace("apply-mismatch");
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ resource: { null_resource: { x: {} } } }));
    const res = runStep(check, ws, { STACK: "contoso", GITHUB_ENV: path.join(ws, "env"), RUNNER_TEMP: path.join(ws, "temp"), PASSWORD: "An-Adm1n-Password!" });
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(
      /::error::The directory of contoso \(sha256 [0-9a-f]{64}\) is not the one the judge found \([0-9a-f]{64}\); nothing is applied\./,
    );
    expect(fs.existsSync(path.join(ws, "temp", "passwords.tfvars.json"))).toBe(false);
  });

  test(
    "the directory the judge found: this customer's password in a private variable file; then the guard " +
      "refuses a plan of another directory than the reviewed one, and nothing is applied",
    () => {
      const { ws, digest } = workspace("apply-guard");
      const env = path.join(ws, "env");
      const res = runStep(check, ws, { STACK: "contoso", GITHUB_ENV: env, RUNNER_TEMP: path.join(ws, "temp"), PASSWORD: "An-Adm1n-Password!" });
      expect(res.status).toBe(0);
      expect(res.stdout).toBe("::add-mask::An-Adm1n-Password!\n");
      expect(fs.readFileSync(env, "utf8")).toBe(`DIGEST=${digest}\nMODE=apply\n`);
      expect(JSON.parse(fs.readFileSync(path.join(ws, "temp", "passwords.tfvars.json"), "utf8"))).toEqual({ contoso_admin_password: "An-Adm1n-Password!" });
      expect(fs.statSync(path.join(ws, "temp", "passwords.tfvars.json")).mode & 0o777).toBe(0o600);

      // Terraform and curl stand in: terraform logs its arguments and environment, `show -json` prints a plan.
      const log = path.join(ws, "terraform.log");
      const bin = standIns(path.join(ws, "stand-ins"), {
        terraform: [
          `echo "terraform $* | $(env | grep -E ` +
            `'^(ACTIONS_|ARM_OIDC_TOKEN|FORTIFLEX_ACCESS_PASSWORD|GITHUB_TOKEN|NODE_OPTIONS)' | sort | tr '\\n' ` +
            `' ')" >> "${log}"`,
          `if [ "$1" = show ]; then echo '${JSON.stringify(plan([]))}'; fi`,
        ].join("\n"),
        curl: `echo '{"value":"minted-id-token"}'`,
        ...userStandIns(ws),
      });
      const stepEnv = {
        STACK: "contoso",
        DIGEST: "8".repeat(64),
        MODE: "apply",
        GITHUB_WORKSPACE: ws,
        RUNNER_TEMP: path.join(ws, "temp"),
        ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.invalid/?x=1",
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
        GITHUB_TOKEN: "job-token",
        NODE_OPTIONS: "--max-old-space-size=4096",
        ARM_USE_OIDC: "true",
        FORTIFLEX_ACCESS_USERNAME: "rw-user",
        FORTIFLEX_ACCESS_PASSWORD: "rw-password",
      };
      const run = runStep(planStep.run!, path.join(ws, planStep["working-directory"]!.replace("${{ matrix.stack }}", "contoso")), stepEnv, bin);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        `plan-guard: contoso: the directory being applied (sha256 ${"8".repeat(64)}) is not the one whose plan was reviewed (sha256 ${digest}); not applying.`,
      );
      const calls = fs.readFileSync(log, "utf8").trim().split("\n");
      expect(calls.map((c) => c.split(" | ")[0])).toEqual([
        "terraform init -input=false -no-color -lockfile=readonly",
        `terraform plan -input=false -no-color -lock-timeout=5m -var-file=${path.join(ws, "temp", "passwords.tfvars.json")} -out=tfplan`,
        "terraform show -json tfplan",
      ]);
      // Terraform (and so every provider, provisioner and external program) sees a fresh Azure sign-in token and the
      // FortiFlex credentials, never the request token that mints tokens for any audience, the job token or NODE_OPTIONS.
      for (const c of calls) expect(c.split(" | ")[1].trim()).toBe("ARM_OIDC_TOKEN=minted-id-token FORTIFLEX_ACCESS_PASSWORD=rw-password");
      expect(run.stdout).toContain("::add-mask::minted-id-token");
    },
  );
});
