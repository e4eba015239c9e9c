/**
 * `npm run build:judge -- --outfile=<file>`: the `fortiflex` CLI bundled as the package ships it (as
 * `bundleCli` in build-package.ts: every dependency inlined, minified), whose `fortiflex gitops` commands the
 * GitOps workflows run (the judge). One file with no node_modules beside it: the workflows' later jobs run
 * it from an artifact. Plain JavaScript: every review and apply builds it, at esbuild's speed, with no
 * TypeScript runtime to load first.
 */
const path = require("node:path");
const { parseArgs } = require("node:util");
const { buildSync } = require("esbuild");

const { values } = parseArgs({ options: { outfile: { type: "string", default: "dist/judge/fortiflex.js" } } });
buildSync({
  entryPoints: [path.resolve(__dirname, "..", "cli", "main.ts")],
  outfile: path.resolve(values.outfile),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  logLevel: "warning",
});
