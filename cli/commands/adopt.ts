import type { Command } from "commander";
import { KEY_PATTERN } from "../../contract/object-key";
import { adoptConfig, adoptEntitlement } from "../../custom-provider/adoption-operations";
import type { CliContext } from "../cli-context";
import { integer } from "../option-parsers";
import { requireProduct } from "../product-lookup";
import { programOption, requiredProgram } from "../program-option";
import { UsageError } from "../usage-error";

interface AdoptOptions {
  program?: string;
  account?: number;
  key: string;
  configId?: number;
  product?: string;
  serial?: string;
}

/** `fortiflex adopt`: gives an existing configuration or entitlement a stack's key; creates and stops nothing. */
export function addAdoptCommand(program: Command, ctx: CliContext): void {
  program
    .command("adopt")
    .description(
      "give an existing configuration (--config-id) or entitlement (--serial) a stack's key, so that the stack takes it over " +
        "instead of creating one; never creates or stops anything",
    )
    .addOption(programOption(ctx.io.env, { required: true }))
    .option("-a, --account <id>", "member account (default: the API user's own)", integer)
    .requiredOption(
      "-k, --key <key>",
      'the construct\'s key, exactly, e.g. "contoso/FortiGate/FortiFlexConfig" (see the plan or cdk.tf.json); ' +
        "a key no construct declares is stopped by its stack's next apply",
    )
    .option("--config-id <id>", "the configuration to adopt", integer)
    .option("--product <type>", "the product type of the construct's configuration (id or name), checked")
    .option("--serial <serial>", "the entitlement to adopt")
    .action((o: AdoptOptions) => adopt(ctx, o));
}

async function adopt(ctx: CliContext, o: AdoptOptions): Promise<void> {
  const program = requiredProgram("adopt", o.program);
  if ((o.configId === undefined) === (o.serial === undefined)) throw new UsageError("adopt: give --config-id or --serial");
  if (!KEY_PATTERN.test(o.key)) throw new UsageError(`adopt: a key is 1-80 letters, digits or . _ : / - (got "${o.key}")`);
  const product = o.product === undefined ? undefined : requireProduct("adopt", o.product);
  const endpoints = { api_url: "", auth_url: "" };
  const scope = { key: o.key, program_serial_number: program, account_id: o.account === undefined ? "" : String(o.account), ...endpoints };
  const log = (line: string) => ctx.out(`${line}\n`);
  if (o.configId !== undefined) {
    const existing = (await ctx.client().listConfigs({ programSerialNumber: program })).find((c) => c.id === o.configId);
    await adoptConfig(ctx.client(), { kind: "config", ...scope, product_type_id: String(product?.id ?? existing?.productType.id ?? "") }, o.configId, log);
  } else {
    await adoptEntitlement(ctx.client(), { kind: "entitlement", ...scope }, o.serial!, product ? String(product.id) : "", log);
  }
  // A key no construct declares is swept: the stack of its namespace stops what it does not declare.
  ctx.out(
    `The key must be exactly the construct's (see the plan or cdk.tf.json): ` +
      `the next apply of stack "${o.key.split("/")[0]}" stops an object whose key it does not declare.\n`,
  );
}
