import type { Config, Entitlement } from "../contract/api-types";
import type { FortiFlexClient } from "./fortiflex-client";
import { configPreferred, disableById } from "./config-operations";
import { changeStatus, entitlementPreferred, live } from "./entitlement-operations";
import { takeSnapshot, type ScopeSnapshot } from "./scope-snapshot";
import { keyOf } from "../contract/object-key";
import type { Log } from "./operation-support";
import type { NamespaceScope } from "../contract/handler-contract";

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

/** What a sweep of a scope would do: stop or disable each object, as a duplicate of a declared key or as undeclared. */
export interface SweepAction {
  readonly key: string;
  readonly entitlement?: Entitlement;
  readonly config?: Config;
  /** The one kept, for a duplicate of a declared key; absent when the key is not declared. */
  readonly kept?: string;
}

/** The namespace's objects in the lists of one scope, by key. */
export function ownedIn(snapshot: ScopeSnapshot, namespace: string): Owned {
  const mine = (key: string | undefined): key is string => key !== undefined && key.startsWith(`${namespace}/`);
  const result: Owned = { entitlements: new Map(), configs: new Map() };
  for (const e of snapshot.entitlements) {
    const key = keyOf(e.description);
    if (mine(key) && e.accountId === snapshot.accountId) result.entitlements.set(key, [...(result.entitlements.get(key) ?? []), e]);
  }
  for (const c of snapshot.configs) {
    const key = keyOf(c.name);
    if (mine(key) && c.accountId === snapshot.accountId) result.configs.set(key, [...(result.configs.get(key) ?? []), c]);
  }
  return result;
}

/**
 * What bringing a scope of the namespace in line with the declared keys takes: live entitlements and active
 * configurations whose key is not declared, and all but one of each declared key (the one in use, else the
 * oldest). Keys in order, entitlements first, so two runs list the same actions the same way.
 */
export function sweepActions(owned: Owned, declared: ReadonlySet<string>): SweepAction[] {
  const actions: SweepAction[] = [];
  for (const [key, list] of [...owned.entitlements].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort(entitlementPreferred);
    const stop = declared.has(key) ? sorted.slice(1).filter(live) : sorted.filter(live);
    for (const entitlement of stop) actions.push({ key, entitlement, ...(declared.has(key) ? { kept: sorted[0].serialNumber } : {}) });
  }
  for (const [key, list] of [...owned.configs].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort(configPreferred);
    const disable = (declared.has(key) ? sorted.slice(1) : sorted).filter((c) => c.status === "ACTIVE");
    for (const config of disable) actions.push({ key, config, ...(declared.has(key) ? { kept: String(sorted[0].id) } : {}) });
  }
  return actions;
}

/** One sweep action as the plan shows it before the apply does it. */
export function describeSweepAction(a: SweepAction): string {
  const what = a.entitlement ? `entitlement ${a.entitlement.serialNumber}` : `configuration ${a.config!.id}`;
  return a.kept ? `duplicate ${what} of ${a.key} (keeps ${a.kept})` : `${what} of ${a.key} live, not declared`;
}

/**
 * Brings a scope of the namespace in line with what the stack declares (see sweepActions). Returns one line
 * per action.
 */
export async function sweepNamespace(
  client: FortiFlexClient,
  namespace: string,
  scope: NamespaceScope,
  declared: ReadonlySet<string>,
  log: Log,
  why = "no longer declared by the stack",
): Promise<string[]> {
  const owned = ownedIn(await takeSnapshot(client, scope), namespace);
  const done: string[] = [];
  for (const a of sweepActions(owned, declared)) {
    if (a.entitlement) {
      await changeStatus(client, { kind: "entitlement", key: a.key, ...scope }, a.entitlement, "stop");
      done.push(
        a.kept
          ? `entitlement ${a.key}: stopped duplicate ${a.entitlement.serialNumber} (kept ${a.kept})`
          : `entitlement ${a.key} (${a.entitlement.serialNumber}): stopped, ${why}`,
      );
    } else {
      await disableById(client, { key: a.key, ...scope }, a.config!.id);
      done.push(
        a.kept
          ? `configuration ${a.key}: disabled duplicate ${a.config!.id} (kept ${a.kept})`
          : `configuration ${a.key} (id ${a.config!.id}): disabled, ${why}`,
      );
    }
    log(done.at(-1)!);
  }
  return done;
}

/** The stack is destroyed: stop everything its namespace holds in this scope. */
export async function releaseNamespace(client: FortiFlexClient, namespace: string, scope: NamespaceScope, log: Log): Promise<void> {
  const done = await sweepNamespace(client, namespace, scope, new Set(), log, "the stack's owner of this account is destroyed");
  if (!done.length) log(`namespace ${namespace}: nothing left running in account ${scope.account_id || "(own)"}, program ${scope.program_serial_number}`);
}
