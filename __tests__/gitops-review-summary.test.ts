import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recordOf, type PlanOutcome } from "../gitops/plan-record";
import { pointsChange, REVIEW_MARKER, reviewMarkdown } from "../gitops/review-summary";
import { GitopsScripts } from "./helpers/gitops-scripts";
import { change, CONTOSO, plan, triggers, writeJson } from "./helpers/plan-json";

const RUN = "https://github.com/mssp/stacks/actions/runs/42";

const contosoPlan = () =>
  plan([
    change(CONTOSO.configSettings, ["delete", "create"], { triggers: { parameters: "1=2,2=UTP" } }, { triggers: { parameters: "1=4,2=UTP" } }),
    change(CONTOSO.nsgRule, ["update"], { priority: 100 }, { priority: 110 }),
    change(CONTOSO.publicIp, ["create"], null, { name: "contoso-fgt-pip" }),
  ]);
const points = { customers: [{ stack: "contoso", before: 6.2, after: 12.4 }, { stack: "fabrikam", before: 12.4, after: 12.4 }], fleet: { before: 80.5, after: 86.7 }, requests: 3 };

describe("review summary", () => {
  const outcomes = new Map<string, PlanOutcome>([
    ["contoso", { status: "planned", record: recordOf("contoso", contosoPlan()) }],
    ["fabrikam", { status: "failed", reason: "terraform init or plan failed: see the log | job plan (fabrikam)" }],
  ]);

  test("a row per stack, failed and missing plans kept, daily points per customer and the fleet's", () => {
    expect(reviewMarkdown({ stacks: ["contoso", "fabrikam", "northwind"], outcomes, points, runUrl: RUN })).toBe(
      [
        REVIEW_MARKER,
        "### FortiFlex customer stacks: 3 changed",
        "",
        "| stack | plan | add | change | destroy | daily points | notes |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
        `| contoso | planned | 2 | 1 | 1 | 6.2 → 12.4 (+6.2) | FortiFlex settings changed in place (${CONTOSO.configSettings}) |`,
        "| fabrikam | **FAILED** |  |  |  | 12.4 (no change) | terraform init or plan failed: see the log \\| job plan (fabrikam) |",
        `| northwind | **NO RESULT** |  |  |  | - | its plan job left no result (cancelled, or failed before planning): see ${RUN} |`,
        "| **fleet** (all customers) |  |  |  |  | 80.5 → 86.7 (+6.2) |  |",
        "",
        "**2 plan(s) without a result: fabrikam, northwind.** A merge applies nothing until every plan of the pull request succeeds.",
        "",
        "Daily points: FortiFlex points per day of the ACTIVE entitlements each stack declares, priced with the points calculator (tools/calc), before → after this pull request.",
        "",
        `[Workflow run](${RUN})`,
        "",
      ].join("\n"),
    );
  });

  test("points that could not be computed are said so; no stacks, no table", () => {
    const md = reviewMarkdown({ stacks: ["contoso"], outcomes, points: { unavailable: "the points job left no result" }, runUrl: RUN });
    expect(md).toContain("| contoso | planned | 2 | 1 | 1 | ? |");
    expect(md).toContain("Daily points could not be computed: the points job left no result");
    expect(md).not.toContain("**fleet**");
    expect(reviewMarkdown({ stacks: [], outcomes, points, runUrl: RUN })).toBe(`${REVIEW_MARKER}\n### FortiFlex customer stacks: 0 changed\n\nNo customer stack changes.\n`);
  });

  test("a comment that would be too long keeps every row but leaves the notes to the run summary", () => {
    const stacks = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const record = recordOf("x", contosoPlan());
    const input = { stacks, outcomes: new Map(stacks.map((s): [string, PlanOutcome] => [s, { status: "planned", record: { ...record, stack: s } }])), points, runUrl: RUN };
    const full = reviewMarkdown(input);
    const short = reviewMarkdown(input, full.length - 1);
    expect(short.length).toBeLessThan(full.length - 1);
    expect(short.split("\n").filter((l) => l.startsWith("| customer-"))).toHaveLength(40);
    expect(short).toContain("| customer-39 | planned | 2 | 1 | 1 | - | see the run summary |");
    expect(short).toContain(`they are in the run summary: ${RUN}`);
    expect(reviewMarkdown(input, full.length)).toBe(full);
  });

  test("points changes", () => {
    expect([pointsChange(1, 1), pointsChange(1.25, 3.1), pointsChange(10, 7.75)]).toEqual(["1 (no change)", "1.25 → 3.1 (+1.85)", "10 → 7.75 (-2.25)"]);
  });
});

