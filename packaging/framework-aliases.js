/**
 * How the CDK Terrain build maps the library's CDKTF imports (packaging/cdktn-aliases.json): a package name
 * and its subpaths to another package, or to a folder of the project (a path starting with "./", relative
 * to the project root). One table for the package build, the CDK Terrain test run, child processes of
 * that run and the bench. Plain JavaScript: jest's configuration and `node -r` load it before TypeScript.
 */
const path = require("node:path");
const CDKTN_ALIASES = require("./cdktn-aliases.json");

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The specifier a CDK Terrain build imports instead of `specifier` (absolute for project folders), or undefined. */
function cdktnSpecifier(specifier) {
  for (const [from, to] of Object.entries(CDKTN_ALIASES)) {
    if (specifier !== from && !specifier.startsWith(`${from}/`)) continue;
    const mapped = `${to}${specifier.slice(from.length)}`;
    return mapped.startsWith("./") ? path.join(PROJECT_ROOT, mapped) : mapped;
  }
  return undefined;
}

/** esbuild's `alias` option for a framework. */
function esbuildAliases(framework) {
  return framework === "cdktn" ? { ...CDKTN_ALIASES } : {};
}

/** jest's `moduleNameMapper` for a framework. */
function jestModuleNameMapper(framework) {
  if (framework !== "cdktn") return {};
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return Object.fromEntries(
    Object.entries(CDKTN_ALIASES).map(([from, to]) => [`^${escape(from)}(/.*)?$`, `${to.startsWith("./") ? `<rootDir>/${to.slice(2)}` : to}$1`]),
  );
}

module.exports = { PROJECT_ROOT, cdktnSpecifier, esbuildAliases, jestModuleNameMapper };
