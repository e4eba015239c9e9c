import * as fs from "node:fs";
import * as path from "node:path";

/** The name the handler has in every stack directory. */
const HANDLER_FILE_NAME = "fortiflex-handler.js";

/** The handler file and its text. */
export interface HandlerFile {
  readonly path: string;
  readonly text: string;
}

/**
 * The handler of a checkout: custom-provider/handler.ts bundled into one JavaScript file with only Node
 * built-ins, rebuilt when a source is newer. The published package replaces this module with
 * packaging/handler-file.packaged.ts, which carries the bundle as text, needs no build tool and writes it
 * into the app's output directory (`_outdir`; a checkout keeps it in custom-provider/dist/).
 */
export function handlerFile(_outdir?: string): HandlerFile {
  // Checked once per process (every stack of a synth shares it), again only if the file went away.
  if (checked && fs.existsSync(checked.path)) return checked;
  const sourceDir = findSourceDir();
  const output = path.join(sourceDir, "dist", HANDLER_FILE_NAME);
  // The handler's sources and the FortiFlex contract it shares with the constructs.
  const sources = [sourceDir, path.join(sourceDir, "..", "contract")].flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(d, f)),
  );
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (!fs.existsSync(output) || fs.statSync(output).mtimeMs < newest) buildHandler(output);
  return (checked = { path: output, text: fs.readFileSync(output, "utf8") });
}

let checked: HandlerFile | undefined;

/** Bundles the handler into `output` (the package build calls it directly: never from a cached file). */
export function buildHandler(output: string): void {
  // Loaded only when a build is needed. A dev dependency: the package build replaces this module with one that
  // carries the handler as text (packaging/handler-file.packaged.ts), so an installed package never gets here.
  // eslint-disable-next-line import-x/no-extraneous-dependencies -- see above
  const esbuild = require("esbuild") as typeof import("esbuild");
  const tmp = `${output}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const sourceDir = findSourceDir();
  esbuild.buildSync({
    entryPoints: [path.join(sourceDir, "handler.ts")],
    // The bundle's path comments are relative to this directory: fixed, so its bytes (and the stacks'
    // asset hash) do not depend on where the build was started from.
    absWorkingDir: path.dirname(sourceDir),
    outfile: tmp,
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    legalComments: "none",
    banner: { js: "#!/usr/bin/env node\n// FortiFlex custom-resource handler (generated bundle; source: custom-provider/handler.ts)" },
    logLevel: "silent",
  });
  // Concurrent builders (parallel test workers) each write their own file; the rename is atomic.
  fs.renameSync(tmp, output);
}

/** The checkout's custom-provider folder, found upwards from here (this module may run from a bundle in dist/). */
function findSourceDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "custom-provider");
    if (fs.existsSync(path.join(candidate, "handler.ts"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`FortiFlex handler sources not found above ${__dirname}`);
  }
}
