import * as crypto from "node:crypto";
import { handlerFile } from "./handler-file";

/** The handler file to ship into each stack directory, and its asset hash. */
export interface HandlerBundle {
  readonly path: string;
  /** As CDKTF computes it from the file (MD5, upper-case hex), from the text held in memory; once per process. */
  readonly assetHash: string;
}

/**
 * The handler (one JavaScript file, Node built-ins only): the same for every stack of a synth. `outdir`
 * is the app's output directory, where the library writes it.
 */
export function handlerBundle(outdir?: string): HandlerBundle {
  const file = handlerFile(outdir);
  // The text is the same for the whole process: its hash is computed once.
  hash ??= crypto.createHash("md5").update(file.text).digest("hex").toUpperCase();
  return { path: file.path, assetHash: hash };
}

let hash: string | undefined;
