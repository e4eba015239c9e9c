import { Option, type Command } from "commander";
import type { Config } from "../../contract/api-types";
import type { CliContext } from "../cli-context";
import { formatOption, integer } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";
import { programOption, requiredProgram } from "../program-option";

interface ConfigsOptions {
  program?: string;
  account?: number;
  status?: string;
  format: OutputFormat;
}

/** `fortiflex configs`: the configurations of a program, with their parameters on one line. */
export function addConfigsCommand(program: Command, ctx: CliContext): void {
  program
    .command("configs")
    .description("list configurations of a program")
    .addOption(programOption(ctx.io.env, { required: true }))
    .option("-a, --account <id>", "member account", integer)
    .addOption(new Option("-s, --status <status>", "only this status").choices(["ACTIVE", "DISABLED"]))
    .addOption(formatOption())
    .action(async (o: ConfigsOptions) => {
      const program = requiredProgram("configs", o.program);
      const configs = (await ctx.client().listConfigs({ programSerialNumber: program, ...(o.account ? { accountId: o.account } : {}) })).filter(
        (c) => !o.status || c.status === o.status,
      );
      ctx.out(render(configs.map(configRow), ["id", "name", "status", "accountId", "productType", "parameters"], o.format));
    });
}

function configRow(c: Config): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    accountId: c.accountId,
    productType: c.productType.name,
    parameters: c.parameters
      .filter((p) => p.value !== "NONE")
      .map((p) => `${p.name ?? p.id}=${p.value}`)
      .join(" "),
  };
}
