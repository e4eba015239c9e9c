import type { FortiFlexClient } from "./fortiflex-client";
import { findConfig, findConfigOf } from "./config-operations";
import { findEntitlements } from "./entitlement-operations";
import { accountOf } from "./object-account";
import type { Log } from "./operation-support";
import { keyOf, tagWithKey, untagged } from "../spec/object-key";
import { productTypeById } from "../spec/product-catalog";
import type { ConfigIdentity, EntitlementIdentity, EntitlementSettings } from "../spec/handler-contract";

/**
 * Adoption: an object made elsewhere (a configuration by id, an entitlement by serial number) is given a
 * stack's key, so that the lifecycle step finds it instead of creating one. It never creates and never stops
 * anything; it only writes the key marker into the name or description. The settings step then applies the
 * stack's settings in place, as for any object of the stack.
 */

/** Adopts configuration `configId` as `identity.key` (a no-op when it already carries that key). */
export async function adoptConfig(client: FortiFlexClient, identity: ConfigIdentity, configId: number, log: Log): Promise<void> {
  const keyed = await findConfig(client, identity);
  if (keyed) {
    if (keyed.id === configId) return log(`configuration ${identity.key}: already adopted (id ${configId})`);
    throw new Error(`configuration ${identity.key} is configuration ${keyed.id} already; it cannot also adopt ${configId}`);
  }
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  const all = await client.listConfigs({ programSerialNumber: identity.program_serial_number });
  const config = all.find((c) => c.id === configId);
  if (!config) throw new Error(`configuration ${configId} not found in program ${identity.program_serial_number}`);
  if (config.accountId !== accountId) throw new Error(`configuration ${configId} is in account ${config.accountId}, not in account ${accountId} where ${identity.key} lives`);
  const owner = keyOf(config.name);
  if (owner) throw new Error(`configuration ${configId} already belongs to ${owner}; adopting it as ${identity.key} would give it two owners`);
  if (String(config.productType.id) !== identity.product_type_id) {
    const want = productTypeById(Number(identity.product_type_id))?.name ?? identity.product_type_id;
    throw new Error(`configuration ${configId} is a ${config.productType.name}, not a ${want} as ${identity.key} declares`);
  }
  await client.updateConfig({ id: configId, name: tagWithKey(untagged(config.name), identity.key) });
  log(`configuration ${identity.key}: adopted configuration ${configId} ("${untagged(config.name)}", ${config.status}); nothing created, nothing disabled`);
}

/** Adopts entitlement `serialNumber` as `identity.key` (a no-op when it already carries that key). */
export async function adoptEntitlement(client: FortiFlexClient, identity: EntitlementIdentity, settings: Pick<EntitlementSettings, "config_key">, serialNumber: string, log: Log): Promise<void> {
  const keyed = await findEntitlements(client, identity);
  if (keyed.some((e) => e.serialNumber === serialNumber)) return log(`entitlement ${identity.key}: already adopted (${serialNumber})`);
  if (keyed.length) throw new Error(`entitlement ${identity.key} is ${keyed[0].serialNumber} already; it cannot also adopt ${serialNumber}`);
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  const [entitlement] = await client.listEntitlements({ accountId, programSerialNumber: identity.program_serial_number, serialNumber });
  if (!entitlement || entitlement.serialNumber !== serialNumber) {
    throw new Error(`entitlement ${serialNumber} not found in account ${accountId} of program ${identity.program_serial_number} (an entitlement of another account cannot be adopted there)`);
  }
  const owner = keyOf(entitlement.description);
  if (owner) throw new Error(`entitlement ${serialNumber} already belongs to ${owner}; adopting it as ${identity.key} would give it two owners`);
  const ours = settings.config_key ? await findConfigOf(client, identity, settings.config_key) : undefined;
  const theirs = (await client.listConfigs({ programSerialNumber: identity.program_serial_number, accountId })).find((c) => c.id === entitlement.configId);
  if (ours && theirs && theirs.productType.id !== ours.productType.id) {
    throw new Error(`entitlement ${serialNumber} runs a ${theirs.productType.name} configuration (${theirs.id}); ${identity.key}'s configuration ${settings.config_key} is a ${ours.productType.name}`);
  }
  await client.updateEntitlement({ serialNumber, configId: entitlement.configId, description: tagWithKey(untagged(entitlement.description), identity.key) });
  log(`entitlement ${identity.key}: adopted ${serialNumber} (${entitlement.status}, token ${entitlement.tokenStatus}); nothing created, nothing stopped`);
}
