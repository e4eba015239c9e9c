import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { handlerBundle } from "../../constructs/private/handler-bundle";
import { stackDigest } from "../../gitops/stack-digest";
import { buildPackage, packPackage } from "../../packaging/build-package";
import { cdktnSpecifier, esbuildAliases, type Framework } from "../../packaging/framework-aliases";

/**
 * The packed packages installed into fresh apps, offline (the tarballs and the npm cache that `npm ci`
 * filled): a CDKTF app and a CDK Terrain app, each type-checked against the package's declarations, run
 * with plain `node` and as one esbuild bundle run where no node_modules can be found. All three give the
 * same stack as the project's own synth of the same app, with the handler in the stack directory.
 */
const ROOT = path.join(__dirname, "..", "..");
const APP_SOURCE = path.join(ROOT, "examples", "installed-package-app.ts");
const version = (pkg: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
/** What a new app installs besides the package: the framework (the versions tested) and its build tools. */
const APP_PACKAGES: Record<Framework, string[]> = {
  cdktf: ["cdktf", "constructs", "@cdktf/provider-azurerm", "@cdktf/provider-null"],
  cdktn: ["cdktn", "constructs", "@cdktn/provider-azurerm"],
};
// The app is bundled with the project's esbuild (its imports resolve in the app's node_modules); the
// package's declarations need no Node types.
const BUILD_TOOLS = ["typescript"];
/** The package's own dependencies (the customers file's parser and validator), by tarball for the offline install. */
const OWN_DEPENDENCIES = ["yaml", "zod"];
const LIBRARY: Record<Framework, string> = { cdktf: "fortiflex-azure-cdktf", cdktn: "fortiflex-azure-cdktn" };
const AZURERM: Record<Framework, string> = { cdktf: "4.55.0", cdktn: "4.73.0" };

let tmp: string;
const tarballs = {} as Record<Framework, string>;

/**
 * A package of the version the project installed, by its registry tarball: `npm ci` from a lock file
 * without resolved URLs fetches tarballs only, so an offline install by name would find no package
 * metadata in the cache; by tarball it finds what `npm ci` fetched.
 */
function registryTarball(name: string): string {
  const registry = (process.env.npm_config_registry || "https://registry.npmjs.org/").replace(/\/?$/, "/");
  return `${registry}${name}/-/${name.split("/").pop()}-${version(name)}.tgz`;
}

/** Runs as a user would: without the switches of this test run (output directory, creation stacks). */
function run(command: string, args: string[], cwd: string): string {
  const env = { ...process.env };
  for (const name of ["CDKTF_OUTDIR", "CDKTN_DISABLE_CREATION_STACK", "FORTIFLEX_TEST_FRAMEWORK"]) delete env[name];
  const res = spawnSync(command, args, { cwd, encoding: "utf8", env });
  if (res.status === 0) return res.stdout;
  // Offline installs come from the npm cache, which `npm ci` fills with every package of the lock file.
  const hint = /ENOTCACHED/.test(res.stderr) ? "\n(a package is missing from the npm cache: `npm ci` in the project fills it)" : "";
  throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed:\n${res.stdout}\n${res.stderr}${hint}`);
}

/** The app's source for a framework: CDK Terrain imports cdktn, its azurerm package and the companion. */
function appSource(framework: Framework): string {
  const text = fs.readFileSync(APP_SOURCE, "utf8");
  if (framework === "cdktf") return text;
  return text.replace(/from "([^"]+)"/g, (whole, specifier: string) => {
    if (specifier === LIBRARY.cdktf) return `from "${LIBRARY.cdktn}"`;
    const mapped = cdktnSpecifier(specifier);
    return mapped && !path.isAbsolute(mapped) ? `from "${mapped}"` : whole;
  });
}

/** Synthesizes with `node <script>` in `cwd`; the stack's JSON and its directory. */
function synth(script: string, cwd: string): { json: string; dir: string } {
  fs.mkdirSync(cwd, { recursive: true });
  run(process.execPath, [script], cwd);
  const dir = path.join(cwd, "cdktf.out", "stacks", "edge");
  return { json: fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"), dir };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-package-"));
  for (const f of ["cdktf", "cdktn"] as const) {
    buildPackage(f);
    tarballs[f] = packPackage(f, path.join(tmp, "packages"));
  }
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each(["cdktf", "cdktn"] as const)("the %s package in a new app", (framework) => {
  let app: string;
  let own: { json: string; dir: string };

  beforeAll(() => {
    app = path.join(tmp, `app-${framework}`);
    fs.mkdirSync(app);
    // @cdktn/provider-azurerm 16.1 declares a peer cdktn ^0.23; the README tells CDK Terrain users to override it.
    const overrides = framework === "cdktn" ? { overrides: { "@cdktn/provider-azurerm": { cdktn: "$cdktn" } } } : {};
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: `app-${framework}`, version: "1.0.0", private: true, ...overrides }));
    const packages = [...APP_PACKAGES[framework], ...BUILD_TOOLS, ...OWN_DEPENDENCIES].map(registryTarball);
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarballs[framework], ...packages], app);
    fs.writeFileSync(path.join(app, "main.ts"), appSource(framework));
    fs.writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true, skipLibCheck: true, types: [] },
        files: ["main.ts"],
      }),
    );
    run(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", app], app);
    // The project's own synth of the same app (tsconfig paths: the package name is constructs/).
    const ownBundle = path.join(ROOT, "dist", "package-test", framework, "app.js");
    buildSync({
      entryPoints: [APP_SOURCE],
      outfile: ownBundle,
      bundle: true,
      platform: "node",
      packages: "external",
      alias: esbuildAliases(framework),
      absWorkingDir: ROOT,
      logLevel: "warning",
    });
    own = synth(ownBundle, path.join(tmp, `own-${framework}`));
  }, 120_000);

  test("installs with two small dependencies of its own; its declarations type-check the app and catch a wrong type", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(app, "node_modules", LIBRARY[framework], "package.json"), "utf8"));
    // Besides the framework the app has anyway (its peers), only the customers file's parser and validator.
    expect(Object.keys(manifest.dependencies).sort()).toEqual(OWN_DEPENDENCIES);
    for (const field of ["optionalDependencies", "bundleDependencies"]) expect(manifest[field]).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([...APP_PACKAGES[framework]].sort());
    expect(fs.existsSync(path.join(app, "main.js"))).toBe(true); // compiled by tsc in beforeAll
    // The types are real: a wrong property type is a compile error naming it.
    fs.writeFileSync(path.join(app, "wrong.ts"), appSource(framework).replace("cpu: 2,", 'cpu: "two",'));
    const wrong = spawnSync(
      process.execPath,
      [path.join(app, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--skipLibCheck", "wrong.ts"],
      { cwd: app, encoding: "utf8" },
    );
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  test("plain node and an esbuild bundle synthesize the project's own stack, the handler in the stack directory", () => {
    const plain = synth(path.join(app, "main.js"), path.join(app, "run-plain"));
    const bundle = path.join(tmp, `bundled-${framework}`, "app.js");
    buildSync({ entryPoints: ["main.ts"], outfile: bundle, bundle: true, platform: "node", absWorkingDir: app, logLevel: "error" });
    // The bundle runs where no node_modules can be found: the library and its handler are inside it.
    const bundled = synth(bundle, path.join(tmp, `bundled-${framework}`, "run"));
    expect(plain.json).toBe(own.json);
    expect(bundled.json).toBe(own.json);
    const stack = JSON.parse(own.json);
    expect(stack.terraform.required_providers.azurerm.version).toBe(AZURERM[framework]);
    // One FortiGate: the configuration's and the entitlement's lifecycle and settings, the boot step, stop-all, reconcile.
    expect(Object.keys(stack.resource.null_resource).sort()).toEqual([
      "Edge_Entitlement_Lifecycle",
      "Edge_Entitlement_Settings",
      "Edge_FortiFlexConfig_Lifecycle",
      "Edge_FortiFlexConfig_Settings",
      "Edge_FortiGate_LicenseBoot",
      "FortiFlexRuntime_Reconcile",
      expect.stringMatching(/^FortiFlexRuntime_StopAllOnDestroy_\w+_\w+$/),
    ]);
    const handler = /"\$\{path\.module\}\/(assets\/[^"]+\/fortiflex-handler\.js)"/.exec(own.json)![1];
    for (const dir of [plain.dir, bundled.dir, own.dir])
      expect(fs.readFileSync(path.join(dir, handler), "utf8")).toBe(fs.readFileSync(handlerBundle().path, "utf8"));
    // The installed package writes the handler beside the stacks, in the app's output directory.
    for (const dir of [plain.dir, bundled.dir]) expect(fs.existsSync(path.join(dir, "..", "..", ".fortiflex", "fortiflex-handler.js"))).toBe(true);
  });

  test("an app that removes its output directory between two synths in one process still ships the handler", () => {
    const core = APP_PACKAGES[framework][0];
    fs.writeFileSync(
      path.join(app, "twice.js"),
      `const fs = require("node:fs");\nconst { App, TerraformStack } = require("${core}");\n` +
        `const { FortiFlexConfiguration, FortiFlexProduct, FortiGateServicePackage } = require("${LIBRARY[framework]}");\n` +
        `for (const round of [1, 2]) {\n  fs.rmSync("out", { recursive: true, force: true });\n  const app = new App({ outdir: "out" });\n` +
        `  new FortiFlexConfiguration(new TerraformStack(app, "s"), "C", { programSerialNumber: ` +
        `"ELAVMS0000000518", name: "c", product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, ` +
        `servicePackage: FortiGateServicePackage.UTP }) });\n` +
        `  app.synth();\n}\n`,
    );
    run(process.execPath, ["twice.js"], app);
    const json = fs.readFileSync(path.join(app, "out", "stacks", "s", "cdk.tf.json"), "utf8");
    const handler = /"\$\{path\.module\}\/(assets\/[^"]+\/fortiflex-handler\.js)"/.exec(json)![1];
    expect(fs.readFileSync(path.join(app, "out", "stacks", "s", handler), "utf8")).toBe(fs.readFileSync(handlerBundle().path, "utf8"));
  });

  test("ships the fortiflex CLI, bundled: it runs with nothing else installed", () => {
    const help = run(path.join(app, "node_modules", ".bin", "fortiflex"), ["--help"], app);
    expect(help).toMatch(/Usage: fortiflex/);
    expect(help).toMatch(/adopt/);
    // The workflows' commands, as a fleet repository's workflow runs them from its pinned package.
    const stack = fs.mkdtempSync(path.join(tmp, "stack-"));
    fs.writeFileSync(path.join(stack, "cdk.tf.json"), "{}\n");
    expect(run(path.join(app, "node_modules", ".bin", "fortiflex"), ["gitops", "stack-digest", stack], app)).toBe(`${stackDigest(stack).digest}\n`);
  });
});
