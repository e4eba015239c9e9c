/**
 * What a change touches besides customers: every file of the repository can change what runs (a tsconfig
 * path mapping, an npm setting, a script), so a review names each one that is not the customers file or
 * documentation. Files of the pipeline itself (workflows, the GitOps scripts) are named apart: they take
 * effect only after the merge, since each review and apply is judged by the base's pipeline.
 *
 *   git diff --name-only -z <base>...<head> | node dist/gitops/changed-inputs.js [<customers file>]   -> JSON
 */
import * as fs from "node:fs";
import { isScript } from "./script-entry";

export interface ChangedInputs {
  /** The customers file, when it changed. */
  readonly customers: string[];
  /** Markdown, docs/ and the licence: read by people, never by the build. */
  readonly documentation: string[];
  /** .github/ and gitops/: the workflows and the scripts that judge a change. */
  readonly pipeline: string[];
  /** Everything else: it can change what synth writes, or what runs while it does. */
  readonly build: string[];
}

export const DEFAULT_CUSTOMERS_FILE = "stacks/customers.yaml";

export function changedInputs(paths: readonly string[], customersFile = DEFAULT_CUSTOMERS_FILE): ChangedInputs {
  const result: ChangedInputs = { customers: [], documentation: [], pipeline: [], build: [] };
  for (const p of [...new Set(paths.filter(Boolean))].sort()) {
    if (p === customersFile) result.customers.push(p);
    else if (/\.md$/i.test(p) || p.startsWith("docs/") || p === "LICENSE") result.documentation.push(p);
    else if (p.startsWith(".github/") || p.startsWith("gitops/")) result.pipeline.push(p);
    else result.build.push(p);
  }
  return result;
}

if (isScript("changed-inputs")) {
  const args = process.argv.slice(2);
  if (args.length > 1) {
    process.stderr.write("usage: git diff --name-only -z <base>...<head> | changed-inputs [<customers file>]\n");
    process.exit(2);
  }
  const input = fs.readFileSync(0, "utf8");
  const paths = input.includes("\0") ? input.split("\0") : input.split("\n");
  process.stdout.write(`${JSON.stringify(changedInputs(paths, args[0]))}\n`);
}
