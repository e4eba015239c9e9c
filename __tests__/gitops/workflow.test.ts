import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runLint } from "../helpers/actionlint";
import { REVIEW_MARKER } from "../../gitops/review-summary";
import { terraformCommand, terraformEnvironment } from "../../gitops/terraform-environment";
import { recordOf } from "../../gitops/plan-record";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { change, CONTOSO, DIGEST, plan, triggers, writeJson } from "../helpers/plan-json";
import { runStep, standIns, userStandIns, workflow, WORKFLOWS, type Job, type Step } from "../helpers/workflow-steps";

/** The fleet's GitOps workflows (the repository's own CI, ci.yml, has its test: ci-workflow.test.ts). */
const FILES = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /^fortiflex-.*\.ya?ml$/.test(f))
  .sort();
const all = Object.fromEntries(FILES.map((f) => [f, workflow(f)]));
const jobsOf = (file: string) => Object.entries(all[file].jobs);
const everyJob = FILES.flatMap((f) => jobsOf(f).map(([id, job]) => ({ file: f, id, job })));
const everyStep = everyJob.flatMap(({ file, id, job }) => (job.steps ?? []).map((step) => ({ file, id, step })));
/** Every secret a job can read: its own env and its steps' env and inputs. */
const secretsOf = (job: Job) => [...new Set([...JSON.stringify(job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]))].sort();
const step = (file: string, job: string, name: string): Step => {
  const found = all[file].jobs[job].steps!.find((s) => s.name?.startsWith(name));
  if (!found) throw new Error(`${file}: job ${job} has no step "${name}"`);
  return found;
};

describe("the workflows pass actionlint", () => {
  test.each(FILES)("%s", async (file) => {
    expect(await runLint(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), file)).toEqual([]);
  });

  test("the linter finds what is wrong (so a clean result means something)", async () => {
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      pull-request: write\n    steps:\n      - run: echo ${{ matrix.stack }}\n";
    expect((await runLint(broken, "broken.yml")).map((r) => r.kind)).toEqual(expect.arrayContaining(["permissions", "expression"]));
  });
});

