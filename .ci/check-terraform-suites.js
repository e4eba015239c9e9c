#!/usr/bin/env node
/**
 * After the test runs of .ci/run: every real-terraform suite ran on every framework, and Jest skipped nothing
 * it was not meant to. Jest alone only counts skipped tests, so a missing terraform (or a suite that never
 * started) would pass unnoticed.
 *
 *   node .ci/check-terraform-suites.js --report FILE [--frameworks cdktf,cdktn] [--no-terraform] NAME=RESULTS.json...
 *   node .ci/check-terraform-suites.js --list      (the suites expected, one a line)
 *
 * --report: the lines __tests__/helpers/terraform.ts appends (FORTIFLEX_TERRAFORM_REPORT), one per suite and
 * framework: `[cdktf] RAN "name" in __tests__/x.test.ts ...` or `[cdktf] SKIPPED "name" in ...`.
 * --frameworks: the runs that must show every suite (default cdktf,cdktn).
 * --no-terraform: terraform is not on PATH (allowed by FORTIFLEX_ALLOW_NO_TERRAFORM=1): every suite must be
 * reported SKIPPED instead, and Jest's skipped tests must all belong to those suites.
 * NAME=RESULTS.json: Jest's --json output of each run, checked for skipped tests.
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const SKIPPED_SUFFIX = "(SKIPPED: terraform is not on PATH)";

/** Test files that must run real terraform: all of __tests__/terraform, and any other test using the helper. */
function expectedSuites(root = ROOT) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".test.ts")) files.push(full);
    }
  };
  walk(path.join(root, "__tests__"));
  const suites = [];
  const problems = [];
  for (const full of files.sort()) {
    const file = path.relative(root, full);
    const text = fs.readFileSync(full, "utf8");
    const names = [...text.matchAll(/describeWithTerraform\(\s*"([^"]+)"/g)].map((m) => m[1]);
    const calls = (text.match(/describeWithTerraform\(/g) ?? []).length;
    if (calls !== names.length) problems.push(`${file}: a describeWithTerraform suite without a plain string name (the check cannot follow it)`);
    if (file.startsWith(path.join("__tests__", "terraform")) && calls === 0)
      problems.push(`${file}: under __tests__/terraform but has no describeWithTerraform suite (nothing says whether it ran)`);
    for (const name of names) suites.push({ file, name });
  }
  return { suites, problems };
}

/** Report lines by framework: `${file} ${name}` → "RAN" | "SKIPPED". */
function parseReport(text) {
  const seen = {};
  for (const line of text.split("\n")) {
    const m = /^\[(\w+)\] (RAN|SKIPPED) "([^"]+)" in (\S+?):(?: |$)/.exec(line);
    if (!m) continue;
    (seen[m[1]] ??= {})[`${m[4]} "${m[3]}"`] = m[2];
  }
  return seen;
}

/** Tests Jest skipped (pending or todo), with where they are. */
function skippedTests(results) {
  const skipped = [];
  for (const file of results.testResults ?? [])
    for (const t of file.assertionResults ?? [])
      if (t.status === "pending" || t.status === "skipped" || t.status === "todo")
        skipped.push({ file: path.relative(ROOT, file.name), title: [...t.ancestorTitles, t.title].join(" > "), ancestors: t.ancestorTitles });
  return skipped;
}

/** The failures, as lines to print; empty when all is well. */
function check({ report, frameworks, terraform, runs, expected }) {
  const failures = [...expected.problems];
  const seen = parseReport(report);
  const want = terraform ? "RAN" : "SKIPPED";
  for (const framework of frameworks) {
    const missing = expected.suites.filter((s) => (seen[framework] ?? {})[`${s.file} "${s.name}"`] !== want);
    if (missing.length)
      failures.push(
        `${framework}: ${missing.length} real-terraform suite(s) not reported ${want}:\n` + missing.map((s) => `    ${s.file}: "${s.name}"`).join("\n"),
      );
  }
  for (const [name, results] of runs) {
    const unexpected = skippedTests(results).filter((t) => terraform || !t.ancestors.some((a) => a.endsWith(SKIPPED_SUFFIX)));
    if (unexpected.length)
      failures.push(`${name}: Jest skipped ${unexpected.length} test(s) it should have run:\n` + unexpected.map((t) => `    ${t.file}: ${t.title}`).join("\n"));
  }
  return failures;
}

function main(argv) {
  let reportFile;
  let frameworks = ["cdktf", "cdktn"];
  let terraform = true;
  const runs = [];
  if (argv[0] === "--list") {
    for (const s of expectedSuites().suites) console.log(`  ${s.file}: "${s.name}"`);
    return 0;
  }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--report") reportFile = argv[++i];
    else if (argv[i] === "--frameworks") frameworks = argv[++i].split(",").filter(Boolean);
    else if (argv[i] === "--no-terraform") terraform = false;
    else if (/^\w+=/.test(argv[i])) {
      const [name, file] = argv[i].split(/=(.*)/s);
      runs.push([name, JSON.parse(fs.readFileSync(file, "utf8"))]);
    } else throw new Error(`unknown argument "${argv[i]}"`);
  }
  if (!reportFile) throw new Error("--report FILE is required");
  const expected = expectedSuites();
  const failures = check({ report: fs.readFileSync(reportFile, "utf8"), frameworks, terraform, runs, expected });
  if (failures.length) {
    console.error(`check-terraform-suites: FAILED\n${failures.map((f) => `  ${f}`).join("\n")}`);
    return 1;
  }
  const each = `${expected.suites.length} real-terraform suites`;
  console.log(`check-terraform-suites: ${terraform ? `all ${each} ran` : `all ${each} SKIPPED (terraform not on PATH, allowed)`} on ${frameworks.join(", ")}`);
  return 0;
}

module.exports = { expectedSuites, parseReport, skippedTests, check };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`check-terraform-suites: ${e.message}`);
    process.exitCode = 2;
  }
}
