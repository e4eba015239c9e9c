import { InvalidArgumentError, type Command } from "commander";
import type { CliContext } from "../cli-context";
import { CHECKS, checkLines, type CheckName } from "../doctor/check-result";
import { runDoctor } from "../doctor/run-doctor";
import { DEFAULT_BLOB_ENDPOINT } from "../doctor/state-backend-check";
import { didYouMean } from "../../contract/closest-name";

interface DoctorCommandOptions {
  customers?: string;
  skip?: CheckName[];
  json?: boolean;
  saveAnswers?: string;
  blobEndpoint: string;
}

/** `fortiflex doctor`: what a new fleet needs before its first plan, one line per check; exit status 1 when one fails. */
export function addDoctorCommand(program: Command, ctx: CliContext): void {
  program
    .command("doctor")
    .description(
      "check what a fleet needs before its first plan: Node.js, Terraform, the customers file, credentials, programs, accounts, state backends (reads only)",
    )
    .option("--customers <file>", "the customers file (default: FORTIFLEX_CUSTOMERS_FILE, else ./customers.yaml if present, else stacks/customers.yaml)")
    .option("--skip <checks>", `leave out these checks, comma-separated: ${CHECKS.join(", ")}`, skipList)
    .option("--json", "print the checks as JSON: [{check, status, detail}]")
    .option("--save-answers <dir>", "write each FortiFlex answer received to <dir> as JSON, serial numbers, ids, names and tokens replaced")
    .option("--blob-endpoint <url>", "the state backends' blob endpoint, {account} standing for the storage account", blobEndpoint, DEFAULT_BLOB_ENDPOINT)
    .action(async (o: DoctorCommandOptions) => {
      const results = await runDoctor(ctx, { ...o, skip: o.skip ?? [] });
      ctx.out(o.json ? `${JSON.stringify(results, null, 2)}\n` : checkLines(results));
      const failed = results.filter((r) => r.status === "FAIL").length;
      if (failed) throw new Error(`doctor: ${failed} check(s) failed`);
    });
}

function skipList(value: string, previous: CheckName[] = []): CheckName[] {
  const names = value.split(",").map((s) => s.trim());
  for (const name of names)
    if (!(CHECKS as readonly string[]).includes(name))
      throw new InvalidArgumentError(`unknown check "${name}"${didYouMean(name, CHECKS)} (checks: ${CHECKS.join(", ")})`);
  return [...previous, ...(names as CheckName[])];
}

function blobEndpoint(value: string): string {
  if (!/^https?:\/\/[^/\s]*\{account\}|^https?:\/\/[^/\s]+\/.*\{account\}/.test(value))
    throw new InvalidArgumentError('must be an http(s) URL containing {account}, e.g. "https://{account}.blob.core.chinacloudapi.cn"');
  return value;
}
