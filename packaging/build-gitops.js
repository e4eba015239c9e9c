/**
 * `npm run build:gitops [-- --outdir=<dir>]`: bundles the GitOps scripts the workflows run (the judge), one
 * <name>.js each, into dist/gitops/ or <dir>. Plain JavaScript: every review and apply of the fleet and a
 * dozen test suites run it, at esbuild's speed, with no TypeScript runtime to load first.
 */
const path = require("node:path");
const { parseArgs } = require("node:util");
const { buildSync } = require("esbuild");

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The scripts under gitops/ that the workflows run as `node "$judge/<name>.js"`. */
const GITOPS_SCRIPTS = [
  "changed-stacks",
  "changed-inputs",
  "stack-digest",
  "cross-references",
  "plan-record",
  "review-summary",
  "apply-preview",
  "plan-guard",
  "drift-report",
  "points-delta",
  "plan-passwords",
  "terraform-environment",
];

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist/gitops" } } });
buildSync({
  entryPoints: GITOPS_SCRIPTS.map((name) => `gitops/${name}.ts`),
  absWorkingDir: PROJECT_ROOT,
  outdir: path.resolve(values.outdir),
  bundle: true,
  platform: "node",
  packages: "external",
  logLevel: "warning",
});
