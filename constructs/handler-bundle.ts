import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMBEDDED_HANDLER } from "./embedded-handler";

/** The name the handler has in every stack directory. */
export const HANDLER_FILE_NAME = "fortiflex-handler.js";

/** The handler file to ship into each stack directory, and its asset hash. */
export interface HandlerBundle {
  readonly path: string;
  /** As CDKTF would compute it from the file (MD5, upper-case hex), computed once per process. */
  readonly assetHash: string;
}

/**
 * The handler as one JavaScript file with only Node built-ins: from the package when installed, else built
 * from a checkout's sources when one is newer. Deterministic, so a stack's asset hash only changes when the
 * handler does.
 */
export function handlerBundle(): HandlerBundle {
  if (!bundle) {
    const file = EMBEDDED_HANDLER === undefined ? buildIfStale() : writeEmbedded(EMBEDDED_HANDLER);
    bundle = { path: file, assetHash: crypto.createHash("md5").update(fs.readFileSync(file)).digest("hex").toUpperCase() };
  }
  return bundle;
}

/** The bundle's path (the handler's tests and the fault campaign run it directly). */
export function handlerBundlePath(): string {
  return handlerBundle().path;
}

/** Shared by every stack of a synth. */
let bundle: HandlerBundle | undefined;

/** Into a directory only this process can write, removed when it exits (after synth has copied the file). */
function writeEmbedded(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fortiflex-handler-"));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, HANDLER_FILE_NAME);
  fs.writeFileSync(file, text, { mode: 0o644 });
  return file;
}

/** The custom-provider folder of a checkout, found upwards from here (this module may run from a bundle in dist/). */
function findSourceDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "custom-provider");
    if (fs.existsSync(path.join(candidate, "handler.ts"))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`FortiFlex handler sources not found above ${__dirname} (an installed package embeds the handler)`);
  }
}

function buildIfStale(): string {
  const sourceDir = findSourceDir();
  const output = path.join(sourceDir, "dist", HANDLER_FILE_NAME);
  // The handler's sources and the FortiFlex spec it shares with the constructs.
  const sources = [sourceDir, path.join(sourceDir, "..", "spec")].flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith(".ts")).map((f) => path.join(d, f)));
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(output) && fs.statSync(output).mtimeMs >= newest) return output;
  // Loaded only when a build is needed: esbuild is a build tool of the checkout, not of the library.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const tmp = `${output}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  esbuild.buildSync({
    entryPoints: [path.join(sourceDir, "handler.ts")],
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
  return output;
}
