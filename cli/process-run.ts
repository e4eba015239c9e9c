import * as readline from "node:readline/promises";
import { isatty } from "node:tty";
import type { CliIo } from "./cli-context";
import { runGitopsCommand } from "./commands/gitops";
import type { FleetFiles } from "./fleet-loader";

/** Runs `fortiflex` on this process's arguments, streams and environment, and sets its exit status. */
export function runFromProcess(fleet?: () => Promise<FleetFiles>): void {
  // isatty, not process.stdin.isTTY: opening process.stdin makes a piped stdin non-blocking, and the gitops
  // commands that read a pipe (changed-inputs, plan-passwords) read it whole with readFileSync.
  const confirm = isatty(0)
    ? async (question: string) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(question)).trim());
        } finally {
          rl.close();
        }
      }
    : undefined;

  // A reader that stops early (`| head`, a failing `jq`) closes the pipe: the output is no longer wanted.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(0);
  });

  const argv = process.argv.slice(2);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, confirm, fleet };
  // The workflows run a gitops command once per stack and more: it starts without loading commander and the
  // operator commands (a dynamic import, which the bundle evaluates only when reached).
  (runGitopsCommand(argv, io) ?? import("./fortiflex-cli").then(({ runCli }) => runCli(argv, io))).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // runCli answers every expected failure itself: this is a defect, said once, not an unhandled rejection.
      process.stderr.write(`fortiflex: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
