import type { Config, Entitlement } from "../contract/api-types";
import { untagged } from "../contract/object-key";

/** What a stack reads of a configuration: flat strings, as an external data source returns them. */
export function configAttributes(c: Config): Record<string, string> {
  return { id: String(c.id), name: untagged(c.name), status: c.status, account_id: String(c.accountId), product_type_id: String(c.productType.id) };
}

/** What a stack reads of an entitlement (the token included: the data sources' results are kept out of plan text). */
export function entitlementAttributes(e: Entitlement): Record<string, string> {
  return {
    serial_number: e.serialNumber,
    config_id: String(e.configId),
    account_id: String(e.accountId),
    status: e.status,
    token: e.token,
    token_status: e.tokenStatus,
    end_date: e.endDate,
    description: untagged(e.description),
  };
}
