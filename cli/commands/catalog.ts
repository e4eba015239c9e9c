import type { Command } from "commander";
import { PRODUCT_TYPES, type ParameterSpec, type ProductTypeSpec } from "../../contract/product-catalog";
import type { CliContext } from "../cli-context";
import { formatOption } from "../option-parsers";
import { render, type OutputFormat } from "../output-format";
import { parameterName, settableParameters } from "../parameter-names";
import { requireProduct } from "../product-lookup";

/** `fortiflex catalog [product]`: the products, or one product's parameters as `calc --param` takes them; no request. */
export function addCatalogCommand(program: Command, ctx: CliContext): void {
  program
    .command("catalog")
    .description("list the product types, or a product's parameters: name, id, allowed values, required (no API request)")
    .argument("[product]", "product type id or name, e.g. FGT_VM_Bundle")
    .addOption(formatOption())
    .action((given: string | undefined, o: { format: OutputFormat }) => {
      if (given === undefined) {
        const rows = PRODUCT_TYPES.map((p) => ({ id: p.id, name: p.name, form: p.form, label: p.label }));
        ctx.out(render(rows, ["id", "name", "form", "label"], o.format));
        return;
      }
      const product = requireProduct("catalog", given);
      if (o.format === "table") ctx.out(`${product.name} (product type ${product.id}, ${product.label}); give each as --param <name or id>=<value>:\n`);
      ctx.out(render(parameterRows(product), ["name", "id", "kind", "required", "allowed", "default", "description"], o.format));
    });
}

function parameterRows(product: ProductTypeSpec): Record<string, unknown>[] {
  return settableParameters(product).map((p) => ({
    name: parameterName(p),
    id: p.id,
    kind: p.kind === "list" ? "list (repeat --param)" : p.kind,
    required: p.required,
    allowed: allowed(p),
    default: p.defaultValue ?? "",
    description: p.label,
  }));
}

/** What a value may be, as the catalog checks it. */
function allowed(p: ParameterSpec): string {
  if (p.kind === "int") return `${p.zeroAllowed ? "0 or " : ""}${p.min}-${p.max}${p.step ? `, a multiple of ${p.step}` : ""}`;
  if (p.kind === "text") return `matching ${p.pattern?.source ?? "anything"}`;
  return Object.values(p.values ?? {}).join(" ");
}
