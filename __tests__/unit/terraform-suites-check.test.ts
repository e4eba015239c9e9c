import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * .ci/run's last check, run as .ci/run runs it on made-up reports: a real-terraform suite that did not run on
 * one framework, or a test Jest skipped, fails it by name.
 */
const script = path.join(__dirname, "..", "..", ".ci", "check-terraform-suites.js");
const node = (args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

const suites = node(["--list"])
  .stdout.trimEnd()
  .split("\n")
  .map((line) => /^ {2}(\S+): "(.+)"$/.exec(line)!)
  .map(([, file, name]) => ({ file, name }));

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-suites-check-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const reportOf = (outcome: "RAN" | "SKIPPED", skip?: { framework: string; file: string }) => {
  const file = path.join(tmp, `report-${outcome}-${skip?.framework ?? "all"}.txt`);
  const lines = ["cdktf", "cdktn"].flatMap((framework) =>
    suites
      .filter((s) => !(skip && skip.framework === framework && skip.file === s.file))
      .map((s) => `[${framework}] ${outcome} "${s.name}" in ${s.file}: details`),
  );
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};

const resultsOf = (name: string, tests: { suite: string; title: string; status: string }[]) => {
  const file = path.join(tmp, `${name}.json`);
  const testResults = [
    { name: path.join(tmp, "a.test.ts"), assertionResults: tests.map((t) => ({ ancestorTitles: t.suite.split(" > "), title: t.title, status: t.status })) },
  ];
  fs.writeFileSync(file, JSON.stringify({ testResults }));
  return `${name}=${file}`;
};

test("the suites expected are every file under __tests__/terraform and the other users of the helper", () => {
  const files = new Set(suites.map((s) => s.file));
  const terraformDir = path.join(__dirname, "..", "terraform");
  const underTerraform = fs.readdirSync(terraformDir).filter((f) => f.endsWith(".test.ts"));
  expect(underTerraform.length).toBeGreaterThan(0);
  for (const f of underTerraform) expect(files).toContain(`__tests__/terraform/${f}`);
  expect(files).toContain("__tests__/unit/fortigate-vm.test.ts");
  expect(files).toContain("__tests__/gitops/real-plan.test.ts");
});

test("every suite reported RAN on both frameworks, nothing skipped: passes", () => {
  const res = node(["--report", reportOf("RAN"), resultsOf("cdktf", [{ suite: "s", title: "t", status: "passed" }])]);
  expect(res.stderr).toBe("");
  expect(res.stdout).toBe(`check-terraform-suites: all ${suites.length} real-terraform suites ran on cdktf, cdktn\n`);
  expect(res.status).toBe(0);
});

test("a suite missing from one framework's report fails, naming it", () => {
  const missing = suites.find((s) => s.file === "__tests__/terraform/adoption.test.ts")!;
  const res = node(["--report", reportOf("RAN", { framework: "cdktn", file: missing.file })]);
  expect(res.status).toBe(1);
  expect(res.stderr).toBe(`check-terraform-suites: FAILED\n  cdktn: 1 real-terraform suite(s) not reported RAN:\n    ${missing.file}: "${missing.name}"\n`);
});

test("a test Jest skipped fails the check, even when every suite ran", () => {
  const res = node(["--report", reportOf("RAN"), resultsOf("cdktf", [{ suite: "some suite", title: "a test", status: "pending" }])]);
  expect(res.status).toBe(1);
  expect(res.stderr).toMatch(/^ {2}cdktf: Jest skipped 1 test\(s\) it should have run:\n {4}\S+a\.test\.ts: some suite > a test$/m);
});

test("without terraform (allowed), every suite must be reported SKIPPED and only their tests skipped", () => {
  // A skipped suite may sit inside another describe (as in fortigate-vm.test.ts).
  const skipped = [
    { suite: "adoption (SKIPPED: terraform is not on PATH)", title: "t", status: "pending" },
    { suite: "FortiGateVm > custom data evaluated by terraform console (SKIPPED: terraform is not on PATH)", title: "u", status: "pending" },
  ];
  const ok = node(["--no-terraform", "--report", reportOf("SKIPPED"), resultsOf("cdktf", skipped)]);
  expect(ok.stdout).toMatch(/all \d+ real-terraform suites SKIPPED \(terraform not on PATH, allowed\)/);
  expect(ok.status).toBe(0);
  const other = node(["--no-terraform", "--report", reportOf("SKIPPED"), resultsOf("cdktf", [{ suite: "unit", title: "t", status: "pending" }])]);
  expect(other.status).toBe(1);
  expect(other.stderr).toMatch(/cdktf: Jest skipped 1 test\(s\) it should have run:\n {4}\S+: unit > t/);
  // RAN lines do not stand in for SKIPPED ones when terraform is absent.
  expect(node(["--no-terraform", "--report", reportOf("RAN")]).status).toBe(1);
});
