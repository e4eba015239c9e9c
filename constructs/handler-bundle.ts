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
 * is the app's output directory, where an installed package writes it.
 */
export function handlerBundle(outdir?: string): HandlerBundle {
  const key = outdir ?? "";
  let bundle = bundles.get(key);
  if (!bundle) {
    const file = handlerFile(outdir);
    bundle = { path: file.path, assetHash: crypto.createHash("md5").update(file.text).digest("hex").toUpperCase() };
    bundles.set(key, bundle);
  }
  return bundle;
}

/** The bundle's path (the handler's tests and the fault campaign run it directly). */
export function handlerBundlePath(): string {
  return handlerBundle().path;
}

const bundles = new Map<string, HandlerBundle>();
