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
      { name: "id", type: "string", description: 'Always "-".', computed: true },
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
      return fail(
        "External Program Missing",
        "The data source was configured without a program to execute. Verify the configuration contains at least one non-empty value.",
      );
    }
    const query = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries((config.query as ObjectValue | null) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (typeof v === "string") query[k] = v;
    }
    const found = lookPath(program[0]);
    if (typeof found !== "string") {
      return fail(
        "External Program Lookup Failed",
        "The data source received an unexpected error while attempting to find the program.\n\n" +
          "The program must be accessible according to the platform where Terraform is running: on PATH, or a path to an executable file.\n\n" +
          `Platform: ${process.platform}\nProgram: ${program[0]}\nError: ${found.error}`,
      );
    }
    const workingDir = typeof config.working_dir === "string" && config.working_dir ? config.working_dir : undefined;
    if (workingDir && !isDirectory(workingDir)) {
      return fail(
        "External Program Execution Failed",
        "The data source received an unexpected error while attempting to execute the program.\n\n" +
          `Program: ${found}\nError: chdir ${workingDir}: no such file or directory`,
      );
    }
    const executable = found;
    const run = await execute(executable, program.slice(1), workingDir, JSON.stringify(query));
    if (run.state !== "exit status 0") {
      const message = run.stderr
        ? `\n\nProgram: ${executable}\nError Message: ${run.stderr}\nState: ${run.state}`
        : `\n\nThe program was executed, however it returned no additional error messaging.\n\nProgram: ${executable}\nState: ${run.state}`;
      return fail("External Program Execution Failed", `The data source received an unexpected error while attempting to execute the program.${message}`);
    }
    const parsed = parseResult(run.stdout);
    if (typeof parsed === "string") {
      return fail(
        "Unexpected External Program Results",
        "The data source received unexpected results after executing the program.\n\n" +
          "Program output must be a JSON encoded map of string keys and string values.\n\n" +
          "If the error is unclear, the output can be viewed by enabling Terraform's logging at TRACE level.\n\n" +
          `Program: ${executable}\nResult Error: ${parsed}`,
      );
    }
    return { state: { program: config.program, working_dir: config.working_dir ?? null, query: config.query ?? null, result: parsed, id: "-" } };
  },
};

function fail(summary: string, detail: string): { state: null; diagnostics: Diagnostic[] } {
  return { state: null, diagnostics: [error(summary, detail, "program")] };
}

/**
 * The program's output as a map of strings, or what is wrong with it, in the words of Go's JSON decoder
 * (which the real provider uses): JSON null reads as an empty map, a null value as an empty string.
 */
function parseResult(stdout: string): Record<string, string> | string {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (e) {
    return (e as Error).message;
  }
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) return `json: cannot unmarshal ${jsonType(value)} into Go value of type map[string]string`;
  const result = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v !== "string") return `json: cannot unmarshal ${jsonType(v)} into Go value of type string`;
    result[k] = v ?? "";
  }
  return result;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  return typeof v === "boolean" ? "bool" : typeof v;
}

/** Like Go's exec.LookPath: a name with a slash is used as it is, else searched on PATH. */
function lookPath(name: string): string | { error: string } {
  const problem = (file: string): string | undefined => {
    try {
      if (fs.statSync(file).isDirectory()) return "is a directory";
      fs.accessSync(file, fs.constants.X_OK);
      return undefined;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EACCES" ? "permission denied" : "no such file or directory";
    }
  };
  if (name.includes("/")) {
    const why = problem(name);
    return why ? { error: `exec: "${name}": ${why}` } : name;
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir || ".", name);
    if (!problem(candidate)) return candidate;
  }
  return { error: `exec: "${name}": executable file not found in $PATH` };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Go's names for the signals a program is usually ended by. */
const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: "killed",
  SIGINT: "interrupt",
  SIGTERM: "terminated",
  SIGHUP: "hangup",
  SIGPIPE: "broken pipe",
  SIGSEGV: "segmentation fault",
  SIGABRT: "aborted",
};

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
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        state: signal ? `signal: ${SIGNAL_NAMES[signal] ?? signal}` : `exit status ${code}`,
      });
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
