import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { formatOption } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";
import { utcTime } from "../utc-time";

/** `fortiflex programs`: the programs the API user sees. */
export function addProgramsCommand(program: Command, ctx: CliContext): void {
  program
    .command("programs")
    .description("list FortiFlex programs")
    .addOption(formatOption())
    .action(async (o: { format: OutputFormat }) => {
      const rows = (await ctx.client().listPrograms()).map((p) => ({ ...p, startDate: utcTime(p.startDate), endDate: utcTime(p.endDate) }));
      ctx.out(render(rows, ["serialNumber", "accountId", "startDate", "endDate", "hasSupportCoverage"], o.format));
    });
}
