import type { Construct } from "constructs";
import { ENTITLEMENT_SERIAL_PATTERN, KEY_MARKER_OPENING } from "../../contract/object-key";
import { EntitlementDesiredStatus } from "../entitlement-desired-status";
import type { FortiFlexVmEntitlementProps } from "../fortiflex-vm-entitlement";
import { ValidationError } from "../validation-error";
import { wiringOf, type ConfigurationWiring } from "./configuration-wiring";
import { hasTokenMarker } from "./terraform-literal";

/** A VM entitlement's props, checked and resolved: what its steps are built from. */
export interface CheckedVmEntitlementProps {
  readonly wiring: ConfigurationWiring;
  readonly description: string;
  readonly status: EntitlementDesiredStatus;
  readonly tokenGeneration: number;
}

export function validateVmEntitlementProps(scope: Construct, props: FortiFlexVmEntitlementProps): CheckedVmEntitlementProps {
  const wiring = wiringOf(props.configuration);
  if (!wiring)
    throw new ValidationError(scope, "configuration", props.configuration, "a FortiFlexConfiguration construct, or FortiFlexConfiguration.fromConfigId(...)");
  const configuration = props.configuration;
  // The catalog's form decides; a product it does not know (custom, unvalidated) is left to FortiFlex.
  if (configuration.productForm !== undefined && configuration.productForm !== "vm") {
    const why = `a virtual machine product; ${configuration.productTypeName} (${configuration.productForm}) takes no VM entitlements`;
    throw new ValidationError(scope, "configuration", configuration.node.path, why);
  }
  const description = props.description ?? "";
  if (typeof description !== "string" || description.length > 200 || description.includes(KEY_MARKER_OPENING) || hasTokenMarker(description)) {
    const allowed = 'literal text of at most 200 characters, not containing "[ffx:" (the key marker) or a cdktf reference';
    throw new ValidationError(scope, "description", description, allowed);
  }
  validateEndDate(scope, props.endDate);
  const folderPath = props.folderPath;
  if (folderPath !== undefined && (!/^My Assets(\/[^/]+)*$/.test(folderPath) || hasTokenMarker(folderPath) || folderPath.length > 200)) {
    const allowed = 'literal text of at most 200 characters: an asset folder path starting with "My Assets", e.g. "My Assets/customers/acme"';
    throw new ValidationError(scope, "folderPath", folderPath, allowed);
  }
  const status = props.status ?? EntitlementDesiredStatus.ACTIVE;
  if (!Object.values(EntitlementDesiredStatus).includes(status)) throw new ValidationError(scope, "status", status, "ACTIVE or STOPPED");
  const tokenGeneration = props.tokenGeneration ?? 0;
  if (!Number.isSafeInteger(tokenGeneration) || tokenGeneration < 0) {
    throw new ValidationError(scope, "tokenGeneration", props.tokenGeneration, "a whole number >= 0 (bump it to regenerate the token)");
  }
  if (props.adoptSerialNumber !== undefined) validateSerialNumber(scope, "adoptSerialNumber", props.adoptSerialNumber);
  return { wiring, description, status, tokenGeneration };
}

/** An existing entitlement's serial number, e.g. FGVMELTM25008315. */
export function validateSerialNumber(scope: Construct, field: string, serialNumber: unknown): void {
  if (typeof serialNumber !== "string" || !ENTITLEMENT_SERIAL_PATTERN.test(serialNumber))
    throw new ValidationError(scope, field, serialNumber, "the serial number of an existing FortiFlex entitlement, e.g. FGVMELTM25008315");
}

function validateEndDate(scope: Construct, endDate: string | undefined): void {
  if (endDate === undefined) return;
  const allowed = "a date YYYY-MM-DD, today or later (and within the program)";
  if (typeof endDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new ValidationError(scope, "endDate", endDate, allowed);
  const t = Date.parse(`${endDate}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== endDate) throw new ValidationError(scope, "endDate", endDate, allowed);
  if (endDate < new Date().toISOString().slice(0, 10)) throw new ValidationError(scope, "endDate", endDate, `${allowed}; it is in the past`);
}
