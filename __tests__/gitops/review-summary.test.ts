import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recordOf, type PlanOutcome } from "../../gitops/plan-record";
import { pointsChange, REVIEW_MARKER, review, type ReviewInput } from "../../gitops/review-summary";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { change, CONTOSO, DIGEST, plan, triggers, writeJson } from "../helpers/plan-json";

const reviewMarkdown = (input: ReviewInput, maxChars?: number) => review(input, maxChars).markdown;

const RUN = "https://github.com/mssp/stacks/actions/runs/42";

const contosoPlan = () =>
  plan([
    change(CONTOSO.configSettings, ["delete", "create"], { triggers: { parameters: "1=2,2=UTP" } }, { triggers: { parameters: "1=4,2=UTP" } }),
    change(CONTOSO.nsgRule, ["update"], { priority: 100 }, { priority: 110 }),
    change(CONTOSO.publicIp, ["create"], null, { name: "contoso-fgt-pip" }),
  ]);
const points = {
  customers: [
    { stack: "contoso", before: 6.2, after: 12.4 },
    { stack: "fabrikam", before: 12.4, after: 12.4 },
  ],
  fleet: { before: 80.5, after: 86.7 },
  requests: 3,
};

/** contoso's row: a settings change, said in FortiFlex terms. */
const CONTOSO_ROW =
  `| contoso | planned | 2 | 1 | 1 | 6.2 → 12.4 (+6.2) | FortiFlex settings changed in place (${CONTOSO.configSettings}; ` +
  "shown as a replacement, nothing is destroyed): parameters: 1=2,2=UTP -&gt; 1=4,2=UTP |";