describe("review-summary, run as the summary job runs it", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-review-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("records downloaded from the plan jobs and the points job's result: the summary and the shortened comment", () => {
    const records = path.join(tmp, "records");
    fs.mkdirSync(records);
    const planned = scripts.run("plan-record", ["contoso", writeJson(tmp, "plan.json", contosoPlan())]);
    expect(planned.status).toBe(0);
    fs.writeFileSync(path.join(records, "contoso.json"), planned.stdout);
    const failed = scripts.run("plan-record", ["--failed", "fabrikam", "terraform init or plan failed"]);
    fs.writeFileSync(path.join(records, "fabrikam.json"), failed.stdout);
    const pointsFile = writeJson(tmp, "points.json", points);
    const stacks = JSON.stringify(["contoso", "fabrikam"]);

    const summary = scripts.run("review-summary", [stacks, records, pointsFile, RUN]);
    expect(summary).toMatchObject({ status: 0, stderr: "" });
    expect(summary.stdout.startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(summary.stdout).toContain(`| contoso | planned | 2 | 1 | 1 | 6.2 → 12.4 (+6.2) | FortiFlex settings changed in place (${CONTOSO.configSettings}) |`);
    expect(summary.stdout).toContain("| fabrikam | **FAILED** |  |  |  | 12.4 (no change) | terraform init or plan failed |");
    expect(summary.stdout).toContain("| **fleet** (all customers) |  |  |  |  | 80.5 → 86.7 (+6.2) |  |");

    const comment = scripts.run("review-summary", ["--max-chars", "400", stacks, records, pointsFile, RUN]);
    expect(comment.status).toBe(0);
    expect(comment.stdout).toContain("| contoso | planned | 2 | 1 | 1 | 6.2 → 12.4 (+6.2) | see the run summary |");

    const noPoints = scripts.run("review-summary", [stacks, records, path.join(tmp, "points", "points.json"), RUN]);
    expect(noPoints.stdout).toContain(`Daily points could not be computed: the points job left no result (${path.join(tmp, "points", "points.json")} is missing): see ${RUN}`);
  });

  test("bad input: the reason, non-zero exit", () => {
    const badPoints = writeJson(tmp, "bad-points.json", { customers: "x" });
    expect(scripts.run("review-summary", ['["contoso"]', tmp, badPoints, RUN])).toMatchObject({ status: 1, stderr: `review-summary: ${badPoints}: not the output of points-delta\n` });
    expect(scripts.run("review-summary", ["--max-chars", "-1", "[]", tmp, badPoints, RUN]).status).toBe(2);
  });

  test("the record of a changed entitlement status says it is stopped", () => {
    const record = recordOf("contoso", plan([change(CONTOSO.entitlementLifecycle, ["no-op"], triggers.entitlement(), triggers.entitlement()), change(CONTOSO.entitlementSettings, ["delete", "create"], triggers.entitlementSettings("ACTIVE"), triggers.entitlementSettings("STOPPED"))]));
    const md = reviewMarkdown({ stacks: ["contoso"], outcomes: new Map([["contoso", { status: "planned", record }]]), points, runUrl: RUN });
    expect(md).toContain("**FortiFlex entitlement contoso/FortiGate/Entitlement stopped**");
  });
});
