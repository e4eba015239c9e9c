import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ObjectValue, Value } from "./dynamic-value";
import { error, type DataSourceType, type Diagnostic, type ProviderDefinition } from "./provider-definition";

/**
 * hashicorp/external's `external` data source, following the real provider's documented protocol: run
 * `program` (first element looked up on PATH, no shell) in `working_dir`, write `query` as a JSON object of
 * strings on its stdin (null elements dropped, `{}` when absent), and read a JSON object of strings from its
 * stdout. A non-zero exit is an error carrying the program's stderr; any other output shape is an error.
 * Terraform reads it at plan time, or at apply time when its configuration is not known yet or it depends
 * on pending changes: that choice is Terraform's, not the provider's.
 */
const running = new Set<ChildProcess>();

const externalDataSource: DataSourceType = {
  schema: {
    version: 0,
    description: "Runs an external program and exposes the JSON object of strings it prints.",
    attributes: [
      { name: "program", type: ["list", "string"], description: "The program and its arguments (no shell).", required: true },
      { name: "working_dir", type: "string", description: "Working directory of the program; Terraform's own when unset.", optional: true },
      { name: "query", type: ["map", "string"], description: "Strings sent to the program as a JSON object on stdin.", optional: true },
      { name: "result", type: ["map", "string"], description: "The JSON object of strings the program printed.", computed: true },
      { name: "id", type: "string", description: "Always \"-\".", computed: true },
    ],
  },
  validate(config) {
    const program = config.program;
    if (Array.isArray(program) && program.length < 1) {
      return [error("Invalid Attribute Value", `Attribute program list must contain at least 1 elements, got: ${program.length}`, "program")];
    }
    return [];
  },
  async read(config) {
    const program = ((config.program as Value[] | null) ?? []).filter((a): a is string => typeof a === "string" && a !== "");
    if (!program.length) {
      return fail("External Program Missing", "The data source was configured without a program to execute. Verify the configuration contains at least one non-empty value.");
    }
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries((config.query as ObjectValue | null) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (typeof v === "string") query[k] = v;
    }
    const executable = lookPath(program[0]);
    if (!executable) {
      return fail("External Program Lookup Failed", `The program must be on PATH or a path to an executable file.\n\nProgram: ${program[0]}\nError: executable file not found`);
    }
    const workingDir = typeof config.working_dir === "string" && config.working_dir ? config.working_dir : undefined;
    const run = await execute(executable, program.slice(1), workingDir, JSON.stringify(query));
    if (run.state !== "exit status 0") {
      const message = run.stderr
        ? `\n\nProgram: ${executable}\nError Message: ${run.stderr}\nState: ${run.state}`
        : `\n\nThe program was executed, however it returned no additional error messaging.\n\nProgram: ${executable}\nState: ${run.state}`;
      return fail("External Program Execution Failed", `The data source received an unexpected error while attempting to execute the program.${message}`);
    }
    const parsed = parseResult(run.stdout);
    if (typeof parsed === "string") {
      return fail("Unexpected External Program Results", `The data source received unexpected results after executing the program.\n\nProgram output must be a JSON encoded map of string keys and string values.\n\nProgram: ${executable}\nResult Error: ${parsed}`);
    }
    return { state: { program: config.program, working_dir: config.working_dir ?? null, query: config.query ?? null, result: parsed, id: "-" } };
  },
};

function fail(summary: string, detail: string): { state: null; diagnostics: Diagnostic[] } {
  return { state: null, diagnostics: [error(summary, detail, "program")] };
}

/** The program's output as a map of strings, or what is wrong with it. JSON null reads as empty, as in Go. */
function parseResult(stdout: string): Record<string, string> | string {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (e) {
    return (e as Error).message;
  }
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) return `the output is ${Array.isArray(value) ? "an array" : `a ${typeof value}`}, not an object`;
  for (const [k, v] of Object.entries(value)) if (typeof v !== "string") return `the value of "${k}" is ${v === null ? "null" : `a ${typeof v}`}, not a string`;
  return value as Record<string, string>;
}

/** Like Go's exec.LookPath: a name with a slash is used as it is, else searched on PATH. */
function lookPath(name: string): string | undefined {
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) return executable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir || ".", name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

interface Execution {
  stdout: string;
  stderr: string;
  /** As Go prints a process state: "exit status N" or "signal: NAME". */
  state: string;
}

function execute(file: string, args: string[], cwd: string | undefined, stdin: string): Promise<Execution> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.stdin.on("error", () => undefined); // a program that exits without reading its input
    child.on("error", (e) => {
      running.delete(child);
      resolve({ stdout: "", stderr: e.message, state: "exit status 127" });
    });
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), state: signal ? `signal: ${signal}` : `exit status ${code}` });
    });
    child.stdin.end(stdin);
  });
}

export const externalProvider: ProviderDefinition = {
  name: "external",
  providerSchema: { version: 0, description: "", attributes: [] },
  resources: {},
  dataSources: { external: externalDataSource },
  stop: () => {
    for (const child of running) child.kill("SIGKILL");
  },
};
