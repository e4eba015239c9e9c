import * as path from "node:path";

/**
 * Whether the script being run is `name` (its .js bundle, or the .ts source under ts-node). Each GitOps
 * script is bundled with the modules it imports, which share the bundle's `module`, so
 * `require.main === module` would run every imported script's command line too.
 */
export function isScript(name: string): boolean {
  return path.basename(process.argv[1] ?? "").replace(/\.[cm]?[jt]s$/, "") === name;
}
