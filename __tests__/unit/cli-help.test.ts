import { runCliCaptured } from "../helpers/cli-run";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROGRAM_ENV } from "../../cli/program-option";

/** Runs the CLI with the given environment and no endpoint: what is checked here happens before any request. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCliCaptured(argv, env);
}

/** The help line of one option (commander wraps long descriptions: the continuation lines are joined). */
function optionHelp(help: string, flags: string): string {
  const lines = help.split("\n");
  const start = lines.findIndex((l) => l.trimStart().startsWith(flags));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !/^ {10,}\S/.test(l));
  return [lines[start], ...rest.slice(0, end)].join(" ").trim().replace(/\s+/g, " ");
}

describe("fortiflex --version and --help", () => {
  test("--version prints the package's version", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
    expect(await run(["--version"])).toEqual({ code: 0, out: `${version}\n`, err: "" });
    expect(await run(["-V"])).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });

  test("required options are marked (required), the others are not", async () => {
    const calc = (await run(["calc", "--help"])).out;
    expect(optionHelp(calc, "--product")).toMatch(/\(required\)$/);
    expect(optionHelp(calc, "--param")).toMatch(/\(required\)$/);
    expect(optionHelp(calc, "-p, --program")).toMatch(new RegExp(`or set ${PROGRAM_ENV} \\(required\\)$`));
    expect(optionHelp(calc, "--count")).not.toContain("required");
    const adopt = (await run(["adopt", "--help"])).out;
    expect(optionHelp(adopt, "-k, --key")).toMatch(/\(required\)$/);
    expect(optionHelp(adopt, "--config-id")).not.toContain("required");
    // The entitlements listing does not need a program (a configuration will do): not marked.
    expect(optionHelp((await run(["entitlements", "--help"])).out, "-p, --program")).not.toContain("required");
  });
});

describe("fortiflex gitops", () => {
  test("--help lists the workflows' commands, one line each; help <name> gives its arguments", async () => {
    const help = await run(["gitops", "--help"]);
    const commands = help.out
      .slice(help.out.indexOf("Commands:\n") + "Commands:\n".length)
      .trimEnd()
      .split("\n");
    expect(commands.map((l) => l.trim().split(/\s+/)[0])).toEqual([
      "changed-inputs",
      "cross-references",
      "changed-stacks",
      "stack-digest",
      "terraform-environment",
      "plan-passwords",
      "plan-record",
      "points-delta",
      "review-summary",
      "apply-preview",
      "plan-guard",
      "drift-report",
      "help",
    ]);
    expect((await run(["gitops", "help", "stack-digest"])).out).toMatch(/^Usage: fortiflex gitops stack-digest <stack dir>\n/);
  });

  test("a command's arguments are its own: a usage mistake is its usage line; a program option before gitops is refused", async () => {
    expect(await run(["gitops", "stack-digest"])).toEqual({ code: 2, out: "", err: "usage: stack-digest <stack dir>\n" });
    expect(await run(["-v", "gitops", "stack-digest", "dir"])).toEqual({
      code: 2,
      out: "",
      err: "fortiflex: gitops stack-digest takes no program option: run fortiflex gitops stack-digest <stack dir>\n",
    });
  });
});

describe(`the program from ${PROGRAM_ENV}`, () => {
  const PROGRAM = "ELAVMS0000000518";

  test("help shows the environment's program as the default", async () => {
    const help = (await run(["points", "--help"], { [PROGRAM_ENV]: PROGRAM })).out;
    expect(optionHelp(help, "-p, --program")).toBe(
      `-p, --program <serial> program serial number, or set ${PROGRAM_ENV} (default: ${PROGRAM} from ${PROGRAM_ENV})`,
    );
  });

  test("neither -p nor the variable: one line naming both", async () => {
    for (const command of ["configs", "points", "calc", "adopt"]) {
      const extra = command === "calc" ? ["--product", "1", "--param", "1=4"] : command === "adopt" ? ["-k", "x/y", "--config-id", "1"] : [];
      expect(await run([command, ...extra])).toEqual({
        code: 2,
        out: "",
        err: `fortiflex: ${command}: no program: give -p, --program <serial> or set ${PROGRAM_ENV}\n`,
      });
    }
  });
});
