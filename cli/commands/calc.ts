import type { Command } from "commander";
import { checkParameters, FGT_VM_BUNDLE_ID, PRODUCT_TYPES, productTypeById } from "../../contract/product-catalog";
import type { CliContext } from "../cli-context";
import { collectParams, formatOption, integer } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";
import { parameterName, resolveParameters, settableParameters, type GivenParameter } from "../parameter-names";
import { requireProduct } from "../product-lookup";
import { programOption, requiredProgram } from "../program-option";
import { UsageError } from "../usage-error";
import { utcTime } from "../utc-time";

interface CalcOptions {
  program?: string;
  product: string;
  param: GivenParameter[];
  count: number;
  format: OutputFormat;
}

/** `fortiflex calc`: FortiFlex's points calculator, with the parameters checked against the catalog first. */
export function addCalcCommand(program: Command, ctx: CliContext): void {
  program
    .command("calc")
    .description("daily points of a product before deploying it (FortiFlex points calculator)")
    .addOption(programOption(ctx.io.env, { required: true }))
    .requiredOption(
      "--product <type>",
      `product type id or name (${PRODUCT_TYPES.slice(0, 4)
        .map((p) => p.name)
        .join(", ")}, ...; fortiflex catalog lists them)`,
    )
    .requiredOption(
      "--param <name=value...>",
      "parameter by name or id, repeatable; a list parameter once per value (e.g. --param cpu=4 --param service-package=UTP)",
      collectParams,
    )
    .option("--count <n>", "number of units", integer, 1)
    .addOption(formatOption())
    .addHelpText("after", `\n${parameterHelp()}`)
    .action((o: CalcOptions) => calc(ctx, o));
}

async function calc(ctx: CliContext, o: CalcOptions): Promise<void> {
  const program = requiredProgram("calc", o.program);
  const product = requireProduct("calc", o.product);
  const parameters = resolveParameters("calc", product, o.param);
  const problems = checkParameters(product.id, parameters);
  if (problems.length) throw new UsageError(`calc: ${problems[0]}`);
  const result = await ctx.client().calc({ programSerialNumber: program, productTypeId: product.id, count: o.count, parameters });
  const rows = [
    {
      product: product.name,
      count: o.count,
      pointsPerDay: result.current,
      per30Days: Math.round(result.current * 30 * 100) / 100,
      latest: result.latest ?? "",
      latestEffectiveDate: utcTime(result.latestEffectiveDate),
    },
  ];
  ctx.out(render(rows, ["product", "count", "pointsPerDay", "per30Days", "latest", "latestEffectiveDate"], o.format));
}

/** Where the parameter names are, with the FortiGate bundle's as the example: all products' would bury the options. */
function parameterHelp(): string {
  const bundle = productTypeById(FGT_VM_BUNDLE_ID)!;
  const names = settableParameters(bundle).map((p) => `${parameterName(p)} (${p.id})`);
  return `Parameters of ${bundle.name}: ${names.join(", ")}.\nEvery product's, with their values: fortiflex catalog <product>.\n`;
}
