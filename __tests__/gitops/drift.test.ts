import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { driftReport } from "../../gitops/drift-report";
import { changedPaths, driftOf } from "../../gitops/plan-drift";
import { recordOf } from "../../gitops/plan-record";
import { GitopsScripts } from "../helpers/gitops-scripts";
import { change, CONTOSO, DIGEST, plan, triggers, writeJson } from "../helpers/plan-json";

const RUN = "https://github.com/mssp/stacks/actions/runs/42";

/** A plan of an existing stack: a FortiFlex object changed in the portal, an NSG rule edited, the public IP deleted. */
const driftedPlan = () =>
  plan(
    [
      change(CONTOSO.observe, ["read"], null, { result: { "drift:contoso/FortiGate/Entitlement": "status STOPPED (want ACTIVE)" } }),
      change(CONTOSO.entitlementDriftRepair, ["create"], null, { triggers: { lifecycle: "4711", drift: "status STOPPED (want ACTIVE)" } }),
      change(CONTOSO.entitlementLifecycle, ["no-op"], triggers.entitlement(), triggers.entitlement()),
      change(
        CONTOSO.nsgRule,
        ["update"],
        { priority: 100, source_address_prefixes: ["198.51.100.7/32"] },
        { priority: 100, source_address_prefixes: ["203.0.113.0/24"] },
      ),
      change(CONTOSO.publicIp, ["create"], null, { name: "contoso-fgt-pip" }),
    ],
    [
      change(
        CONTOSO.nsgRule,
        ["update"],
        { priority: 100, source_address_prefixes: ["203.0.113.0/24"], tags: { owner: "noc" } },
        { priority: 100, source_address_prefixes: ["198.51.100.7/32"], tags: { owner: "someone-else" } },
      ),
      change(CONTOSO.publicIp, ["delete"], { name: "contoso-fgt-pip", ip_address: "192.0.2.10" }, null),
      change("null_resource.Elsewhere_1", ["update"], { triggers: {} }, { triggers: { x: "1" } }),
    ],
  );

