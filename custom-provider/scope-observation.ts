import type { Config, Entitlement } from "./api-types";
import { configDriftOutsideTerraform, keyedConfigs, referencedConfig } from "./config-operations";
import { entitlementDrift, keyedEntitlements, live, usable } from "./entitlement-operations";
import type { FortiFlexClient } from "./fortiflex-client";
import { configAttributes, entitlementAttributes } from "./object-attributes";
import { accountOf } from "./object-account";
import type { Log } from "./operation-support";
import { OBSERVATION, type ConfigSettings, type EntitlementSettings, type Identity, type NamespaceScope } from "../spec/handler-contract";

/** Everything one scope (endpoint, program, account) holds, read with one request per list. */
export interface ScopeSnapshot {
  readonly accountId: number;
  readonly configs: readonly Config[];
  readonly entitlements: readonly Entitlement[];
}

/** An object of the stack to observe, with the settings it should have. */
export interface ObservedObjectRequest {
  readonly identity: Identity;
  readonly settings: ConfigSettings | EntitlementSettings;
  readonly detectDrift: boolean;
}

export async function takeSnapshot(client: FortiFlexClient, scope: NamespaceScope): Promise<ScopeSnapshot> {
  const accountId = await accountOf(client, scope.program_serial_number, scope.account_id);
  const [configs, entitlements] = await Promise.all([
    client.listConfigs({ programSerialNumber: scope.program_serial_number, accountId }),
    client.listEntitlements({ accountId, programSerialNumber: scope.program_serial_number }),
  ]);
  return { accountId, configs, entitlements };
}

/**
 * The plan-time view of a scope's objects (OBSERVATION keys): for each, whether it matches its settings, what
 * differs, and its attributes. Only reads: duplicates that apply will settle are reported as drift, so the
 * plan shows a repair step for them.
 */
export function observeObjects(snapshot: ScopeSnapshot, objects: readonly ObservedObjectRequest[], walk: string, log: Log): Record<string, string> {
  const result: Record<string, string> = { [OBSERVATION.walk]: walk };
  for (const { identity, settings, detectDrift } of objects) {
    const { drift, attributes } = identity.kind === "config"
      ? observeConfig(snapshot, identity, settings as ConfigSettings)
      : observeEntitlement(snapshot, identity.key, settings as EntitlementSettings);
    const reported = detectDrift ? drift : [];
    if (reported.length) log(`${identity.kind === "config" ? "configuration" : "entitlement"} ${identity.key} drifted: ${reported.join("; ")}`);
    result[OBSERVATION.inSync(identity.key)] = String(!reported.length);
    result[OBSERVATION.drift(identity.key)] = reported.join("; ");
    result[OBSERVATION.state(identity.key)] = attributes ? JSON.stringify(attributes) : "";
  }
  return result;
}

function observeConfig(snapshot: ScopeSnapshot, identity: Identity & { kind: "config" }, settings: ConfigSettings): { drift: string[]; attributes?: Record<string, string> } {
  const [kept, ...others] = keyedConfigs(snapshot.configs, identity.key, snapshot.accountId);
  if (!kept) return { drift: [] };
  const extra = others.filter((c) => c.status === "ACTIVE").map((c) => c.id);
  return {
    drift: [
      ...(extra.length ? [`duplicate configuration(s) ${extra.join(", ")} active (apply disables them, keeps ${kept.id})`] : []),
      ...configDriftOutsideTerraform(identity, kept, settings),
    ],
    attributes: configAttributes(kept),
  };
}

function observeEntitlement(snapshot: ScopeSnapshot, key: string, settings: EntitlementSettings): { drift: string[]; attributes?: Record<string, string> } {
  const all = keyedEntitlements(snapshot.entitlements, key, snapshot.accountId);
  const extra = all.slice(1).filter(live).map((e) => e.serialNumber);
  const duplicates = extra.length ? [`duplicate entitlement(s) ${extra.join(", ")} live (apply stops them, keeps ${all[0].serialNumber})`] : [];
  const kept = all.find(usable);
  if (!kept) return { drift: [...duplicates, ...(all.length ? [`entitlement ${all[0].serialNumber} expired`] : [])] };
  const config = referencedConfig(snapshot.configs, snapshot.accountId, settings.config_key);
  return { drift: [...duplicates, ...entitlementDrift(kept, config, settings)], attributes: entitlementAttributes(kept) };
}
