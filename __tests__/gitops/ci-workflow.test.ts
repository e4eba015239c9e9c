import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "../helpers/actionlint";
import { workflow, WORKFLOWS, type Job } from "../helpers/workflow-steps";

/**
 * The repository's own CI (.github/workflows/ci.yml): .ci/run on every pull request and push to main, with a
 * read-only token and no secret. The fleet's GitOps workflows beside it have their own test (workflow.test.ts).
 */
const FILE = "ci.yml";
const text = fs.readFileSync(path.join(WORKFLOWS, FILE), "utf8");
const ci = workflow(FILE);
const jobs = Object.values(ci.jobs);
const steps = jobs.flatMap((j) => j.steps ?? []);

describe("the repository's CI workflow", () => {
  test("passes actionlint", async () => {
    expect(await runLint(text, FILE)).toEqual([]);
  });

  test("every workflow here is either this one or one of the fleet's (each has its test)", () => {
    const others = fs.readdirSync(WORKFLOWS).filter((f) => f !== FILE);
    expect(others.length).toBeGreaterThan(3);
    expect(others.filter((f) => !/^fortiflex-[a-z-]+\.yml$/.test(f))).toEqual([]);
  });

  test("runs .ci/run on pull requests and on pushes to main, with Node 24 and Terraform 1.11, within a time limit", () => {
    expect(ci.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
    expect(jobs.length).toBe(1);
    expect((jobs[0] as Job & { "timeout-minutes"?: number })["timeout-minutes"]).toBeGreaterThan(0);
    expect(steps.filter((s) => s.run !== undefined).map((s) => s.run!.trim())).toEqual([".ci/run"]);
    expect(steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toEqual({ "node-version": 24 });
    expect(steps.find((s) => s.uses?.startsWith("hashicorp/setup-terraform@"))?.with).toEqual({
      terraform_version: expect.stringMatching(/^1\.11\.\d+$/),
      terraform_wrapper: false,
    });
    // One run per ref; a newer push to a pull request replaces the older run.
    expect(ci.concurrency).toEqual({ group: "ci-${{ github.ref }}", "cancel-in-progress": "${{ github.event_name == 'pull_request' }}" });
  });

  test("a read-only token, no secret, a checkout that keeps no token", () => {
    expect(ci.permissions).toEqual({ contents: "read" });
    for (const job of jobs) expect(job.permissions).toBeUndefined();
    expect(text).not.toMatch(/secrets\.|id-token|environment:/);
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with).toEqual({ "persist-credentials": false });
  });

  test("every action pinned to a full commit SHA with its version beside it", () => {
    const uses = steps.map((s) => s.uses).filter((u): u is string => !!u);
    expect(uses.length).toBe(3);
    for (const u of uses) {
      expect(u).toMatch(/^[a-z-]+\/[a-z-]+@[0-9a-f]{40}$/);
      expect(text).toMatch(new RegExp(`uses: ${u.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v\\d+\\.\\d+\\.\\d+\\n`));
    }
  });
});
