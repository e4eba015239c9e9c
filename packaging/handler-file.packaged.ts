import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HANDLER_TEXT } from "./handler-text";

/** The name the handler has in every stack directory. */
const HANDLER_FILE_NAME = "fortiflex-handler.js";

/**
 * The published package's constructs/handler-file (packaging/build-package.ts puts it in place of the
 * checkout's, and writes handler-text with the bundle): the handler travels inside the library's code, so
 * an app that bundles the library still has it, and no build tool is needed. Written once per process into
 * a directory only this process can write, removed when it exits (after synth has copied the file).
 */
export function handlerFile(): { readonly path: string; readonly text: string } {
  if (!written) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fortiflex-handler-"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    written = { path: path.join(dir, HANDLER_FILE_NAME), text: HANDLER_TEXT };
    fs.writeFileSync(written.path, HANDLER_TEXT, { mode: 0o644 });
  }
  return written;
}

let written: { readonly path: string; readonly text: string } | undefined;
