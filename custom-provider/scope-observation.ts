import { configDriftOutsideTerraform, keyedConfigs, referencedConfig } from "./config-operations";
import { entitlementDrift, keyedEntitlements, usable } from "./entitlement-operations";
import { describeSweepAction, ownedIn, sweepActions } from "./namespace-operations";
import type { ScopeSnapshot } from "./scope-snapshot";
import { configAttributes, entitlementAttributes } from "./object-attributes";
import type { Log } from "./operation-support";
import { OBSERVATION, type ConfigSettings, type EntitlementSettings, type Identity } from "../contract/handler-contract";

/** An object of the stack to observe, with the settings it should have. */
export interface ObservedObjectRequest {
  readonly identity: Identity;
  readonly settings: ConfigSettings | EntitlementSettings;
  /** Report differences from the settings. */
  readonly detectDrift: boolean;
  /** Return its attributes (only for objects whose outputs are read: an entitlement's include its token). */
  readonly attributes: boolean;
}

/** What the stack's namespace declares in the observed scope. */
export interface NamespaceDeclaration {
  readonly namespace: string;
  readonly declared: ReadonlySet<string>;
}

/**
 * The plan-time view of a scope (OBSERVATION keys): for each object, whether it matches its settings, what
 * differs and its attributes; for the namespace, what the apply's sweep would stop (duplicates of declared
 * keys, live objects no longer declared). Only reads: what needs changing is reported, and steps of the apply
 * act on it.
 */
export function observeObjects(
  snapshot: ScopeSnapshot,
  objects: readonly ObservedObjectRequest[],
  namespace: NamespaceDeclaration,
  walk: string,
  log: Log,
): Record<string, string> {
  const result: Record<string, string> = { [OBSERVATION.walk]: walk };
  for (const { identity, settings, detectDrift, attributes } of objects) {
    const observed =
      identity.kind === "config"
        ? observeConfig(snapshot, identity, settings as ConfigSettings)
        : observeEntitlement(snapshot, identity.key, settings as EntitlementSettings);
    const drift = detectDrift ? observed.drift : [];
    if (drift.length) log(`${identity.kind === "config" ? "configuration" : "entitlement"} ${identity.key} drifted: ${drift.join("; ")}`);
    result[OBSERVATION.inSync(identity.key)] = String(!drift.length);
    result[OBSERVATION.drift(identity.key)] = drift.join("; ");
    result[OBSERVATION.state(identity.key)] = attributes && observed.attributes ? JSON.stringify(observed.attributes) : "";
  }
  const strays = sweepActions(ownedIn(snapshot, namespace.namespace), namespace.declared).map(describeSweepAction);
  if (strays.length) log(`namespace ${namespace.namespace}, account ${snapshot.accountId}: the apply stops ${strays.join("; ")}`);
  // Named by account: the reconcile step joins every scope's strays into one trigger.
  result[OBSERVATION.strays] = strays.length ? `account ${snapshot.accountId}: ${strays.join("; ")}` : "";
  return result;
}

/** The kept configuration with the key: its drift and attributes (duplicates are the namespace's strays). */
function observeConfig(
  snapshot: ScopeSnapshot,
  identity: Identity & { kind: "config" },
  settings: ConfigSettings,
): { drift: string[]; attributes?: Record<string, string> } {
  const kept = keyedConfigs(snapshot.configs, identity.key, snapshot.accountId)[0];
  return kept ? { drift: configDriftOutsideTerraform(identity, kept, settings), attributes: configAttributes(kept) } : { drift: [] };
}

function observeEntitlement(snapshot: ScopeSnapshot, key: string, settings: EntitlementSettings): { drift: string[]; attributes?: Record<string, string> } {
  const all = keyedEntitlements(snapshot.entitlements, key, snapshot.accountId);
  const kept = all.find(usable);
  if (!kept) return { drift: all.length ? [`entitlement ${all[0].serialNumber} expired`] : [] };
  const config = referencedConfig(snapshot.configs, snapshot.accountId, settings.config_key);
  return { drift: entitlementDrift(kept, config, settings), attributes: entitlementAttributes(kept) };
}
