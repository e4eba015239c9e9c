#!/usr/bin/env node
// Fails when a tracked text file has a line longer than the limit, printing file:line:length for each.
// Prettier wraps code at the same width but cannot break strings, comments or YAML, so this check catches what it leaves.
"use strict";
const { execFileSync } = require("node:child_process");
const { existsSync, readFileSync } = require("node:fs");
const path = require("node:path");

const LIMIT = 160;

/** Prose (tables and links run long), generated data and fixed test data. */
const EXCLUDED = [/\.md$/, /(^|\/)package-lock\.json$/, /^__tests__\/(.+\/)?__snapshots__\//, /^__tests__\/fixtures\//];

const root = path.resolve(__dirname, "..");
const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((file) => file && !EXCLUDED.some((pattern) => pattern.test(file)));

let offenders = 0;
for (const file of files) {
  const full = path.join(root, file);
  if (!existsSync(full)) continue; // deleted in the working tree, not yet committed
  const bytes = readFileSync(full);
  if (bytes.includes(0)) continue; // binary
  bytes
    .toString("utf8")
    .split("\n")
    .forEach((line, index) => {
      const length = [...line.replace(/\r$/, "")].length;
      if (length > LIMIT) {
        console.log(`${file}:${index + 1}:${length}`);
        offenders += 1;
      }
    });
}

if (offenders > 0) {
  console.error(`${offenders} line(s) over ${LIMIT} characters`);
  process.exit(1);
}
