import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { formatOption } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";

/** `fortiflex programs`: the programs the API user sees. */
export function addProgramsCommand(program: Command, ctx: CliContext): void {
  program
    .command("programs")
    .description("list FortiFlex programs")
    .addOption(formatOption())
    .action(async (o: { format: OutputFormat }) => {
      const rows = await ctx.client().listPrograms();
      ctx.out(render(rows as unknown as Record<string, unknown>[], ["serialNumber", "accountId", "startDate", "endDate", "hasSupportCoverage"], o.format));
    });
}
