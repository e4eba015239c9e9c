import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { handlerFile } from "../../constructs/private/handler-file";
import { bundleHandler } from "../../packaging/build-handler";

/**
 * The handler is built ahead of time (`npm run build:handler`, Jest's globalSetup) into a module the library
 * carries: the same module in a checkout and in the package, written beside the stacks at synth.
 */
const ROOT = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-handler-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the handler bundle", () => {
  test("its bytes do not depend on the directory its build was started from, and it needs only Node built-ins", () => {
    const build = (cwd: string, out: string) => {
      const project = JSON.stringify(path.join(ROOT, "tsconfig.json"));
      const script =
        `require(${JSON.stringify(require.resolve("ts-node"))}).register({ transpileOnly: true, project: ${project} });` +
        `require("node:fs").writeFileSync(${JSON.stringify(out)}, require(${JSON.stringify(path.join(ROOT, "packaging", "build-handler"))}).bundleHandler());`;
      const res = spawnSync(process.execPath, ["-e", script], { cwd, encoding: "utf8" });
      expect(res.stderr).toBe("");
      return fs.readFileSync(out, "utf8");
    };
    const text = build(tmp, path.join(tmp, "a.js"));
    expect(text).toBe(build(ROOT, path.join(tmp, "b.js")));
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(5);
    expect(required.filter((m) => !isBuiltin(m))).toEqual([]);
  });

  test("the library writes the text it was built with (the generated module is current)", () => {
    const file = handlerFile(path.join(tmp, "current"));
    expect(file.text).toBe(bundleHandler());
    expect(fs.readFileSync(file.path, "utf8")).toBe(file.text);
    expect(file.path).toBe(path.join(tmp, "current", ".fortiflex", "fortiflex-handler.js"));
  });

  test("written into <outdir>/.fortiflex/ again when removed, and in place of a file left by another version", () => {
    const outdir = path.join(tmp, "stale");
    const stale = path.join(outdir, ".fortiflex", "fortiflex-handler.js");
    fs.mkdirSync(path.dirname(stale), { recursive: true });
    fs.writeFileSync(stale, "// an older handler\n");
    const file = handlerFile(outdir);
    expect(file.path).toBe(stale);
    expect(fs.readFileSync(stale, "utf8")).toBe(file.text);
    fs.rmSync(outdir, { recursive: true });
    expect(fs.readFileSync(handlerFile(outdir).path, "utf8")).toBe(file.text);
    // Nothing left behind by the atomic write.
    expect(fs.readdirSync(path.dirname(stale))).toEqual(["fortiflex-handler.js"]);
  });

  test("a checkout whose handler was never built says which command builds it", () => {
    // The library's module as Node runs it, compiled, without the generated module beside it.
    const source = fs.readFileSync(path.join(ROOT, "constructs", "private", "handler-file.ts"), "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const dir = fs.mkdtempSync(path.join(tmp, "unbuilt-"));
    fs.writeFileSync(path.join(dir, "handler-file.js"), js);
    const res = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(dir, "handler-file.js"))})`], { encoding: "utf8" });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("The FortiFlex handler is not built (constructs/private/handler-text.generated.ts is missing): run `npm run build:handler`");
  });
});
