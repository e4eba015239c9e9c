import { Command, CommanderError } from "commander";
import { ENV } from "../contract/endpoints";
// The package's version, inlined by esbuild when the CLI is bundled (repository, dist/ and the packed packages alike).
import { version } from "../package.json";
import { cliContext, type CliIo, type GlobalFlags } from "./cli-context";
import { addAdoptCommand } from "./commands/adopt";
import { addCalcCommand } from "./commands/calc";
import { addCatalogCommand } from "./commands/catalog";
import { addConfigsCommand } from "./commands/configs";
import { addDoctorCommand } from "./commands/doctor";
import { addEntitlementsCommand } from "./commands/entitlements";
import { addGitopsCommand, runGitopsCommand } from "./commands/gitops";
import { addInitCommand } from "./commands/init";
import { addPointsCommand } from "./commands/points";
import { addProgramsCommand } from "./commands/programs";
import { HELP_CONFIGURATION } from "./help-format";
import { UsageError } from "./usage-error";

export type { CliIo } from "./cli-context";

/** How every command prints times (cli/utc-time.ts), said once in `fortiflex --help`. */
const TIMES_HELP =
  "Times are printed in ISO 8601, in UTC, to the second (2026-12-07T14:37:21Z), in every format, JSON included;\n" +
  "FortiFlex's times without a zone are read as Pacific time. Dates given (--from, --to) are FortiFlex's days.\n";

/**
 * `fortiflex`: day-to-day FortiFlex operations for MSSP operators, on the project's API client. Returns the
 * exit status: 0 done, 1 failed (one readable line on stderr), 2 bad usage; `gitops <name>`: that command's own.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const gitops = runGitopsCommand(argv, io); // the workflows' arguments, untouched by commander
  if (gitops) return gitops;
  const flags: GlobalFlags = { verbose: false, allowNonFortinetHost: false };
  const ctx = cliContext(io, flags);
  const program = new Command("fortiflex")
    .description(`FortiFlex reporting and entitlement operations (credentials: ${ENV.username} / ${ENV.password})`)
    .version(version, "-V, --version", "print the version of fortiflex")
    .configureHelp(HELP_CONFIGURATION)
    .option("-v, --verbose", "show every API request with its timing (never secrets)")
    .option("--allow-non-fortinet-host", `send the credentials to ${ENV.apiUrl} / ${ENV.authUrl} on a host other than Fortinet's FortiFlex hosts or loopback`)
    .exitOverride()
    .showHelpAfterError("(fortiflex <command> --help shows the usage)")
    .configureOutput({ writeOut: ctx.out, writeErr: ctx.err })
    .addHelpText("after", `\n${TIMES_HELP}`)
    .hook("preAction", (cmd) => {
      flags.verbose = Boolean(cmd.opts().verbose);
      flags.allowNonFortinetHost = Boolean(cmd.opts().allowNonFortinetHost);
    });
  // Registration order is the order `fortiflex --help` lists them in.
  for (const add of [
    addProgramsCommand,
    addConfigsCommand,
    addEntitlementsCommand,
    addPointsCommand,
    addCalcCommand,
    addCatalogCommand,
    addAdoptCommand,
    addInitCommand,
    addDoctorCommand,
  ])
    add(program, ctx);
  addGitopsCommand(program);

  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed usage or help
    io.stderr.write(`fortiflex: ${(e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
