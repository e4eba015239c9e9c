import type { Config, Entitlement } from "../contract/api-types";
import type { FortiFlexClient } from "./fortiflex-client";
import { accountOf } from "./object-account";
import type { NamespaceScope } from "../contract/handler-contract";

/** Everything one scope (endpoint, program, account) holds, read with one request per list. */
export interface ScopeSnapshot {
  readonly accountId: number;
  readonly configs: readonly Config[];
  readonly entitlements: readonly Entitlement[];
}

export async function takeSnapshot(client: FortiFlexClient, scope: NamespaceScope): Promise<ScopeSnapshot> {
  const accountId = await accountOf(client, scope.program_serial_number, scope.account_id);
  const [configs, entitlements] = await Promise.all([
    client.listConfigs({ programSerialNumber: scope.program_serial_number, accountId }),
    client.listEntitlements({ accountId, programSerialNumber: scope.program_serial_number }),
  ]);
  return { accountId, configs, entitlements };
}
