import type { Entitlement, EntitlementsListRequest } from "../contract/api-types";
import type { FortiFlexClient } from "../custom-provider/fortiflex-client";
import { mapConcurrently } from "./concurrent-map";

/** The filters entitlements/list takes besides its scope. */
export type EntitlementFilters = Pick<EntitlementsListRequest, "status" | "tokenStatus">;

/**
 * Every entitlement of a program, in every member account. entitlements/list takes a configuration, or an account
 * and a program, never a program alone: the accounts are those of the program's configurations (configs/list, one
 * request), then one list request per account, which is fewer than one per configuration. Sorted by account.
 */
export async function programEntitlements(client: FortiFlexClient, programSerialNumber: string, filters: EntitlementFilters): Promise<Entitlement[]> {
  const configs = await client.listConfigs({ programSerialNumber });
  const accounts = [...new Set(configs.map((c) => c.accountId))].sort((a, b) => a - b);
  const lists = await mapConcurrently(accounts, 4, (accountId) => client.listEntitlements({ accountId, programSerialNumber, ...filters }));
  return lists.flat();
}
