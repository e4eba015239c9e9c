import * as fs from "node:fs";
import * as path from "node:path";
import { HANDLER_TEXT } from "./handler-text";

const HANDLER_FILE_NAME = "fortiflex-handler.js";

/**
 * The published package's constructs/handler-file (packaging/build-package.ts puts it in place of the
 * checkout's, and writes handler-text with the bundle): the handler travels inside the library's code, so
 * an app that bundles the library still has it, and no build tool is needed. Written into
 * `<outdir>/.fortiflex/`, beside the synthesized stacks (no temporary folder to leave behind or to be
 * swapped by another user), when it is not there yet; synth copies it into each stack directory.
 */
export function handlerFile(outdir = "cdktf.out"): { readonly path: string; readonly text: string } {
  const file = path.join(path.resolve(outdir), ".fortiflex", HANDLER_FILE_NAME);
  // Written again when missing: an app (or its tests) may remove the output directory between two synths.
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Apps synthesizing into one directory at once each write their own file; the rename is atomic.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, HANDLER_TEXT, { mode: 0o644 });
    fs.renameSync(tmp, file);
  }
  return { path: file, text: HANDLER_TEXT };
}
