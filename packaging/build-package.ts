/**
 * Builds the installable library, for CDKTF and for CDK Terrain, from the same sources:
 *
 *   build-package.ts --framework cdktf     lib/ of the project root (what `npm pack` packs: prepack)
 *   build-package.ts --framework cdktn     dist/package/cdktn/, the companion package fortiflex-azure-cdktn
 *   build-package.ts --pack <dir>          both, packed into <dir> (`npm run package`)
 *
 * The library is constructs/ and contract/ compiled with declarations; the CDK Terrain build first maps their
 * CDKTF imports (packaging/cdktn-aliases.json) so its declarations name CDK Terrain's types. The handler is
 * carried as text (constructs/private/handler-text.generated.ts, built first from the sources as they are:
 * packaging/build-handler.ts), so an app that bundles the library still ships it and no build tool is needed;
 * the `fortiflex` CLI is bundled with its own dependencies, so neither adds a dependency to the user's app.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildSync } from "esbuild";
import { writeCustomersFileJsonSchema } from "../stacks/customers-file-schema";
import buildHandlerModule from "./build-handler";
import { cdktnSpecifier, PROJECT_ROOT, type Framework } from "./framework-aliases";

interface Flavor {
  readonly name: string;
  readonly description: string;
  /** Where the package's root is built: package.json, README.md, LICENSE, lib/. */
  readonly packageDir: string;
  readonly peerDependencies: Record<string, string>;
}

const ROOT_MANIFEST = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as Record<string, unknown> & { version: string };
const FLAVORS: Record<Framework, Flavor> = {
  cdktf: {
    name: ROOT_MANIFEST.name as string,
    description: ROOT_MANIFEST.description as string,
    packageDir: PROJECT_ROOT,
    peerDependencies: ROOT_MANIFEST.peerDependencies as Record<string, string>,
  },
  cdktn: {
    name: "fortiflex-azure-cdktn",
    description:
      "CDK Terrain (cdktn) build of fortiflex-azure-cdktf: FortiFlex configurations, VM entitlements and self-licensing BYOL FortiGate VMs on Azure.",
    packageDir: path.join(PROJECT_ROOT, "dist", "package", "cdktn"),
    peerDependencies: { cdktn: "^0.24.0", constructs: "^10.6.0", "@cdktn/provider-azurerm": "^16.1.0" },
  },
};

/**
 * Library sources: the constructs, the contract they share with the handler (the CDK Terrain shims only there)
 * and the fleet layer (stacks/: CustomerStack, the customers file, the fleet's synth).
 */
function librarySources(framework: Framework): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return framework === "cdktf" && rel === path.join("constructs", "private", "cdktn") ? [] : walk(rel);
      return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [rel] : [];
    });
  return [...walk("constructs"), ...walk("contract"), ...walk("stacks")];
}

/** A source file's text for the framework: CDK Terrain gets its imports mapped (project folders as relative paths). */
function sourceFor(framework: Framework, rel: string): string {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, rel), "utf8");
  if (framework === "cdktf") return text;
  return text.replace(/(\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)"([^"]+)"/g, (whole, lead: string, specifier: string) => {
    const mapped = cdktnSpecifier(specifier);
    if (!mapped) return whole;
    if (!path.isAbsolute(mapped)) return `${lead}"${mapped}"`;
    const relative = path
      .relative(path.dirname(path.join(PROJECT_ROOT, rel)), mapped)
      .split(path.sep)
      .join("/");
    return `${lead}"${relative.startsWith(".") ? relative : `./${relative}`}"`;
  });
}

