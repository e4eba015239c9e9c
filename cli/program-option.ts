import { Option } from "commander";
import { UsageError } from "./usage-error";

/** The program an operator works on, set once per shell instead of `-p` on every command. */
export const PROGRAM_ENV = "FORTIFLEX_PROGRAM_SERIAL_NUMBER";

/**
 * `-p, --program`, defaulting to $FORTIFLEX_PROGRAM_SERIAL_NUMBER from the CLI's own environment (commander's
 * `.env()` reads process.env, which the tests' environment is not). `--help` shows the default when it is set,
 * "(required)" when it is not and the command needs a program.
 */
export function programOption(env: NodeJS.ProcessEnv, use: { required: boolean; description?: string }): Option {
  const fromEnv = env[PROGRAM_ENV] || undefined;
  const description = `${use.description ?? "program serial number"}, or set ${PROGRAM_ENV}`;
  const option = new Option("-p, --program <serial>", fromEnv || !use.required ? description : `${description} (required)`);
  return fromEnv ? option.default(fromEnv, `${fromEnv} from ${PROGRAM_ENV}`) : option;
}

/** The program of a command that needs one: from -p or the environment, else a usage error naming both (and `instead`). */
export function requiredProgram(command: string, program: string | undefined, instead?: string): string {
  if (program) return program;
  throw new UsageError(`${command}: no program: give -p, --program <serial> or set ${PROGRAM_ENV}${instead ? ` (or ${instead})` : ""}`);
}
