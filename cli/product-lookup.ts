import { PRODUCT_TYPES, productTypeById, type ProductTypeSpec } from "../contract/product-catalog";
import { didYouMean } from "../contract/closest-name";
import { UsageError } from "./usage-error";

/** A product type given on the command line as its id ("1") or its FortiFlex name, in any case ("fgt_vm_bundle"). */
export function productByIdOrName(given: string): ProductTypeSpec | undefined {
  return /^\d+$/.test(given) ? productTypeById(Number(given)) : PRODUCT_TYPES.find((p) => p.name.toLowerCase() === given.toLowerCase());
}

/** The product, or a usage error for `command` that suggests the closest name and lists them all. */
export function requireProduct(command: string, given: string): ProductTypeSpec {
  const product = productByIdOrName(given);
  if (product) return product;
  const names = PRODUCT_TYPES.map((p) => p.name);
  throw new UsageError(
    `${command}: unknown product "${given}"${didYouMean(given, names)} (allowed: ${PRODUCT_TYPES.map((p) => `${p.id} ${p.name}`).join(", ")})`,
  );
}