function run(command: string, args: string[], cwd: string): string {
  const res = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${res.stdout}${res.stderr}`);
  return res.stdout;
}

/** Builds a flavor's lib/ (and, for the companion, its package.json, README and LICENSE). */
export function buildPackage(framework: Framework): string {
  const flavor = FLAVORS[framework];
  const lib = path.join(flavor.packageDir, "lib");
  fs.rmSync(lib, { recursive: true, force: true });
  // The handler from its sources as they are now: a package never ships a stale or edited build.
  buildHandlerModule();
  compileLibrary(framework, lib);
  bundleCli(lib);
  copyFleetTemplates(lib);
  // Editors validate a fleet's customers.yaml against it (its first line names this file).
  writeCustomersFileJsonSchema(path.join(lib, "customers.schema.json"));
  if (framework === "cdktn") refuseCdktfImports(lib);
  if (framework !== "cdktf") writeCompanionFiles(flavor);
  return flavor.packageDir;
}

/** The library's sources, staged for the framework, compiled with declarations into `lib`. */
function compileLibrary(framework: Framework, lib: string): void {
  const staging = path.join(PROJECT_ROOT, "dist", "package-src", framework);
  fs.rmSync(staging, { recursive: true, force: true });
  for (const rel of librarySources(framework)) {
    fs.mkdirSync(path.join(staging, "src", path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(staging, "src", rel), sourceFor(framework, rel));
  }
  fs.writeFileSync(path.join(staging, "src", "index.ts"), `export * from "./constructs";\n`);
  const compilerOptions = {
    target: "ES2022",
    module: "commonjs",
    lib: ["ES2022"],
    strict: true,
    declaration: true,
    esModuleInterop: true,
    skipLibCheck: true,
    isolatedModules: true,
    resolveJsonModule: true,
    types: ["node"],
    rootDir: "src",
    outDir: lib,
  };
  fs.writeFileSync(path.join(staging, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));
  // Type-checks the flavor against its own framework's declarations (the project's node_modules).
  run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", staging], PROJECT_ROOT);
}

/** The `fortiflex` CLI bundled with its dependencies into lib/cli/, with their licences beside it. */
function bundleCli(lib: string): void {
  const cli = buildSync({
    entryPoints: [path.join(PROJECT_ROOT, "cli", "main.ts")],
    outfile: path.join(lib, "cli", "fortiflex.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    metafile: true,
    logLevel: "warning",
    banner: { js: "// The fortiflex CLI, bundled; the licences of the bundled packages are in THIRD-PARTY-NOTICES.txt beside it." },
  });
  fs.writeFileSync(path.join(lib, "cli", "THIRD-PARTY-NOTICES.txt"), thirdPartyNotices(Object.keys(cli.metafile!.inputs)));
}

/**
 * What `fortiflex init` writes a fleet repository from (cli/scaffold/fleet-files.ts finds them beside the CLI):
 * the scaffold's templates and this repository's own GitOps workflows.
 */
function copyFleetTemplates(lib: string): void {
  const templates = path.join(lib, "templates");
  const workflows = fs.readdirSync(path.join(PROJECT_ROOT, ".github", "workflows")).filter((f) => f.startsWith("fortiflex-"));
  const files = [
    ...fs.readdirSync(path.join(PROJECT_ROOT, "scaffold")).map((f) => path.join("scaffold", f)),
    ...workflows.map((f) => path.join(".github", "workflows", f)),
    path.join(".github", "fortiflex-approvers"),
  ];
  for (const rel of files) {
    fs.mkdirSync(path.join(templates, path.dirname(rel)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, rel), path.join(templates, rel));
  }
}

/** The companion package's own package.json (the root's, renamed), README and LICENSE. */
function writeCompanionFiles(flavor: Flavor): void {
  const manifest = {
    ...packageManifest(ROOT_MANIFEST),
    name: flavor.name,
    description: flavor.description,
    peerDependencies: flavor.peerDependencies,
    // Optional: `npx -p <package> fortiflex init` installs the package alone (its CLI is bundled), where the
    // framework's peers conflict until a fleet's package.json overrides them; an app installs them anyway.
    peerDependenciesMeta: Object.fromEntries(Object.keys(flavor.peerDependencies).map((name) => [name, { optional: true }])),
  };
  fs.writeFileSync(path.join(flavor.packageDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const f of ["README.md", "LICENSE"]) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(flavor.packageDir, f));
}

/** The licence texts of the npm packages a bundle includes (every input under node_modules/). */
function thirdPartyNotices(inputs: string[]): string {
  const roots = new Set<string>();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join("/"));
    if (m) roots.add(m[1]);
  }
  const sections = [...roots].sort().map((root) => {
    const dir = path.join(PROJECT_ROOT, root);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; version: string; license?: string };
    const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!file) throw new Error(`${manifest.name} is bundled into the CLI but has no licence file to ship with it`);
    return `${manifest.name} ${manifest.version} (${manifest.license ?? "see below"})\n\n${fs.readFileSync(path.join(dir, file), "utf8").trim()}\n`;
  });
  return `The fortiflex CLI (fortiflex.js) includes the following packages.\n\n${sections.join(`\n${"-".repeat(72)}\n\n`)}`;
}

/** The CDK Terrain build must not import CDKTF anywhere: a form the import map missed fails the build. */
function refuseCdktfImports(lib: string): void {
  const files = (fs.readdirSync(lib, { recursive: true }) as string[]).filter((f) => /\.(js|d\.ts)$/.test(f) && !f.startsWith(`cli${path.sep}`));
  for (const f of files) {
    const text = fs.readFileSync(path.join(lib, f), "utf8");
    const left = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bmodule\s+)["'`](?:cdktf|@cdktf\/[^"'`]+)["'`]/.exec(text);
    if (left) throw new Error(`the CDK Terrain build still imports ${left[0]} in lib/${f}: extend packaging/cdktn-aliases.json or the rewrite`);
  }
}

/** The fields of the root manifest the companion package carries (no scripts, no development dependencies; the same dependencies). */
function packageManifest(root: Record<string, unknown>): Record<string, unknown> {
  const keep = [
    "name",
    "version",
    "private",
    "description",
    "license",
    "keywords",
    "engines",
    "main",
    "types",
    "exports",
    "bin",
    "files",
    "dependencies",
    "peerDependencies",
    "peerDependenciesMeta",
  ];
  return Object.fromEntries(keep.filter((k) => root[k] !== undefined).map((k) => [k, root[k]]));
}

/** `npm pack` of a built flavor into `destination`; the tarball's path. */
export function packPackage(framework: Framework, destination: string): string {
  fs.mkdirSync(destination, { recursive: true });
  const dir = FLAVORS[framework].packageDir;
  // The root's prepack would build the CDKTF flavor again: it is built already.
  const out = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], dir);
  const [info] = JSON.parse(out) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  console.log(`${info.filename}: ${(info.size / 1024).toFixed(0)} KB packed, ${(info.unpackedSize / 1024).toFixed(0)} KB unpacked, ${info.entryCount} files`);
  return path.join(destination, info.filename);
}

if (require.main === module) {
  const { values } = parseArgs({ options: { framework: { type: "string" }, pack: { type: "string" } } });
  const frameworks: Framework[] = values.framework ? [values.framework as Framework] : ["cdktf", "cdktn"];
  for (const f of frameworks) if (!(f in FLAVORS)) throw new Error(`--framework must be cdktf or cdktn, got ${f}`);
  for (const f of frameworks) {
    buildPackage(f);
    if (values.pack) packPackage(f, path.resolve(values.pack));
  }
}