describe("review summary", () => {
  const outcomes = new Map<string, PlanOutcome>([
    ["contoso", { status: "planned", record: recordOf("contoso", contosoPlan(), DIGEST) }],
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
        CONTOSO_ROW,
        "| fabrikam | **FAILED** |  |  |  | 12.4 (no change) | terraform init or plan failed: see the log \\| job plan (fabrikam) |",
        `| northwind | **NO RESULT** |  |  |  | - | its plan job left no result (cancelled, or failed before planning): see ${RUN} |`,
        "| **fleet** (all customers) |  |  |  |  | 80.5 → 86.7 (+6.2) |  |",
        "",
        "**The merge applies nothing until this is resolved:** fabrikam: no plan result; northwind: no plan result.",
        "",
        "Daily points: FortiFlex points per day of the ACTIVE entitlements each stack declares, priced with " +
          "the points calculator (tools/calc), before → after this pull request.",
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
    expect(reviewMarkdown({ stacks: [], outcomes, points, runUrl: RUN })).toContain(
      `${REVIEW_MARKER}\n### FortiFlex customer stacks: 0 changed\n\nNo customer stack changes.\n`,
    );
  });

  test("a comment that would be too long keeps every row but leaves the notes to the run summary", () => {
    const stacks = Array.from({ length: 40 }, (_, i) => `customer-${i}`);
    const record = recordOf("x", contosoPlan(), DIGEST);
    const input = {
      stacks,
      outcomes: new Map(stacks.map((s): [string, PlanOutcome] => [s, { status: "planned", record: { ...record, stack: s } }])),
      points,
      runUrl: RUN,
    };
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

  /** The changes job's changes.json for these stacks (all changed). */
  const changesFile = (stacks: string[]) =>
    writeJson(tmp, `changes-${stacks.join("-")}.json`, {
      changed: stacks,
      added: [],
      removed: [],
      retired: [],
      unchanged: 0,
      localState: [],
      digests: {},
      files: {},
      problems: [],
    });

  test("records downloaded from the plan jobs and the points job's result: the summary and the shortened comment", () => {
    const records = path.join(tmp, "records");
    fs.mkdirSync(records);
    const planned = scripts.run("plan-record", ["contoso", writeJson(tmp, "plan.json", contosoPlan()), "--digest", DIGEST]);
    expect(planned.status).toBe(0);
    fs.writeFileSync(path.join(records, "contoso.json"), planned.stdout);
    const failed = scripts.run("plan-record", ["--failed", "fabrikam", "terraform init or plan failed"]);
    fs.writeFileSync(path.join(records, "fabrikam.json"), failed.stdout);
    const pointsFile = writeJson(tmp, "points.json", points);
    const args = ["--changes", changesFile(["contoso", "fabrikam"]), "--records", records, "--run-url", RUN];

    const summary = scripts.run("review-summary", [...args, "--points", pointsFile]);
    expect(summary).toMatchObject({ status: 1, stderr: "" });
    expect(summary.stdout.startsWith(`${REVIEW_MARKER}\n`)).toBe(true);
    expect(summary.stdout).toContain(CONTOSO_ROW);
    expect(summary.stdout).toContain("| fabrikam | **FAILED** |  |  |  | 12.4 (no change) | terraform init or plan failed |");
    expect(summary.stdout).toContain("| **fleet** (all customers) |  |  |  |  | 80.5 → 86.7 (+6.2) |  |");

    const comment = scripts.run("review-summary", [...args, "--points", pointsFile, "--max-chars", "400"]);
    expect(comment.status).toBe(1);
    expect(comment.stdout).toContain("| contoso | planned | 2 | 1 | 1 | 6.2 → 12.4 (+6.2) | see the run summary |");

    const noPoints = scripts.run("review-summary", [...args, "--points", path.join(tmp, "points", "points.json")]);
    expect(noPoints.stdout).toContain(
      `Daily points could not be computed: the points job left no result (${path.join(tmp, "points", "points.json")} is missing): see ${RUN}`,
    );
    fs.rmSync(path.join(records, "fabrikam.json"));
    expect(scripts.run("review-summary", ["--changes", changesFile(["contoso"]), "--records", records, "--run-url", RUN, "--points", pointsFile]).status).toBe(
      0,
    );
  });

  test("bad input: the reason, exit 2", () => {
    const badPoints = writeJson(tmp, "bad-points.json", { customers: "x" });
    const args = ["--changes", changesFile(["contoso"]), "--records", tmp, "--run-url", RUN];
    expect(scripts.run("review-summary", [...args, "--points", badPoints])).toMatchObject({
      status: 2,
      stderr: `review-summary: ${badPoints}: not the output of points-delta\n`,
    });
    expect(scripts.run("review-summary", [...args, "--points", badPoints, "--max-chars", "-1"]).status).toBe(2);
    expect(scripts.run("review-summary", ["--records", tmp]).status).toBe(2);
  });

  test("the record of a changed entitlement status says it is stopped", () => {
    const record = recordOf(
      "contoso",
      plan([
        change(CONTOSO.entitlementLifecycle, ["no-op"], triggers.entitlement(), triggers.entitlement()),
        change(CONTOSO.entitlementSettings, ["delete", "create"], triggers.entitlementSettings("ACTIVE"), triggers.entitlementSettings("STOPPED")),
      ]),
      DIGEST,
    );
    const md = reviewMarkdown({ stacks: ["contoso"], outcomes: new Map([["contoso", { status: "planned", record }]]), points, runUrl: RUN });
    expect(md).toContain("**FortiFlex entitlement contoso/FortiGate/Entitlement stopped**");
  });
});

/** What a reviewer must see, and what a change under review must not be able to hide from them. */
describe("what the review shows", () => {
  const planned = (stack: string, p: ReturnType<typeof plan>, retirement?: ReturnType<typeof plan>): [string, PlanOutcome] => [
    stack,
    { status: "planned", record: recordOf(stack, p, DIGEST, retirement) },
  ];

  test("summary injection: drift text and file names from the change are text, never HTML that could hide rows or mention anyone", () => {
    const hostile = "status STOPPED --> <!-- hide the rest | @mssp/fleet-team `x` <img src=x onerror=alert(1)>";
    const record = recordOf(
      "contoso",
      plan([change(CONTOSO.entitlementDriftRepair, ["create"], null, { triggers: { lifecycle: "1", drift: hostile } })]),
      DIGEST,
    );
    const md = review({
      stacks: ["contoso", "fabrikam"],
      outcomes: new Map<string, PlanOutcome>([
        ["contoso", { status: "planned", record }],
        ["fabrikam", { status: "failed", reason: "<!-- the rows below vanish" }],
      ]),
      points,
      runUrl: RUN,
      inputs: { customers: [], documentation: [], workflows: [], judge: [], build: ["<!--.ts"] },
    }).markdown;
    const comments = md.split("\n").filter((l) => l.includes("<!--"));
    expect(comments).toEqual([REVIEW_MARKER]);
    expect(md).not.toMatch(/<img|@mssp/);
    expect(md).toContain("status STOPPED --&gt; &lt;!-- hide the rest \\| &#64;mssp/fleet-team &#96;x&#96; &lt;img src=x onerror=alert(1)&gt;");
    expect(md).toContain("| fabrikam | **FAILED** |  |  |  | 12.4 (no change) | &lt;!-- the rows below vanish |");
    expect(md).toContain("- &lt;!--.ts");
  });

  test("every stop, disable and destroy is listed as the guard will hold the apply to it; files that can alter what runs are named", () => {
    const md = review({
      stacks: ["contoso"],
      outcomes: new Map([
        planned(
          "contoso",
          plan([change(CONTOSO.entitlementLifecycle, ["delete", "create"], triggers.entitlement(), triggers.entitlement("contoso/FortiGate/Entitlement2"))]),
        ),
      ]),
      points,
      runUrl: RUN,
      changes: { retired: [], files: { contoso: ["assets/FortiFlexRuntime_Handler_2BAADE3B/AB4C5476CDA51FBFA36CBCA1E071DA0B/fortiflex-handler.js"] } },
      inputs: {
        customers: [],
        documentation: ["README.md"],
        workflows: [".github/workflows/fortiflex-deploy.yml"],
        judge: ["gitops/plan-guard.ts"],
        build: ["tsconfig.json", ".npmrc"],
      },
    }).markdown;
    expect(md).toContain(
      [
        "#### What the merge stops, disables or destroys (2)",
        "",
        "The apply of each stack refuses anything beyond this list.",
        "",
        "| stack | action |",
        "| --- | --- |",
        `| contoso | Terraform replaces ${CONTOSO.entitlementLifecycle} |`,
        `| contoso | FortiFlex entitlement contoso/FortiGate/Entitlement (account 1525960) is stopped/disabled: ${CONTOSO.entitlementLifecycle} is replaced |`,
      ].join("\n"),
    );
    expect(md).toContain(
      "#### Files of this change that can alter what runs for every customer (2)\n\nNot the customers file " +
        "or documentation: review them as code (code owners).\n\n- tsconfig.json\n- .npmrc\n",
    );
    expect(md).toContain("#### **The workflows themselves change (1): in force from this merge on, its own apply included**");
    expect(md).toContain(
      "#### The GitOps scripts change (1)\n\nThis review was judged by the base's scripts, and so will its " +
        "apply be; these changes judge later merges.\n\n- gitops/plan-guard.ts",
    );
    expect(md).toContain("| contoso | assets/FortiFlexRuntime_Handler_2BAADE3B/AB4C5476CDA51FBFA36CBCA1E071DA0B/fortiflex-handler.js |");
    expect(md).not.toContain("README.md");
  });

  test("a retirement whose decommission was never applied is refused and blocks the merge; references into another customer are named", () => {
    const destroy = plan([change(CONTOSO.owner, ["delete"], triggers.owner(), null)]);
    const result = review({
      stacks: ["contoso", "fabrikam"],
      outcomes: new Map([planned("contoso", destroy, plan([change(CONTOSO.vm, ["delete"], { name: "contoso-fgt" }, null)])), planned("fabrikam", plan([]))]),
      points,
      runUrl: RUN,
      changes: { retired: ["contoso"], files: {} },
      references: [
        {
          stack: "fabrikam",
          references: [
            {
              otherStack: "contoso",
              id:
                "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/contoso-fortigate-rg" +
                "/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
              where: "azurerm_network_interface.Nic.ip_configuration[0].subnet_id",
            },
          ],
        },
      ],
    });
    expect(result.blockers).toEqual(["contoso: retirement refused (its decommission is not applied)"]);
    expect(result.markdown).toContain(
      `| contoso | **RETIREMENT REFUSED** | 0 | 0 | 1 | 6.2 → 12.4 (+6.2) | its decommission is not applied: ${CONTOSO.vm} (delete) |`,
    );
    expect(result.markdown).toContain(
      "| fabrikam | contoso | " +
        "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/contoso-fortigate-rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s " +
        "| azurerm_network_interface.Nic.ip_configuration[0].subnet_id |",
    );
  });
});
