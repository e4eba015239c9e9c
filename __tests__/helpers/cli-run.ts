import { PassThrough } from "node:stream";
import { runCli } from "../../cli/fortiflex-cli";
import type { CliIo } from "../../cli/cli-context";

/**
 * Runs the CLI in this process with `env` and other io (`today`, or an `env` of its own, which wins); returns its
 * exit status and what it printed.
 */
export async function runCliCaptured(argv: string[], env: NodeJS.ProcessEnv, extra: Partial<Omit<CliIo, "stdout" | "stderr">> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const code = await runCli(argv, { stdout, stderr, env, ...extra });
  return { code, out, err };
}
