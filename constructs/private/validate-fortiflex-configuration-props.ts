import type { Construct } from "constructs";
import { KEY_MARKER_OPENING } from "../../contract/object-key";
import { productTypeById, type ProductTypeSpec } from "../../contract/product-catalog";
import type { ExistingFortiFlexConfigurationProps, FortiFlexConfigurationProps } from "../fortiflex-configuration";
import { FortiFlexProduct } from "../fortiflex-product";
import { ValidationError } from "../validation-error";
import { validateAccountId, validateProgramSerialNumber } from "./object-identity";
import { hasTokenMarker } from "./terraform-literal";

const CONFIG_ID = "the id of an existing FortiFlex configuration (a positive whole number)";

export function validateConfigurationProps(scope: Construct, props: FortiFlexConfigurationProps): void {
  validateProgramSerialNumber(scope, props.programSerialNumber);
  validateAccountId(scope, props.accountId);
  const name = props.name;
  if (typeof name !== "string" || !name.trim() || name.length > 100 || name.includes(KEY_MARKER_OPENING) || hasTokenMarker(name))
    throw new ValidationError(scope, "name", name, 'literal text of 1-100 characters, not containing "[ffx:" (the key marker) or a cdktf reference');
  if (!(props.product instanceof FortiFlexProduct))
    throw new ValidationError(scope, "product", props.product, "a FortiFlexProduct (e.g. FortiFlexProduct.fortiGateVmBundle({...}))");
  const problem = props.product.problems()[0];
  if (problem) throw new ValidationError(scope, `product.${problem.field}`, problem.value, problem.message);
  if (props.adoptConfigId !== undefined && (!Number.isSafeInteger(props.adoptConfigId) || props.adoptConfigId < 1))
    throw new ValidationError(scope, "adoptConfigId", props.adoptConfigId, CONFIG_ID);
}

/** Checks a configuration made elsewhere; returns its catalog entry when its product type is given. */
export function validateExistingConfigurationProps(scope: Construct, props: ExistingFortiFlexConfigurationProps): ProductTypeSpec | undefined {
  validateProgramSerialNumber(scope, props.programSerialNumber);
  validateAccountId(scope, props.accountId);
  if (!Number.isSafeInteger(props.configId) || props.configId < 1) throw new ValidationError(scope, "configId", props.configId, CONFIG_ID);
  const product = props.productTypeId === undefined ? undefined : productTypeById(props.productTypeId);
  if (props.productTypeId !== undefined && !product)
    throw new ValidationError(scope, "productTypeId", props.productTypeId, "a product type id of the catalog (or leave it out)");
  return product;
}
