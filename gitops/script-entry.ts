import * as path from "node:path";

/**
 * Whether the script being run is `name` (its .js bundle, or the .ts source under ts-node). Each GitOps
 * script is bundled with the modules it imports, which share the bundle's `module`, so
 * `require.main === module` would run every imported script's command line too.
 */
export function isScript(name: string): boolean {
  return path.basename(process.argv[1] ?? "").replace(/\.[cm]?[jt]s$/, "") === name;
}

/** `--name value` pairs, or undefined when an argument is not one of `known` or lacks its value. */
export function optionsOf(args: readonly string[], known: readonly string[]): Map<string, string> | undefined {
  if (args.length % 2) return undefined;
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    if (!known.includes(args[i]) || options.has(args[i])) return undefined;
    options.set(args[i], args[i + 1]);
  }
  return options;
}