describe("the workflows' shape", () => {
  test("every action is pinned to a full commit SHA with its version beside it (local actions excepted)", () => {
    const uses = everyJob.flatMap(({ job }) => [job.uses, ...(job.steps ?? []).map((s) => s.uses)]).filter((u): u is string => !!u);
    expect(uses.length).toBeGreaterThan(20);
    const raw = FILES.map((f) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8")).join("\n");
    for (const u of uses.filter((u) => !u.startsWith("./"))) {
      expect(u).toMatch(/^[a-z-]+\/[a-z-]+@[0-9a-f]{40}$/);
      expect(raw).toMatch(new RegExp(`uses: ${u.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v\\d+\\.\\d+\\.\\d+\\n`));
    }
  });

  test("Node 24 (LTS until April 2028) everywhere; Node 20 left long-term support in April 2026", () => {
    const versions = everyStep.filter(({ step: s }) => s.uses?.startsWith("actions/setup-node@")).map(({ step: s }) => s.with?.["node-version"]);
    expect(versions.length).toBeGreaterThan(5);
    expect(new Set(versions)).toEqual(new Set([24]));
  });

  test("triggers: every change of a pull request is synthesized (no path filter); the review runs from main on its completion", () => {
    expect(all["fortiflex-pull-request.yml"].on).toEqual({ pull_request: { branches: ["main"] } });
    expect(all["fortiflex-review.yml"].on).toEqual({ workflow_run: { workflows: [all["fortiflex-pull-request.yml"].name], types: ["completed"] } });
    expect(Object.keys(all["fortiflex-deploy.yml"].on).sort()).toEqual(["push", "workflow_dispatch"]);
    expect(all["fortiflex-deploy.yml"].on.push).toEqual({ branches: ["main"] });
    expect(all["fortiflex-drift.yml"].on).toEqual({ schedule: [{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }], workflow_dispatch: null });
    expect(all["fortiflex-plan.yml"].on).toEqual({ workflow_call: { inputs: { stacks: expect.objectContaining({ type: "string", required: true }) } } });
  });

  test("secrets only in environments, each customer's in its own; the pull request's workflow holds none", () => {
    const table = Object.fromEntries(
      everyJob
        .filter(({ job }) => secretsOf(job).length || job.environment)
        .map(({ file, id, job }) => [`${file}:${id}`, { environment: job.environment, secrets: secretsOf(job) }]),
    );
    expect(table).toEqual({
      "fortiflex-plan.yml:plan": { environment: "fortiflex-plan-${{ matrix.stack }}", secrets: ["FORTIFLEX_PASSWORD", "FORTIFLEX_USERNAME"] },
      "fortiflex-review.yml:secrets": { environment: "fortiflex-apply-${{ matrix.stack }}", secrets: ["FORTIGATE_ADMIN_PASSWORD"] },
      "fortiflex-review.yml:points": { environment: "fortiflex-fleet", secrets: ["FORTIFLEX_PASSWORD", "FORTIFLEX_USERNAME"] },
      "fortiflex-deploy.yml:approval": { environment: "fortiflex-approval", secrets: [] },
      "fortiflex-deploy.yml:apply": {
        environment: "fortiflex-apply-${{ matrix.stack }}",
        secrets: ["FORTIFLEX_PASSWORD", "FORTIFLEX_USERNAME", "FORTIGATE_ADMIN_PASSWORD"],
      },
    });
    for (const f of FILES) expect({ f, workflowEnv: JSON.stringify(all[f].env ?? {}).includes("secrets.") }).toEqual({ f, workflowEnv: false });
    expect(fs.readFileSync(path.join(WORKFLOWS, "fortiflex-pull-request.yml"), "utf8")).not.toMatch(/secrets\.|environment:|id-token/);
    // The review's secrets job runs main's code only: it downloads nothing.
    const secretsSteps = all["fortiflex-review.yml"].jobs.secrets.steps!;
    expect(secretsSteps.length).toBeGreaterThan(0);
    expect(secretsSteps.filter((s) => s.uses)).toEqual([]);
  });

  test("job tokens: nothing by default, each job the few permissions it needs", () => {
    for (const f of FILES) expect({ f, top: all[f].permissions }).toEqual({ f, top: {} });
    expect(Object.fromEntries(everyJob.map(({ file, id, job }) => [`${file}:${id}`, job.permissions]))).toEqual({
      "fortiflex-deploy.yml:changes": { contents: "read", actions: "read" },
      "fortiflex-deploy.yml:reviewed": { contents: "read", "pull-requests": "read", actions: "read" },
      "fortiflex-deploy.yml:preview": { contents: "read", "id-token": "write" },
      "fortiflex-deploy.yml:gate": { actions: "read" },
      "fortiflex-deploy.yml:approval": {},
      "fortiflex-deploy.yml:approve": { contents: "read", actions: "read" },
      "fortiflex-deploy.yml:apply": { contents: "read", actions: "read", "id-token": "write" },
      "fortiflex-drift.yml:changes": { contents: "read" },
      "fortiflex-drift.yml:plan": { contents: "read", "id-token": "write" },
      "fortiflex-drift.yml:drift": {},
      "fortiflex-plan.yml:plan": { contents: "read", "id-token": "write" },
      "fortiflex-pull-request.yml:synthesize": { contents: "read" },
      "fortiflex-review.yml:changes": { contents: "read", actions: "read", statuses: "write" },
      "fortiflex-review.yml:plan": { contents: "read", "id-token": "write" },
      "fortiflex-review.yml:secrets": {},
      "fortiflex-review.yml:points": {},
      "fortiflex-review.yml:summary": { "pull-requests": "write", statuses: "write" },
      "fortiflex-review.yml:refused": { statuses: "write" },
    });
  });

  test("checkouts keep no token; no artifact holds plan output, state or secrets", () => {
    const checkouts = everyStep.filter(({ step: s }) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const { file, id, step: s } of checkouts) expect({ file, id, persist: s.with?.["persist-credentials"] }).toEqual({ file, id, persist: false });
    const uploads = everyStep.filter(({ step: s }) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(uploads.length).toBeGreaterThan(0);
    for (const { file, id, step: s } of uploads) {
      const where = `${file}:${id}: ${String(s.with?.name)}`;
      expect({ where, bad: /plan\.txt|plan\.json|tfplan|tfstate|terraform-state|\.terraform\/|\*|passwords/.test(String(s.with?.path)) }).toEqual({
        where,
        bad: false,
      });
      expect({ where, secrets: secretsOf({ steps: [s] }) }).toEqual({ where, secrets: [] });
    }
    // The one job that runs Terraform in a review uploads only the record derived from its plan.
    expect(uploads.filter(({ file }) => file === "fortiflex-plan.yml").map(({ step: s }) => [s.with?.name, s.with?.path])).toEqual([
      ["record-${{ matrix.stack }}", "${{ runner.temp }}/record/${{ matrix.stack }}.json"],
    ]);
    // No other artifact's name starts like a record's, so a customer's name cannot overwrite one, and record-* downloads records only.
    const others = uploads.filter(({ file }) => file !== "fortiflex-plan.yml").map(({ step: s }) => String(s.with?.name));
    expect(others.filter((n) => n.startsWith("record-"))).toEqual([]);
    const downloads = everyStep
      .filter(({ step: s }) => s.uses?.startsWith("actions/download-artifact@") && s.with?.pattern)
      .map(({ step: s }) => s.with?.pattern);
    expect(new Set(downloads)).toEqual(new Set(["record-*"]));
  });

  test("Terraform runs only through gitops terraform-environment, as its own user, with a sign-in token minted for it; plans never print", () => {
    const runs = everyStep.map(({ step: s }) => s.run ?? "").filter((r) => /^\s*(tf|terraform) /m.test(r));
    expect(runs.length).toBe(2);
    for (const r of runs) {
      const invocations = r.split("\n").filter((l) => /^\s*(tf|terraform) (init|plan|show|apply)/.test(l));
      expect(invocations.length).toBeGreaterThan(3);
      for (const l of invocations) expect(l).toMatch(/^\s*tf /);
      expect(r).toContain(
        'HOME="$tfhome" ARM_OIDC_TOKEN="$token" node "$judge/fortiflex.js" gitops terraform-environment --as fortiflex-terraform terraform "$@"',
      );
      const plans = invocations.filter((l) => /tf plan/.test(l));
      expect(plans.length).toBeGreaterThan(0);
      for (const l of plans) expect(l).toMatch(/> \/dev\/null$/);
    }
  });

  test("the workflows run the judge only as `fortiflex.js gitops <name>`, every command it lists", () => {
    const scripts = new GitopsScripts();
    const help = scripts.run("--help", []);
    scripts.remove();
    const listed = [...help.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]).filter((n) => n !== "help");
    expect(listed.length).toBe(12);
    const texts = FILES.map((f) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8"));
    const judged = texts.flatMap((t) => [...t.matchAll(/judge\/([\w.-]+\.js)/g)].map((m) => m[1]));
    expect(new Set(judged)).toEqual(new Set(["fortiflex.js"]));
    const used = new Set(texts.flatMap((t) => [...t.matchAll(/judge\/fortiflex\.js"? gitops ([a-z-]+)/g)].map((m) => m[1])));
    expect([...used].sort()).toEqual([...listed].sort());
  });
});

describe("steps that talk to GitHub, run by bash with a stand-in gh (canned answers through the step's own --jq filter)", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-gh-steps-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const bin = standIns(tmp, {
    gh: [
      'printf "%s\\n" "$*" >> "$GH_LOG"',
      'args=("$@"); filter=""',
      'for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --jq ] && filter=${args[$((i + 1))]}; done',
      'case "$*" in',
      '  "api repos/"*/commits/*/pulls*) answer=$GH_PULLS ;;',
      '  *"/pulls/"*"/commits"*) answer=${GH_COMMITS:-[]} ;;',
      '  "api repos/"*/pulls/*) answer=$GH_PULL ;;',
      '  *"/actions/artifacts"*) answer=$GH_ARTIFACTS ;;',
      '  "api repos/"*/actions/runs/*) all="$*"; id=${all##*/actions/runs/}; id=${id%% *}; answer=$(jq -c --arg id "$id" \'.[$id] // {}\' <<< "$GH_RUNS") ;;',
      '  *"/deployment-branch-policies"*) all="$*"; name=${all##*/environments/}; name=${name%%/*}; ' +
        'answer=$(jq -c --arg n "$name" \'.[$n] // {}\' <<< "${GH_POLICIES:-{\}}") ;;',
      '  "api repos/"*/environments/*) all="$*"; name=${all##*/environments/}; name=${name%% *}; ' +
        'answer=$(jq -c --arg n "$name" \'.[$n] // empty\' <<< "${GH_ENVIRONMENTS:-{\}}"); [ -n "$answer" ] ' +
        "|| exit 1 ;;",
      '  "api --paginate "*/comments*) answer=$GH_COMMENTS ;;',
      '  "run list "*"--event workflow_dispatch"*) answer=$GH_DISPATCHES ;;',
      '  "run list "*"--event push"*) answer=$GH_PUSHES ;;',
      '  "run download "*) mkdir -p decision && printf "%s" "$GH_DECISION" > decision/decision.json; exit 0 ;;',
      "  *) answer='{}' ;;",
      "esac",
      'if [ -n "$filter" ]; then jq -r "$filter" <<< "$answer"; fi',
    ].join("\n"),
  });

  const run = (s: Step, env: Record<string, string>, setup: (work: string) => void = () => undefined) => {
    const work = fs.mkdtempSync(path.join(tmp, "job-"));
    setup(work);
    const log = path.join(work, "gh.log");
    const output = path.join(work, "github_output");
    const res = runStep(
      s.run!,
      work,
      { GH_LOG: log, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(work, "summary"), GITHUB_REPOSITORY: "mssp/fleet", ...env },
      bin,
    );
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    return { ...res, calls: read(log).split("\n").filter(Boolean), output: read(output), work };
  };

  const merged = { number: 12, merged_at: "2026-12-01T00:00:00Z", base: { ref: "main" }, head: { sha: "abc123" } };
  const reviewRun = (conclusion: string, extra: object = {}) => ({
    path: ".github/workflows/fortiflex-review.yml",
    event: "workflow_run",
    conclusion,
    ...extra,
  });
  const reviewed = (runs: Record<string, object>, artifacts: number[]) =>
    run(step("fortiflex-deploy.yml", "reviewed", "Find the reviewed plans"), {
      SHA: "fff000",
      BRANCH: "main",
      GH_PULLS: JSON.stringify([{ ...merged, number: 11, merged_at: null }, merged]),
      GH_PULL: JSON.stringify({ user: { login: "author" }, merged_by: { login: "merger" } }),
      GH_COMMITS: JSON.stringify([
        { author: { login: "author" }, committer: { login: "web-flow" } },
        { author: { login: "committer" }, committer: { login: "committer" } },
      ]),
      GH_ARTIFACTS: JSON.stringify({ artifacts: artifacts.map((id) => ({ expired: false, workflow_run: { id } })) }),
      GH_RUNS: JSON.stringify(runs),
    });

  test("the reviewed plans: the review-<head> artifact of a successful fortiflex-review run; one a pull request's own run uploaded does not count", () => {
    const forged = { path: ".github/workflows/fortiflex-pull-request.yml", event: "pull_request", conclusion: "success", id: 98 };
    const found = reviewed({ "100": forged, "97": { ...reviewRun("failure"), id: 97 }, "99": { ...reviewRun("success"), id: 99 } }, [100, 97, 99]);
    expect(found).toMatchObject({ status: 0, output: "review-run=99\nhead=abc123\npr=12\npeople=author committer merger\n" });
    expect(found.calls[3]).toBe("api --paginate repos/mssp/fleet/actions/artifacts?name=review-abc123&per_page=100 --jq .artifacts[] | .workflow_run.id");
    const none = reviewed({ "98": forged }, [98]);
    expect(none.status).toBe(1);
    expect(none.stdout).toContain("::error::The newest fortiflex-review run of pull request #12's head commit abc123 did not succeed, or its record expired");
    // An older success does not outvote a newer review that refused the change.
    expect(reviewed({ "99": { ...reviewRun("success"), id: 99 }, "101": { ...reviewRun("failure"), id: 101 } }, [99, 101]).status).toBe(1);
  });

  test("a commit that no pull request merged is applied nowhere", () => {
    const direct = run(step("fortiflex-deploy.yml", "reviewed", "Find the reviewed plans"), { SHA: "fff000", BRANCH: "main", GH_PULLS: "[]" });
    expect(direct).toMatchObject({ status: 1, output: "" });
    expect(direct.stdout).toContain("::error::Commit fff000 reached main without a merged pull request, so no plan of it was reviewed; nothing is applied.");
  });

  describe("the dispatch gate", () => {
    const approve = (actor: string, extra: Record<string, string> = {}) =>
      run(
        step("fortiflex-deploy.yml", "approve", "The approver, and the run approved"),
        {
          APPROVE: "500",
          ACTOR: actor,
          GITHUB_REF: "refs/heads/main",
          GH_RUNS: JSON.stringify({
            "500": { id: 500, path: ".github/workflows/fortiflex-deploy.yml", event: "push", head_branch: "main", conclusion: "success" },
          }),
          GH_DISPATCHES: JSON.stringify([{ displayTitle: "apply 480" }, { displayTitle: "a push" }]),
          GH_PUSHES: JSON.stringify([{ databaseId: 500 }, { databaseId: 480 }, { databaseId: 470 }]),
          GH_DECISION: JSON.stringify({ stacks: ["contoso"], review_run: "99", head: "abc123", pull_request: "12", people: ["author", "merger"] }),
          ...extra,
        },
        (work) => {
          fs.mkdirSync(path.join(work, ".github"));
          fs.writeFileSync(path.join(work, ".github", "fortiflex-approvers"), "# fleet team\nalice\nmerger  # may approve others' merges\n");
        },
      );

    test("an approver who neither wrote nor merged the pull request applies the run's stacks", () => {
      const ok = approve("alice");
      expect(ok).toMatchObject({ status: 0, output: 'stacks=["contoso"]\nreview-run=99\nhead=abc123\nrun=500\n' });
    });

    test("refused: someone not listed, the merger, a run that is not a push run of main, a run with older ones not applied", () => {
      expect(approve("mallory").stdout).toContain("::error::mallory is not listed in .github/fortiflex-approvers, so cannot approve an apply.");
      expect(approve("merger").stdout).toContain("::error::merger wrote or merged pull request #12: someone else approves its apply.");
      const notPush = approve("alice", {
        GH_RUNS: JSON.stringify({
          "500": { path: ".github/workflows/fortiflex-deploy.yml", event: "workflow_dispatch", head_branch: "main", conclusion: "success" },
        }),
      });
      expect(notPush.stdout).toContain("::error::Run 500 is not a successful fortiflex-deploy run of a push to main.");
      const older = approve("alice", { GH_PUSHES: JSON.stringify([{ databaseId: 500 }, { databaseId: 490 }, { databaseId: 485 }, { databaseId: 480 }]) });
      expect(older.stdout).toContain("::error::Older push runs are not applied yet: approve them first, oldest first: 485 490");
      for (const r of [approve("mallory"), older]) expect(r).toMatchObject({ status: 1, output: "" });
    });
  });

  describe("the gate before the apply", () => {
    const gate = (env: Record<string, string>) => {
      const scripts = new GitopsScripts();
      try {
        return run(
          step("fortiflex-deploy.yml", "gate", "What the apply will do"),
          { GITHUB_RUN_ID: "500", REVIEW_RUN: "99", HEAD: "abc123", PR: "12", PEOPLE: "author merger", ...env },
          (work) => {
            fs.cpSync(scripts.dir, path.join(work, "judge"), { recursive: true });
            writeJson(path.join(work, "changes"), "changes.json", { changed: ["contoso"], added: [], retired: [], removed: [], digests: { contoso: DIGEST } });
            const record = recordOf("contoso", plan([change(CONTOSO.entitlementLifecycle, ["delete"], triggers.entitlement(), null)]), DIGEST);
            writeJson(path.join(work, "preview"), "contoso.json", record);
            writeJson(path.join(work, "reviewed", "records"), "contoso.json", record);
          },
        );
      } finally {
        scripts.remove();
      }
    };

    test("with required reviewers: the fresh plans against the review in the run summary, and the decision kept", () => {
      const res = gate({
        GATE: "environment",
        GH_ENVIRONMENTS: JSON.stringify({
          "fortiflex-approval": { protection_rules: [{ type: "branch_policy" }, { type: "required_reviewers", reviewers: [{ type: "Team" }] }] },
        }),
      });
      expect(res.status).toBe(0);
      const summary = fs.readFileSync(path.join(res.work, "summary"), "utf8");
      expect(summary).toContain("| contoso | planned | 0 | 0 | 1 | as reviewed |");
      expect(summary).toContain("Nothing is applied until a required reviewer of environment `fortiflex-approval` approves this run");
      expect(JSON.parse(fs.readFileSync(path.join(res.work, "decision", "decision.json"), "utf8"))).toEqual({
        stacks: ["contoso"],
        review_run: "99",
        head: "abc123",
        pull_request: "12",
        people: ["author", "merger"],
      });
    });

    test("an approval environment without required reviewers, or one that cannot be read, stops everything; the dispatch gate says how to approve", () => {
      const none = gate({
        GATE: "environment",
        GH_ENVIRONMENTS: JSON.stringify({
          "fortiflex-approval": { protection_rules: [{ type: "branch_policy" }, { type: "required_reviewers", reviewers: [] }] },
        }),
      });
      expect(none.status).toBe(1);
      expect(none.stdout).toContain("::error::Environment fortiflex-approval has no required reviewers, so nothing would stop this apply.");
      const unreadable = gate({ GATE: "environment", GH_ENVIRONMENTS: "{}" });
      expect(unreadable.status).toBe(1);
      expect(unreadable.stdout).toContain(
        "::error::Environment fortiflex-approval could not be read, so its gate cannot be shown to exist; nothing is applied.",
      );
      expect(fs.existsSync(path.join(unreadable.work, "decision", "decision.json"))).toBe(false);
      const dispatch = gate({ GATE: "dispatch" });
      expect(dispatch.status).toBe(0);
      expect(fs.readFileSync(path.join(dispatch.work, "summary"), "utf8")).toContain("gh workflow run fortiflex-deploy.yml --ref main -f approve=500");
    });
  });

  test("each customer's environments must exist and deploy from main only before any job uses them", () => {
    const s = step("fortiflex-review.yml", "changes", "Each customer's environments exist");
    expect(s.env?.NEEDED).toBe("${{ steps.changes.outputs.environments }}");
    const environments = {
      "fortiflex-plan-a": { deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } },
      "fortiflex-plan-b": { deployment_branch_policy: null },
      "fortiflex-plan-c": { deployment_branch_policy: { protected_branches: true } },
      "fortiflex-apply-d": { deployment_branch_policy: { protected_branches: false, custom_branch_policies: true } },
    };
    const policies = {
      "fortiflex-plan-a": { branch_policies: [{ name: "main", type: "branch" }] },
      "fortiflex-apply-d": {
        branch_policies: [
          { name: "main", type: "branch" },
          { name: "*", type: "branch" },
        ],
      },
    };
    const needed = ["fortiflex-plan-a", "fortiflex-plan-b", "fortiflex-plan-c", "fortiflex-apply-d", "fortiflex-apply-e"];
    const res = run(s, { NEEDED: JSON.stringify(needed), GH_ENVIRONMENTS: JSON.stringify(environments), GH_POLICIES: JSON.stringify(policies) });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe(
      "::error::fortiflex-plan-b has no deployment branch policy; fortiflex-apply-d deploys from branch *, " +
        "branch main (allowed: main only); fortiflex-apply-e is missing or cannot be read. Create each " +
        "customer's environments with a deployment branch policy of main only, then set their secrets " +
        "(docs/guides/gitops.md, 'Setting it up').\n",
    );
    expect(
      run(s, { NEEDED: JSON.stringify(needed.slice(0, 1)), GH_ENVIRONMENTS: JSON.stringify(environments), GH_POLICIES: JSON.stringify(policies) }),
    ).toMatchObject({ status: 0, stdout: "" });
    expect(step("fortiflex-deploy.yml", "changes", "Each customer's environments exist").run).toBe(s.run);
  });

  test("the review comment: the bot's own marked comment is edited; without one, a comment is created", () => {
    const comment = (id: number, login: string, body: string) => ({ id, user: { login }, body });
    const comments = [
      comment(5, "octocat", `${REVIEW_MARKER} quoted`),
      comment(7, "github-actions[bot]", `${REVIEW_MARKER}\n### old`),
      comment(8, "github-actions[bot]", "other"),
    ];
    const s = step("fortiflex-review.yml", "summary", "Comment on the pull request");
    expect(s.env?.MARKER).toBe(REVIEW_MARKER);
    const edited = run(s, { PR: "12", MARKER: REVIEW_MARKER, GH_COMMENTS: JSON.stringify(comments) });
    expect(edited.status).toBe(0);
    expect(edited.calls.slice(1)).toEqual(["api -X PATCH repos/mssp/fleet/issues/comments/7 -F body=@comment.md"]);
    const created = run(s, { PR: "12", MARKER: REVIEW_MARKER, GH_COMMENTS: JSON.stringify([comments[0], comments[2]]) });
    expect(created.calls.slice(1)).toEqual(["api -X POST repos/mssp/fleet/issues/12/comments -F body=@comment.md"]);
  });

  test("the review's verdict is a commit status on the pull request's head; a failed review fails it", () => {
    const s = step("fortiflex-review.yml", "summary", "The review's verdict");
    const ok = run(s, { STATUS: "0", HEAD_SHA: "abc123", RUN_URL: "https://github.com/mssp/fleet/actions/runs/7" });
    expect(ok.status).toBe(0);
    expect(ok.calls).toEqual([
      "api -X POST repos/mssp/fleet/statuses/abc123 -f state=success -f context=fortiflex/review -f " +
        "description=Plans reviewed: see the comment -f target_url=https://github.com/mssp/fleet/actions/runs/7",
    ]);
    const failed = run(s, { STATUS: "1", HEAD_SHA: "abc123", RUN_URL: "u" });
    expect(failed.status).toBe(1);
    expect(failed.calls[0]).toContain("-f state=failure");
  });
});

describe("the review's steps that judge, run by bash as the runner runs them", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-review-steps-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const remote = (v: number) => JSON.stringify({ terraform: { backend: { azurerm: { key: `${v}.tfstate` } } }, v });
  const local = JSON.stringify({ terraform: { backend: { local: { path: "x.tfstate" } } } });

  /** The changes job after its downloads and builds: the judge, the base's synth, the pull request's upload; git stands in. */
  const changes = (name: string, base: Record<string, string>, head: Record<string, string>) => {
    const root = path.join(tmp, name);
    const temp = path.join(root, "temp");
    const write = (out: string, stacks: Record<string, string>) => {
      for (const [stack, text] of Object.entries(stacks)) {
        fs.mkdirSync(path.join(out, "stacks", stack), { recursive: true });
        fs.writeFileSync(path.join(out, "stacks", stack, "cdk.tf.json"), text);
        if (!stack.startsWith("unlocked")) fs.writeFileSync(path.join(out, "stacks", stack, ".terraform.lock.hcl"), "# providers\n");
      }
    };
    write(path.join(temp, "base", "cdktf.out"), base);
    write(path.join(temp, "pull-request"), head);
    fs.writeFileSync(path.join(temp, "pull-request", "pull-request.json"), "{}");
    fs.cpSync(scripts.dir, path.join(temp, "judge"), { recursive: true });
    fs.mkdirSync(path.join(root, "work"), { recursive: true });
    const bin = standIns(root, { git: 'if [ "$1" = diff ]; then printf "stacks/customers.yaml\\0tsconfig.json\\0README.md\\0"; fi' });
    const output = path.join(root, "github_output");
    const res = runStep(
      step("fortiflex-review.yml", "changes", "Find the stacks to plan").run!,
      path.join(root, "work"),
      { RUNNER_TEMP: temp, GITHUB_OUTPUT: output, HEAD_SHA: "abc123", BASE_SHA: "def456" },
      bin,
    );
    const listing = (dir: string) =>
      fs.existsSync(path.join(root, "work", dir))
        ? fs
            .readdirSync(path.join(root, "work", dir), { recursive: true })
            .map(String)
            .sort()
        : [];
    const read = (f: string) => (fs.existsSync(path.join(root, "work", f)) ? JSON.parse(fs.readFileSync(path.join(root, "work", f), "utf8")) : undefined);
    return {
      ...res,
      output: fs.existsSync(output) ? fs.readFileSync(output, "utf8") : "",
      planInput: listing("plan-input"),
      inputs: read("review-input/inputs.json"),
      changes: read("review-input/changes.json"),
    };
  };

  test("the changed and new stacks to plan, with their digests; the files of the change that can alter what runs", () => {
    const res = changes("pr", { a: remote(1), b: remote(2) }, { a: remote(1), b: remote(3), c: remote(4) });
    expect(res).toMatchObject({
      status: 0,
      output: 'stacks=["b","c"]\nadded=["c"]\nenvironments=["fortiflex-plan-b","fortiflex-plan-c","fortiflex-apply-c"]\n',
    });
    expect(res.planInput).toEqual(["b", "b/.terraform.lock.hcl", "b/cdk.tf.json", "c", "c/.terraform.lock.hcl", "c/cdk.tf.json"]);
    expect(Object.keys(res.changes.digests)).toEqual(["b", "c"]);
    expect(res.inputs).toEqual({ customers: ["stacks/customers.yaml"], documentation: ["README.md"], workflows: [], judge: [], build: ["tsconfig.json"] });
  });

  test("refused: a customer removed without its decommission, a stack without remote state, a directory with a file synth does not write", () => {
    const removed = changes("removed", { a: remote(1), b: remote(2) }, { a: remote(1) });
    expect(removed).toMatchObject({ status: 1, output: "" });
    expect(removed.stdout).toContain(
      "::error::Customers removed from the customers file without a decommission still own Azure resources and FortiFlex objects: b.",
    );
    const localState = changes("local", {}, { a: local });
    expect(localState.stdout).toContain("::error::No remote backend for: a.");
    const extra = changes("extra", {}, { a: remote(1), "a/override.tf.json": "{}" });
    expect(extra.status).toBe(1);
    expect(extra.stdout).toContain(
      "::error::Stack directories refused (files synth does not write, links, assets that do not match " +
        "their hash): a (head): override.tf.json/: a directory synth does not write",
    );
    const unlocked = changes("unlocked", {}, { unlocked: remote(1) });
    expect(unlocked.status).toBe(1);
    expect(unlocked.stdout).toContain("::error::No provider lock file in: unlocked. Keep one beside the customers file (stacks/providers.lock.hcl;");
  });

  test("a new customer's apply environment: what it lacks is named, nothing is printed", () => {
    const s = step("fortiflex-review.yml", "secrets", "The apply environment's admin password");
    const missing = runStep(s.run!, tmp, { STACK: "contoso", PASSWORD: "short", CLIENT_ID: "", TENANT_ID: "t" });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe(
      "::error::Environment fortiflex-apply-contoso lacks: variable AZURE_CLIENT_ID, a " +
        "FORTIGATE_ADMIN_PASSWORD of 12-72 characters with lower and upper case, a digit and a symbol. Set " +
        "them before the merge (docs/guides/gitops.md), then re-run this review.\n",
    );
    expect(runStep(s.run!, tmp, { STACK: "contoso", PASSWORD: "An-Adm1n-Password!", CLIENT_ID: "c", TENANT_ID: "t" })).toMatchObject({ status: 0, stdout: "" });
  });
});

describe("the plan job, run by bash with stand-in terraform and curl", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-plan-step-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const plans = all["fortiflex-plan.yml"].jobs.plan.steps!;

  const job = (mode: "apply" | "destroy", planOutput: object) => {
    const ws = fs.mkdtempSync(path.join(tmp, "ws-"));
    fs.cpSync(scripts.dir, path.join(ws, "judge"), { recursive: true });
    fs.mkdirSync(path.join(ws, "plan-input", "contoso"), { recursive: true });
    fs.writeFileSync(path.join(ws, "plan-input", "contoso", "cdk.tf.json"), JSON.stringify({ resource: {} }));
    fs.mkdirSync(path.join(ws, "temp"));
    const log = path.join(ws, "terraform.log");
    const bin = standIns(ws, {
      terraform: [
        `echo "terraform $* | $(env | grep -E '^(ACTIONS_|ARM_OIDC_TOKEN|FORTIFLEX_ACCESS)' | sort | tr '\\n' ' ')" >> "${log}"`,
        `if [ "$1" = show ] && [ -z "$2" ]; then echo '{"format_version":"1.0"}'; elif [ "$1" = show ]; then echo '${JSON.stringify(planOutput)}'; fi`,
      ].join("\n"),
      curl: `echo '{"value":"minted-id-token"}'`,
      ...userStandIns(ws),
    });
    const env = {
      STACK: "contoso",
      DIGEST,
      MODE: mode,
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: path.join(ws, "temp"),
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.invalid/?x=1",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      FORTIFLEX_ACCESS_USERNAME: "ro",
      FORTIFLEX_ACCESS_PASSWORD: "ro-password",
    };
    const s = plans.find((p) => p.name === "Plan (read-only; the plan text is not printed)")!;
    const res = runStep(s.run!, path.join(ws, "plan-input", "contoso"), env, bin);
    const record = path.join(ws, "temp", "record", "contoso.json");
    return {
      ...res,
      calls: fs.readFileSync(log, "utf8").trim().split("\n"),
      sudo: fs.readFileSync(path.join(ws, "sudo.log"), "utf8").trim().split("\n"),
      record: fs.existsSync(record) ? JSON.parse(fs.readFileSync(record, "utf8")) : undefined,
      ws,
    };
  };

  test("a read-only plan: Terraform as its own user without the request token, the record with the directory's digest", () => {
    const res = job("apply", plan([change(CONTOSO.nsgRule, ["update"], {}, {})]));
    expect(res.status).toBe(0);
    const tfhome = path.join(res.ws, "temp", "terraform-home");
    expect(res.calls.map((c) => c.split(" | ")[0])).toEqual([
      "terraform init -input=false -no-color -lockfile=readonly",
      "terraform show -json",
      `terraform plan -input=false -no-color -lock=false -var-file=${path.join(res.ws, "temp", "passwords.tfvars.json")} -out=${path.join(tfhome, "tfplan")}`,
      `terraform show -json ${path.join(tfhome, "tfplan")}`,
    ]);
    // Every Terraform command through sudo as fortiflex-terraform, its environment given whole (env -i).
    expect(res.sudo.slice(0, 3)).toEqual([
      `sudo -n useradd --system --no-create-home --gid ${process.getgid!()} --shell /usr/sbin/nologin fortiflex-terraform`,
      `sudo -n chown -R fortiflex-terraform ${tfhome} .`,
      expect.stringMatching(/^sudo -n -u fortiflex-terraform env -i .*\bterraform init /),
    ]);
    expect(res.sudo.filter((l) => l.includes(" terraform "))).toHaveLength(4);
    for (const l of res.sudo.filter((l) => l.includes(" terraform "))) expect(l).not.toContain("request-token");
    for (const c of res.calls)
      expect(c.split(" | ")[1].trim()).toBe("ARM_OIDC_TOKEN=minted-id-token FORTIFLEX_ACCESS_PASSWORD=ro-password FORTIFLEX_ACCESS_USERNAME=ro");
    expect(res.record).toMatchObject({ stack: "contoso", digest: DIGEST, mode: "apply", change: 1, changes: [{ address: CONTOSO.nsgRule, action: "update" }] });
  });

  test("a retired customer: its ordinary plan's pending changes kept with its destroy plan", () => {
    const res = job("destroy", plan([change(CONTOSO.owner, ["delete"], triggers.owner(), null)]));
    expect(res.status).toBe(0);
    expect(res.calls.map((c) => c.split(" | ")[0]).filter((c) => c.startsWith("terraform plan"))).toEqual([
      expect.not.stringContaining("-destroy"),
      expect.stringContaining("terraform plan -destroy "),
    ]);
    expect(res.record).toMatchObject({ mode: "destroy", destroy: 1, retirement: { pending: [{ address: CONTOSO.owner, action: "delete" }] } });
  });
});

describe("Terraform's environment", () => {
  test("only what Terraform, azurerm and the handler need: no OIDC request, job token, NODE_OPTIONS or endpoints", () => {
    const env = terraformEnvironment({
      PATH: "/bin",
      HOME: "/h",
      ARM_CLIENT_ID: "c",
      ARM_OIDC_TOKEN: "t",
      ARM_OIDC_REQUEST_TOKEN: "r",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r",
      ACTIONS_RUNTIME_TOKEN: "a",
      GITHUB_TOKEN: "g",
      NODE_OPTIONS: "--require=x",
      FORTIFLEX_ACCESS_PASSWORD: "p",
      FORTIFLEX_API_URL: "https://x/",
      TF_VAR_contoso_admin_password: "v",
      TF_IN_AUTOMATION: "1",
      NPM_CONFIG_USERCONFIG: "u",
    });
    expect(Object.keys(env).sort()).toEqual([
      "ARM_CLIENT_ID",
      "ARM_OIDC_TOKEN",
      "FORTIFLEX_ACCESS_PASSWORD",
      "HOME",
      "PATH",
      "TF_IN_AUTOMATION",
      "TF_VAR_contoso_admin_password",
    ]);
  });

  test("as another user: sudo, then env -i with exactly that environment, so nothing else is inherited", () => {
    expect(terraformCommand({ PATH: "/bin", ARM_OIDC_TOKEN: "t" }, ["plan", "-out=x"], "fortiflex-terraform")).toEqual({
      file: "sudo",
      args: ["-n", "-u", "fortiflex-terraform", "env", "-i", "PATH=/bin", "ARM_OIDC_TOKEN=t", "terraform", "plan", "-out=x"],
      env: { PATH: "/bin" },
    });
    expect(terraformCommand({ PATH: "/bin" }, ["init"])).toEqual({ file: "terraform", args: ["init"], env: { PATH: "/bin" } });
  });

  test("through the CLI, Terraform gets its arguments untouched: the CLI's own options (-v, -V, -h) and -- among them, and its status", () => {
    const scripts = new GitopsScripts();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-tf-args-"));
    try {
      const bin = standIns(dir, { terraform: 'printf "%s\\n" "$@"; exit 3' });
      const args = ["plan", "-var-file=x.json", "-v", "-V", "-h", "--help", "--", "-input=false", "a b"];
      expect(scripts.run("terraform-environment", ["terraform", ...args], { env: { PATH: `${bin}:${process.env.PATH ?? ""}` } })).toEqual({
        status: 3,
        stdout: args.map((a) => `${a}\n`).join(""),
        stderr: "",
      });
    } finally {
      scripts.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
