import { PRODUCT_TYPES, productTypeById, type ProductTypeSpec } from "../contract/product-catalog";

/** A product type given on the command line as its id ("1") or its FortiFlex name, in any case ("fgt_vm_bundle"). */
export function productByIdOrName(given: string): ProductTypeSpec | undefined {
  return /^\d+$/.test(given) ? productTypeById(Number(given)) : PRODUCT_TYPES.find((p) => p.name.toLowerCase() === given.toLowerCase());
}
