import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { PRODUCT_TYPES } from "../../contract/product-catalog";
import { FortiFlexOnlyStack } from "../../examples/fortiflex-only-stack";
import { buildCustomerStacks, DEFAULT_CUSTOMERS_FILE } from "../../stacks/customer-app";
import { printSynthSummary } from "../../stacks/synth-summary";

/**
 * The docs state figures and sample output that the code produces; this suite recomputes each of them, so a
 * change to the code that makes the docs wrong fails here, and so does a link to a file that moved.
 */
const ROOT = path.join(__dirname, "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(rel);
    return e.name.endsWith(".md") ? [rel] : [];
  });
}
const DOCS = ["README.md", "CONTRIBUTING.md", "SECURITY.md", ...markdownFiles("docs")];
const text = Object.fromEntries(DOCS.map((f) => [f, read(f)]));
const allText = Object.values(text).join("\n");
/** Markdown without its fenced code blocks: headings and links live outside them. */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(md: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, title] of prose(md).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = title
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** One markdown table's rows (cells trimmed) whose first cell matches `first`. */
function rows(md: string, first: RegExp): string[][] {
  return md
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    )
    .filter((cells) => first.test(cells[0]));
}
const codeNames = (cell: string, pattern = /`([^`]+)`/g) => [...cell.matchAll(pattern)].map((m) => m[1]);
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe("the docs' structure", () => {
  test("the README stays a front door: at most 400 lines", () => {
    expect(text["README.md"].split("\n").length).toBeLessThanOrEqual(400);
  });

  test("every relative link resolves to a file, and every anchor to a heading", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of DOCS) {
      for (const [, target] of prose(text[file]).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        checked++;
        const [rel, anchor] = target.split("#");
        const resolved = rel ? path.join(path.dirname(file), rel) : file;
        if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor)) {
          broken.push(`${file}: ${target} (no such heading)`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  test("every npm script the docs name exists", () => {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    const named = sorted([...allText.matchAll(/npm run (?:--silent )?([a-z][\w:-]*)/g)].map((m) => m[1]));
    expect(named).toEqual(expect.arrayContaining(["synth", "test:cdktn", "test:package", "lint", "demo", "bench:plan", "docs:api"]));
    expect(named.filter((s) => !(s in scripts))).toEqual([]);
    expect(text["README.md"]).toContain("npm ci && npm run synth");
    expect(text["README.md"]).toMatch(/^npm test\b/m);
  });

  test("every source path the docs name exists", () => {
    const top = "(?:constructs|contract|custom-provider|stacks|gitops|cli|simulator|bench|packaging|reliability|local-providers|demo|examples|__tests__)";
    const named = sorted([...allText.matchAll(new RegExp(`(?<![\\w./-])(${top}/[\\w./-]*\\.(?:ts|js|json|yml|yaml))(?![\\w.-])`, "g"))].map((m) => m[1]));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((p) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  test("every FORTIFLEX_ variable the docs name is read somewhere", () => {
    const sources = ["constructs", "contract", "custom-provider", "stacks", "cli", "simulator", "gitops", ".github/workflows"];
    const walk = (dir: string): string[] =>
      fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "dist" ? [] : walk(rel);
        return /\.(ts|yml)$/.test(e.name) ? [read(rel)] : [];
      });
    const code = [...sources.flatMap(walk), read("main.ts"), read(".ci/run")].join("\n");
    const named = sorted([...allText.matchAll(/\bFORTIFLEX_[A-Z_]*[A-Z]\b/g)].map((m) => m[0]));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((v) => !code.includes(v))).toEqual([]);
  });
});

describe("figures the docs state", () => {
  let summary: string[] = [];
  const stacks: Record<string, { output?: Record<string, unknown>; resource?: Record<string, Record<string, unknown>> }> = {};

  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-docs-"));
    try {
      const app = new App({ outdir, skipValidation: true });
      const ids = buildCustomerStacks(app, path.join(ROOT, DEFAULT_CUSTOMERS_FILE)).map((c) => c.id);
      app.synth();
      let printed = "";
      printSynthSummary(app, 0, { write: (s: string) => (printed += s) } as unknown as NodeJS.WritableStream);
      summary = printed.split("\n").filter((l) => / resources, /.test(l));
      for (const id of ids) stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("the synth summary shown is what npm run synth prints for the example customers", () => {
    expect(summary).toHaveLength(4);
    const shown = (md: string) => md.split("\n").filter((l) => /^ {2}[\w-]+: \d+ resources, \d+ data sources, \d+ outputs$/.test(l));
    expect(shown(text["README.md"])).toEqual(summary);
    expect(shown(text["docs/guides/customers-file.md"])).toEqual(summary);
    for (const file of DOCS) for (const line of shown(text[file])) expect(summary).toContain(line);
  });

  test("the FortiFlex steps of a single-FortiGate customer are as many as README and How it works say", () => {
    const steps = Object.keys(stacks.contoso.resource?.null_resource ?? {}).length;
    expect(Number(/a customer with one FortiGate has (\d+) FortiFlex steps/.exec(text["README.md"])?.[1])).toBe(steps);
    expect(Number(/A customer with one FortiGate has (\d+) steps/.exec(text["docs/design/how-it-works.md"])?.[1])).toBe(steps);
  });

  test("each deployment's outputs are the ones listed", () => {
    const listed = Object.fromEntries(rows(text["docs/guides/customers-file.md"], /^`(single|active-passive)`$/).map((r) => [r[0], codeNames(r[2])]));
    expect(sorted(listed["`single`"])).toEqual(sorted(Object.keys(stacks.contoso.output ?? {})));
    expect(sorted(listed["`active-passive`"])).toEqual(sorted(Object.keys(stacks.woodgrove.output ?? {})));
  });

  test("the demo's plan creates as many resources as the FortiFlex-only example declares unconditionally", () => {
    const synth = JSON.parse(Testing.synth(new FortiFlexOnlyStack(Testing.app(), "demo-edge"))) as {
      resource: Record<string, Record<string, unknown>>;
    };
    // Every step is created; the reconcile step's count is 1 once the plan's observation is known.
    const always = Object.values(synth.resource).flatMap((byName) => Object.values(byName)).length;
    const demo = text["docs/guides/offline-demo.md"];
    const figures = [/Plan: (\d+) to add/, /Apply complete! Resources: (\d+) added/, /The (\d+) resources of `demo-edge`/].map((re) =>
      Number(demo.match(re)?.[1]),
    );
    expect(figures).toEqual([always, always, always]);
  });

  test("the number of product types is the catalog's", () => {
    const stated = [...allText.matchAll(/(\d+) product types/g)].map((m) => Number(m[1]));
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([PRODUCT_TYPES.length]));
  });

  test("the versions tested together are the project's", () => {
    const manifest = JSON.parse(read("package.json")) as { devDependencies: Record<string, string> };
    const providerOf = (pkg: string) =>
      (JSON.parse(read(`node_modules/${pkg}/package.json`)) as { cdktf: { provider: { version: string } } }).cdktf.provider.version;
    const bindingOf = (file: string) => read(file).match(/providerVersion: "([\d.]+)"/)?.[1];
    const providers: Record<string, string[]> = {
      azurerm: [providerOf("@cdktf/provider-azurerm"), providerOf("@cdktn/provider-azurerm")],
      null: [providerOf("@cdktf/provider-null"), bindingOf("constructs/private/cdktn/provider-null/lib/provider.ts")!],
      external: [bindingOf("constructs/private/external-data.ts")!, bindingOf("constructs/private/external-data.ts")!],
    };
    const table = rows(text["docs/guides/installing.md"], /^(framework|azurerm bindings \(provider\)|null provider|external provider|constructs)$/);
    expect(table).toHaveLength(5);
    let checked = 0;
    for (const cells of table) {
      for (const column of [0, 1]) {
        const cell = cells[column + 1];
        if (cells[0] === "constructs") {
          expect(cell).toBe(manifest.devDependencies.constructs);
          checked++;
        }
        for (const [, pkg, version] of cell.matchAll(/(@?[a-z][\w/.-]*) (\d+\.\d+\.\d+)/g)) {
          if (pkg in providers) continue;
          expect(`${pkg} ${version}`).toBe(`${pkg} ${manifest.devDependencies[pkg]}`);
          checked++;
        }
        for (const [, provider, version] of cell.matchAll(/\((azurerm|null|external) (\d+\.\d+\.\d+)\)/g)) {
          expect(`${provider} ${version}`).toBe(`${provider} ${providers[provider][column]}`);
          checked++;
        }
      }
    }
    expect(checked).toBe(13);
  });
});

describe("the GitOps guide against the workflows", () => {
  const gitops = text["docs/guides/gitops.md"];
  const workflowDir = path.join(ROOT, ".github", "workflows");
  const workflowFiles = fs
    .readdirSync(workflowDir)
    .filter((f) => /^fortiflex-.*\.yml$/.test(f))
    .sort();
  type Job = { environment?: string; if?: string; strategy?: { "max-parallel"?: number } };
  const jobs = workflowFiles.flatMap((f) =>
    Object.values((parseYaml(fs.readFileSync(path.join(workflowDir, f), "utf8")) as { jobs: Record<string, Job> }).jobs).map((job) => ({ file: f, job })),
  );
  /** What a job reads inside its environment (a job's `if` is evaluated before it enters one). */
  const bodyOf = (job: Job) => JSON.stringify({ ...job, if: undefined });
  /** `fortiflex-plan-${{ matrix.stack }}` as the docs write it: `fortiflex-plan-<customer>`. */
  const environmentOf = (job: Job) => job.environment?.replace(/\$\{\{\s*matrix\.stack\s*\}\}/, "<customer>");

  test("the workflows listed are the fleet's workflows, and their number is said right", () => {
    const numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    expect(sorted(rows(gitops, /^`fortiflex-[\w-]+\.yml`$/).map((r) => r[0].slice(1, -1)))).toEqual(workflowFiles);
    const said = [...allText.matchAll(/\b(\w+) (?:GitHub )?workflows\b/gi)].map((m) => m[1].toLowerCase()).filter((w) => numbers.includes(w));
    expect(said.length).toBeGreaterThan(0);
    expect(new Set(said)).toEqual(new Set([numbers[workflowFiles.length]]));
  });

  test("each environment's secrets and variables are the ones its jobs read", () => {
    const table = rows(gitops, /^`fortiflex-[\w<>-]+`$/);
    const documented = Object.fromEntries(
      table.map(([env, secrets, variables]) => [
        env.slice(1, -1),
        { secrets: sorted(codeNames(secrets, /`([A-Z][A-Z_]+)`/g)), variables: sorted(codeNames(variables, /`([A-Z][A-Z_]+)`/g)) },
      ]),
    );
    const used: Record<string, { secrets: string[]; variables: string[] }> = {};
    for (const { job } of jobs) {
      const env = environmentOf(job);
      if (!env) continue;
      const body = bodyOf(job);
      const entry = (used[env] ??= { secrets: [], variables: [] });
      entry.secrets = sorted([...entry.secrets, ...[...body.matchAll(/secrets\.([A-Z][A-Z_]+)/g)].map((m) => m[1])]);
      entry.variables = sorted([...entry.variables, ...[...body.matchAll(/vars\.([A-Z][A-Z_]+)/g)].map((m) => m[1])]);
    }
    expect(Object.keys(used).length).toBeGreaterThanOrEqual(4);
    expect(documented).toEqual(used);
  });

  test("the repository variables outside environments are documented", () => {
    const inEnvironments = new Set(
      jobs.filter(({ job }) => job.environment).flatMap(({ job }) => [...bodyOf(job).matchAll(/vars\.([A-Z][A-Z_]+)/g)].map((m) => m[1])),
    );
    const all = workflowFiles.flatMap((f) => [...fs.readFileSync(path.join(workflowDir, f), "utf8").matchAll(/vars\.([A-Z][A-Z_]+)/g)].map((m) => m[1]));
    const repositoryWide = sorted(all.filter((v) => !inEnvironments.has(v)));
    expect(repositoryWide.length).toBeGreaterThan(0);
    for (const v of repositoryWide) expect(gitops).toContain(`repository variable \`${v}\``);
  });

  test("the deploy applies as many stacks at once as the guide says", () => {
    const apply = jobs.find(({ file, job }) => file === "fortiflex-deploy.yml" && environmentOf(job) === "fortiflex-apply-<customer>");
    expect(Number(gitops.match(/applies each stack in its apply environment, (\d+) at a time/)?.[1])).toBe(apply?.job.strategy?.["max-parallel"]);
  });
});
