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
 * The handler's text, from the module `npm run build:handler` generates (gitignored in a checkout; compiled
 * into the package's lib/). Loaded with the library, so a checkout that was never built says how to build it.
 */
function loadHandlerText(): string {
  try {
    return (require("./handler-text.generated") as { readonly HANDLER_TEXT: string }).HANDLER_TEXT;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
    throw new Error(
      "The FortiFlex handler is not built (constructs/private/handler-text.generated.ts is missing): run `npm run build:handler` " +
        "(npm run synth, npm test and the package build run it for you).",
    );
  }
}

const HANDLER_TEXT = loadHandlerText();

/** Files this process has written or found current: after that, written again only if they went away. */
const current = new Set<string>();

/**
 * The handler (custom-provider/handler.ts bundled ahead of time) written into `<outdir>/.fortiflex/`, beside
 * the synthesized stacks, from where synth copies it into each stack directory: the handler travels inside
 * the library's code, so an app that bundles the library still has it and no build tool runs at synth.
 * Written when missing (an app or its tests may remove the output directory between two synths) or, once per
 * process, when it differs (a file left there by another version of the library).
 */
export function handlerFile(outdir = "cdktf.out"): HandlerFile {
  const file = path.join(path.resolve(outdir), ".fortiflex", HANDLER_FILE_NAME);
  if (current.has(file) ? !fs.existsSync(file) : !holdsHandler(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Apps synthesizing into one directory at once each write their own file; the rename is atomic.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, HANDLER_TEXT, { mode: 0o644 });
    fs.renameSync(tmp, file);
  }
  current.add(file);
  return { path: file, text: HANDLER_TEXT };
}

/** Whether `file` holds this library's handler (false when it is missing). */
function holdsHandler(file: string): boolean {
  try {
    return fs.readFileSync(file, "utf8") === HANDLER_TEXT;
  } catch {
    return false;
  }
}
