import * as fs from "node:fs";
import * as path from "node:path";

/** The custom-provider folder, found upwards from here (this module may also run from a bundle in dist/). */
function findSourceDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "custom-provider");
    if (fs.existsSync(path.join(candidate, "handler.ts")) || fs.existsSync(path.join(candidate, "dist", "fortiflex-handler.js"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`FortiFlex handler not found above ${__dirname}`);
  }
}

const SOURCE_DIR = findSourceDir();
const ENTRY = path.join(SOURCE_DIR, "handler.ts");
/** Where the bundle lives; a published package ships it prebuilt, a checkout builds it on first use. */
export const HANDLER_BUNDLE = path.join(SOURCE_DIR, "dist", "fortiflex-handler.js");

/**
 * The handler as one JavaScript file with only Node built-ins, rebuilt when a source file is newer.
 * The output is deterministic, so the stack's asset hash only changes when the handler does.
 */
export function handlerBundlePath(): string {
  return (built ??= buildIfStale());
}

/** Checked once per process: every stack of a synth shares the same file. */
let built: string | undefined;

function buildIfStale(): string {
  // The handler's sources and the FortiFlex spec it shares with the constructs.
  const specDir = path.join(SOURCE_DIR, "..", "spec");
  const sources = fs.existsSync(ENTRY)
    ? [SOURCE_DIR, specDir].filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith(".ts")).map((f) => path.join(d, f)))
    : [];
  const newest = Math.max(0, ...sources.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(HANDLER_BUNDLE) && fs.statSync(HANDLER_BUNDLE).mtimeMs >= newest) return HANDLER_BUNDLE;
  if (!sources.length) throw new Error(`FortiFlex handler bundle missing at ${HANDLER_BUNDLE} and no sources to build it from`);
  // Loaded only when a build is needed, so a prebuilt bundle needs no esbuild.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const tmp = `${HANDLER_BUNDLE}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(HANDLER_BUNDLE), { recursive: true });
  esbuild.buildSync({
    entryPoints: [ENTRY],
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
  fs.renameSync(tmp, HANDLER_BUNDLE);
  return HANDLER_BUNDLE;
}
