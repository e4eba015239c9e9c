import * as fs from "node:fs";
import * as path from "node:path";
import { EXTERNAL_PROVIDER } from "../constructs/private/external-data";

/**
 * Makes the local null and external providers available to real Terraform without a download: bundles them
 * into one JavaScript file, writes an executable for each into a filesystem mirror (the layout Terraform's
 * `filesystem_mirror` reads), and writes a CLI configuration that installs hashicorp/null and
 * hashicorp/external from that mirror only. Terraform picks it up through TF_CLI_CONFIG_FILE, so synthesized
 * stacks run unchanged (`terraform init` records the mirror's packages in the lock file as usual).
 *
 * The versions are the ones synthesized stacks pin (@cdktf/provider-null, the library's external binding).
 */
const PROJECT_ROOT = findProjectRoot();
const SOURCE_DIR = path.join(PROJECT_ROOT, "local-providers");
const OUT_DIR = path.join(PROJECT_ROOT, "dist", "local-providers");
const BUNDLE = path.join(OUT_DIR, "local-providers.js");
const PROTOS = ["tfplugin5.proto", "go-plugin.proto", "grpc-health.proto"];
const PROVIDERS = [
  { type: "null", version: () => pinnedVersion("@cdktf/provider-null") },
  { type: "external", version: () => EXTERNAL_PROVIDER.providerVersion },
];

export interface LocalProviders {
  /** The Terraform CLI configuration to use (TF_CLI_CONFIG_FILE). */
  readonly cliConfigFile: string;
  /** Environment for terraform: the CLI configuration, no plugin cache, no update check. */
  readonly env: Record<string, string>;
  /** Provider address -> version in the mirror. */
  readonly versions: Record<string, string>;
  /** The bundle the mirror's executables run: `node <bundle> null|external`. */
  readonly bundle: string;
}

let installed: LocalProviders | undefined;

/** Builds (when a source is newer) and installs the providers; cheap when nothing changed. */
export function installLocalProviders(): LocalProviders {
  if (installed) return installed;
  buildBundleIfStale();
  const mirror = path.join(OUT_DIR, "mirror");
  const versions: Record<string, string> = {};
  for (const { type, version: pinned } of PROVIDERS) {
    const version = pinned();
    const address = `registry.terraform.io/hashicorp/${type}`;
    versions[address] = version;
    const dir = path.join(mirror, address, version, terraformPlatform());
    fs.mkdirSync(dir, { recursive: true });
    writeIfChanged(path.join(dir, `terraform-provider-${type}_v${version}`), `#!/bin/sh\nexec "${process.execPath}" "${BUNDLE}" ${type}\n`, 0o755);
  }
  const addresses = Object.keys(versions)
    .map((a) => `"${a}"`)
    .join(", ");
  const cliConfigFile = path.join(OUT_DIR, "terraformrc");
  writeIfChanged(
    cliConfigFile,
    [
      "# Written by local-providers/install.ts: the project's local null and external providers, for tests and the demo.",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = "${mirror}"`,
      `    include = [${addresses}]`,
      "  }",
      "  direct {",
      `    exclude = [${addresses}]`,
      "  }",
      "}",
      "",
    ].join("\n"),
    0o644,
  );
  installed = {
    cliConfigFile,
    env: { TF_CLI_CONFIG_FILE: cliConfigFile, TF_PLUGIN_CACHE_DIR: "", CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
    versions,
    bundle: BUNDLE,
  };
  return installed;
}

function findProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "local-providers", "main.ts"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`local-providers/main.ts not found above ${__dirname}`);
  }
}

function buildBundleIfStale(): void {
  const sources = fs.readdirSync(SOURCE_DIR).filter((f) => f.endsWith(".ts") || f.endsWith(".proto"));
  const newest = Math.max(...sources.map((f) => fs.statSync(path.join(SOURCE_DIR, f)).mtimeMs));
  if (fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= newest) return;
  const esbuild = require("esbuild") as typeof import("esbuild");
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const proto of PROTOS) fs.copyFileSync(path.join(SOURCE_DIR, proto), path.join(OUT_DIR, proto));
  const tmp = `${BUNDLE}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [path.join(SOURCE_DIR, "main.ts")],
    outfile: tmp,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "silent",
  });
  // Parallel test workers may build at once; each renames its own complete file into place.
  fs.renameSync(tmp, BUNDLE);
}

/** The provider version a cdktf provider package writes into required_providers. */
function pinnedVersion(cdktfPackage: string): string {
  const source = fs.readFileSync(require.resolve(`${cdktfPackage}/lib/provider`), "utf8");
  const match = /providerVersion: ['"]([^'"]+)['"]/.exec(source);
  if (!match) throw new Error(`cannot find the provider version pinned by ${cdktfPackage}`);
  return match[1];
}

function terraformPlatform(): string {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch}`;
}

function writeIfChanged(file: string, content: string, mode: number): void {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === content) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}