describe("drift of one plan", () => {
  test("FortiFlex drift from the repair steps, Azure drift by attribute name, and the other pending changes", () => {
    expect(driftOf(driftedPlan())).toEqual({
      fortiflex: [{ address: CONTOSO.entitlementDriftRepair, drift: "status STOPPED (want ACTIVE)" }],
      azure: [
        { address: CONTOSO.nsgRule, deleted: false, attributes: ["source_address_prefixes[0]", "tags.owner"] },
        { address: CONTOSO.publicIp, deleted: true, attributes: [] },
      ],
      pending: [
        { address: CONTOSO.nsgRule, action: "update" },
        { address: CONTOSO.publicIp, action: "create" },
      ],
    });
  });

  test("changed attribute paths: nested maps and lists, lists of another length, whole values; never the values", () => {
    expect(changedPaths({ a: 1, b: { c: [1, 2], d: "x" }, e: [1] }, { a: 1, b: { c: [1, 3], d: "y" }, e: [1, 2], f: true })).toEqual([
      "b.c[1]",
      "b.d",
      "e",
      "f",
    ]);
    expect(changedPaths("x", "y")).toEqual(["(whole resource)"]);
    expect(changedPaths({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });

  test("what the plan found astray in FortiFlex (duplicates, undeclared live objects) is FortiFlex drift, not a pending change", () => {
    const strays = "duplicate entitlement FGVM2 of contoso/FortiGate/Entitlement (keeps FGVM1)";
    expect(driftOf(plan([change(CONTOSO.settle, ["create"], null, { triggers: { account_id: "1525960", strays } })]))).toEqual({
      fortiflex: [{ address: CONTOSO.settle, drift: strays }],
      azure: [],
      pending: [],
    });
  });

  test("an empty plan has no drift", () => {
    expect(driftOf(plan([change(CONTOSO.vm, ["no-op"], {}, {}), change(CONTOSO.observe, ["read"], null, {})]))).toEqual({
      fortiflex: [],
      azure: [],
      pending: [],
    });
  });
});

describe("drift report", () => {
  test("one summary: drift tables, failed and missing plans; clean only when every stack planned without drift", () => {
    const outcomes = new Map([
      ["contoso", { status: "planned" as const, record: recordOf("contoso", driftedPlan(), DIGEST) }],
      ["fabrikam", { status: "planned" as const, record: recordOf("fabrikam", plan([]), DIGEST) }],
      ["northwind", { status: "failed" as const, reason: "terraform init or plan failed: see the log" }],
    ]);
    const report = driftReport(["contoso", "fabrikam", "northwind", "woodgrove"], outcomes, RUN);
    expect(report.clean).toBe(false);
    expect(report.markdown).toBe(
      [
        "### Drift of 4 customer stack(s)",
        "",
        "1 drifted or with pending changes, 1 in line with the code, 2 without a plan.",
        "",
        "#### FortiFlex drift (repaired by the next apply)",
        "",
        "| stack | step | what changed outside Terraform |",
        "| --- | --- | --- |",
        `| contoso | ${CONTOSO.entitlementDriftRepair} | status STOPPED (want ACTIVE) |`,
        "",
        "#### Azure drift (changed outside Terraform)",
        "",
        "| stack | resource | changed attributes |",
        "| --- | --- | --- |",
        `| contoso | ${CONTOSO.nsgRule} | source_address_prefixes[0], tags.owner |`,
        `| contoso | ${CONTOSO.publicIp} | deleted |`,
        "",
        "#### Other pending changes (what an apply would do)",
        "",
        "| stack | resource | action |",
        "| --- | --- | --- |",
        `| contoso | ${CONTOSO.nsgRule} | update |`,
        `| contoso | ${CONTOSO.publicIp} | create |`,
        "",
        "#### Plans without a result",
        "",
        "| stack | why |",
        "| --- | --- |",
        "| northwind | terraform init or plan failed: see the log |",
        `| woodgrove | its plan job left no result (cancelled, or failed before planning): see ${RUN} |`,
        "",
        `[Workflow run](${RUN})`,
        "",
      ].join("\n"),
    );
    expect(driftReport(["fabrikam"], outcomes, RUN)).toEqual({
      clean: true,
      markdown: expect.stringContaining("0 drifted or with pending changes, 1 in line with the code, 0 without a plan."),
    });
  });
});

describe("drift-report, run as the drift job runs it", () => {
  const scripts = new GitopsScripts();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-drift-"));
  afterAll(() => {
    scripts.remove();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** What a plan job uploads: plan-record's output in record/<stack>.json. */
  const record = (args: string[]) => {
    const res = scripts.run("plan-record", args);
    expect(res).toMatchObject({ status: 0, stderr: "" });
    fs.mkdirSync(path.join(tmp, "records"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "records", `${args[0] === "--failed" ? args[1] : args[0]}.json`), res.stdout);
  };

  test("records of drifted, clean and failed plans, one missing: the report, exit 1; all clean: exit 0", () => {
    record(["contoso", writeJson(tmp, "contoso-plan.json", driftedPlan()), "--digest", DIGEST]);
    record(["fabrikam", writeJson(tmp, "fabrikam-plan.json", plan([change(CONTOSO.vm, ["no-op"], {}, {})])), "--digest", DIGEST]);
    record(["--failed", "northwind", "terraform init or plan failed: see the log of job plan (northwind)"]);
    const res = scripts.run("drift-report", [JSON.stringify(["contoso", "fabrikam", "northwind", "woodgrove"]), path.join(tmp, "records"), RUN]);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain("1 drifted or with pending changes, 1 in line with the code, 2 without a plan.");
    expect(res.stdout).toContain(`| contoso | ${CONTOSO.entitlementDriftRepair} | status STOPPED (want ACTIVE) |`);
    expect(res.stdout).toContain("| northwind | terraform init or plan failed: see the log of job plan (northwind) |");
    expect(res.stdout).toContain("| woodgrove | its plan job left no result");
    // Values from the plan never reach a record or the report.
    for (const value of ["192.0.2.10", "someone-else", "198.51.100.7"]) {
      expect(fs.readFileSync(path.join(tmp, "records", "contoso.json"), "utf8")).not.toContain(value);
      expect(res.stdout).not.toContain(value);
    }
    const clean = scripts.run("drift-report", ['["fabrikam"]', path.join(tmp, "records"), RUN]);
    expect(clean).toMatchObject({ status: 0, stderr: "" });
  });

  test("bad input: exit 2 with the reason; a record of another stack or one that contradicts itself is that stack's failure", () => {
    expect(scripts.run("drift-report", ["contoso", path.join(tmp, "records"), RUN])).toMatchObject({
      status: 2,
      stderr: 'drift-report: expected a JSON list of stack names, got "contoso"\n',
    });
    fs.mkdirSync(path.join(tmp, "bad"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "bad", "contoso.json"), JSON.stringify({ stack: "fabrikam", failed: "x" }));
    const forged = { ...recordOf("fabrikam", plan([]), DIGEST), changes: [{ address: CONTOSO.vm, action: "update" }] };
    fs.writeFileSync(path.join(tmp, "bad", "fabrikam.json"), JSON.stringify(forged));
    const res = scripts.run("drift-report", ['["contoso","fabrikam"]', path.join(tmp, "bad"), RUN]);
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('| contoso | its record is of stack "fabrikam" |');
    expect(res.stdout).toContain(
      "| fabrikam | its record contradicts itself: its counts (0 to add, 0 to change, 0 to destroy) are not those of its changes (0, 1, 0) |",
    );
  });
});
