import * as fs from "node:fs";
import * as path from "node:path";
// Inlined when the CLI is bundled: the scaffold pins the versions this release was built and tested with.
import { devDependencies, version } from "../../package.json";

export type FleetFramework = "cdktf" | "cdktn";

/** CDK Terrain: CDKTF was archived by HashiCorp on 2025-12-10 and gets no fixes; CDK Terrain is its maintained successor. */
export const DEFAULT_FRAMEWORK: FleetFramework = "cdktn";

/** The library package of each framework, and what a fleet installs beside it (the versions tested). */
export const FRAMEWORKS: Record<FleetFramework, { readonly library: string; readonly packages: readonly string[]; readonly name: string }> = {
  cdktf: { library: "fortiflex-azure-cdktf", packages: ["cdktf", "constructs", "@cdktf/provider-azurerm", "@cdktf/provider-null"], name: "CDKTF" },
  cdktn: { library: "fortiflex-azure-cdktn", packages: ["cdktn", "constructs", "@cdktn/provider-azurerm"], name: "CDK Terrain" },
};

export interface FleetOptions {
  readonly framework: FleetFramework;
  /** The GitHub organization whose teams own the files (CODEOWNERS). */
  readonly owner: string;
}

/** The GitOps workflows a fleet runs: this repository's own, which are the reference use of the same commands. */
const WORKFLOWS = ["fortiflex-pull-request.yml", "fortiflex-review.yml", "fortiflex-plan.yml", "fortiflex-deploy.yml", "fortiflex-drift.yml"];

/**
 * Where this repository keeps what a fleet keeps elsewhere: the fleet's customers file and lock file sit at
 * its root, and its README holds the guides. Every path of this repository a workflow names must be in this
 * list, so that a fleet's workflow never points at a file it does not have (the scaffold test checks).
 */
const FLEET_PATHS: readonly (readonly [RegExp, string])[] = [
  [/stacks\/customers\.yaml/g, "customers.yaml"],
  [/stacks\/providers\.lock\.hcl/g, "providers.lock.hcl"],
  [/docs\/guides\/[a-z-]+\.md/g, "README.md"],
];

const dependencyVersion = (name: string): string => {
  const v = (devDependencies as Record<string, string>)[name];
  if (!v) throw new Error(`the scaffold pins ${name}, which this build of fortiflex does not know`);
  return v;
};

/**
 * The templates: `scaffold/` and the workflows under `.github/`, found beside the CLI (the package's
 * lib/templates/, copied by the package build) or in this repository (the sources themselves).
 */
export function templateRoot(from: string = __dirname): string {
  for (const candidate of [path.join(from, "..", "templates"), path.join(from, ".."), path.join(from, "..", "..")]) {
    if (fs.existsSync(path.join(candidate, "scaffold", "customers.yaml"))) return candidate;
  }
  throw new Error(`the fleet templates are not beside this fortiflex (${from}): reinstall the package`);
}

/** Every file `fortiflex init` writes, by path in the fleet repository, with its content. */
export function fleetFiles(options: FleetOptions, root: string = templateRoot()): Map<string, string> {
  const fw = FRAMEWORKS[options.framework];
  const fill = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const values: Record<string, string> = { package: fw.library, framework: options.framework, owner: options.owner };
      if (!(key in values)) throw new Error(`unknown template variable {{${key}}}`);
      return values[key];
    });
  const template = (rel: string) => fill(fs.readFileSync(path.join(root, rel), "utf8"));
  const files = new Map<string, string>();
  files.set("package.json", `${JSON.stringify(packageManifest(options.framework), null, 2)}\n`);
  files.set("tsconfig.json", `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  files.set("cdktf.json", `${JSON.stringify(CDKTF_JSON, null, 2)}\n`);
  files.set("main.ts", template("scaffold/main.ts.tmpl"));
  files.set("customers.yaml", template("scaffold/customers.yaml"));
  files.set("README.md", template("scaffold/README.md"));
  files.set(".gitignore", template("scaffold/gitignore"));
  files.set(".github/CODEOWNERS", template("scaffold/CODEOWNERS"));
  files.set(".github/fortiflex-approvers", fs.readFileSync(path.join(root, ".github", "fortiflex-approvers"), "utf8"));
  files.set(".github/actions/fortiflex-build/action.yml", template("scaffold/fortiflex-build-action.yml"));
  for (const name of WORKFLOWS) files.set(`.github/workflows/${name}`, fleetWorkflow(fs.readFileSync(path.join(root, ".github", "workflows", name), "utf8")));
  return files;
}

/** A workflow of this repository as a fleet runs it: the same jobs and commands, the fleet's paths. */
export function fleetWorkflow(text: string): string {
  return FLEET_PATHS.reduce((t, [from, to]) => t.replace(from, to), text);
}

function packageManifest(framework: FleetFramework): Record<string, unknown> {
  const fw = FRAMEWORKS[framework];
  const pinned = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, dependencyVersion(n)]));
  return {
    name: "fortiflex-fleet",
    version: "1.0.0",
    private: true,
    description: `The fleet's customers, planned in pull requests and applied on merge (${fw.library}).`,
    engines: { node: ">=22" },
    scripts: {
      build: "tsc",
      synth: "tsc && node dist/main.js",
      // `npm run fortiflex -- <command>`: the installed package's command line (`npx fortiflex` could fetch another package of that name).
      fortiflex: "fortiflex",
    },
    dependencies: { [fw.library]: version, ...pinned(fw.packages) },
    devDependencies: pinned(["typescript"]),
    // @cdktn/provider-azurerm 16.1 declares a peer cdktn ^0.23; it works with the cdktn pinned here.
    ...(framework === "cdktn" ? { overrides: { "@cdktn/provider-azurerm": { cdktn: "$cdktn" } } } : {}),
  };
}

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "commonjs",
    lib: ["ES2022"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: [],
    outDir: "dist",
  },
  files: ["main.ts"],
};

const CDKTF_JSON = { language: "typescript", app: "npm run --silent synth", output: "cdktf.out", sendCrashReports: "false", context: {} };
