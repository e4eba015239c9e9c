import type { Config, Entitlement } from "./api-types";
import type { FortiFlexClient } from "./fortiflex-client";
import { configPreferred, disableById } from "./config-operations";
import { changeStatus, entitlementPreferred, live } from "./entitlement-operations";
import { accountOf } from "./object-account";
import { keyOf } from "../spec/object-key";
import type { Log } from "./operation-support";
import type { NamespaceScope } from "../spec/handler-contract";

/**
 * What a stack owns, found in FortiFlex alone: every configuration and entitlement whose key starts with
 * "<namespace>/" in the scopes (endpoint, program, account) the stack uses. Terraform skips destroy steps of
 * tainted resources and of resources removed from the code; these sweeps are what makes "destroy stops it"
 * and "removed from the code stops it" hold anyway.
 */

interface Owned {
  entitlements: Map<string, Entitlement[]>;
  configs: Map<string, Config[]>;
}

async function owned(client: FortiFlexClient, namespace: string, scope: NamespaceScope): Promise<Owned> {
  const accountId = await accountOf(client, scope.program_serial_number, scope.account_id);
  const mine = (key: string | undefined): key is string => key !== undefined && key.startsWith(`${namespace}/`);
  const [entitlements, configs] = await Promise.all([
    client.listEntitlements({ accountId, programSerialNumber: scope.program_serial_number }),
    client.listConfigs({ programSerialNumber: scope.program_serial_number, accountId }),
  ]);
  const result: Owned = { entitlements: new Map(), configs: new Map() };
  for (const e of entitlements) {
    const key = keyOf(e.description);
    if (mine(key) && e.accountId === accountId) result.entitlements.set(key, [...(result.entitlements.get(key) ?? []), e]);
  }
  for (const c of configs) {
    const key = keyOf(c.name);
    if (mine(key) && c.accountId === accountId) result.configs.set(key, [...(result.configs.get(key) ?? []), c]);
  }
  return result;
}

/**
 * Brings a scope of the namespace in line with what the stack declares: stops live entitlements and
 * disables active configurations whose key is no longer declared, and settles duplicates of declared keys
 * (one live entitlement and one active configuration per key). Returns one line per action.
 */
export async function sweepNamespace(client: FortiFlexClient, namespace: string, scope: NamespaceScope, declared: ReadonlySet<string>, log: Log, why = "no longer declared by the stack"): Promise<string[]> {
  const { entitlements, configs } = await owned(client, namespace, scope);
  const done: string[] = [];
  const act = (line: string) => {
    done.push(line);
    log(line);
  };
  for (const [key, list] of [...entitlements].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort(entitlementPreferred);
    const stop = declared.has(key) ? sorted.slice(1).filter(live) : sorted.filter(live);
    for (const e of stop) {
      await changeStatus(client, { kind: "entitlement", key, ...scope }, e, "stop");
      act(declared.has(key) ? `entitlement ${key}: stopped duplicate ${e.serialNumber} (kept ${sorted[0].serialNumber})` : `entitlement ${key} (${e.serialNumber}): stopped, ${why}`);
    }
  }
  for (const [key, list] of [...configs].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort(configPreferred);
    const disable = (declared.has(key) ? sorted.slice(1) : sorted).filter((c) => c.status === "ACTIVE");
    for (const c of disable) {
      await disableById(client, { key, ...scope }, c.id);
      act(declared.has(key) ? `configuration ${key}: disabled duplicate ${c.id} (kept ${sorted[0].id})` : `configuration ${key} (id ${c.id}): disabled, ${why}`);
    }
  }
  return done;
}

/** The stack is destroyed: stop everything its namespace holds in this scope. */
export async function releaseNamespace(client: FortiFlexClient, namespace: string, scope: NamespaceScope, log: Log): Promise<void> {
  const done = await sweepNamespace(client, namespace, scope, new Set(), log, "the stack's owner of this account is destroyed");
  if (!done.length) log(`namespace ${namespace}: nothing left running in account ${scope.account_id || "(own)"}, program ${scope.program_serial_number}`);
}
