import type { Config, Entitlement } from "../contract/api-types";
import type { FortiFlexClient } from "./fortiflex-client";
import { findConfig } from "./config-operations";
import { findEntitlements } from "./entitlement-operations";
import { accountOf } from "./object-account";
import type { Log } from "./operation-support";
import { keyOf, tagWithKey, untagged } from "../contract/object-key";
import { productTypeById } from "../contract/product-catalog";
import type { ConfigIdentity, EntitlementIdentity } from "../contract/handler-contract";

/**
 * Adoption: an object made elsewhere (a configuration by id, an entitlement by serial number) is given a
 * stack's key, so that the lifecycle step finds it instead of creating one. It never creates and never stops
 * anything; it only writes the key marker into the name or description. The settings step then applies the
 * stack's settings in place, as for any object of the stack.
 */

/**
 * Whether configuration `configId` can become `identity.key`: refused with the reason when it is in another
 * account, carries another key, is of another product type, or the key names another configuration already.
 * Read-only (run at plan time too); undefined when it already carries the key.
 */
export async function checkConfigAdoption(client: FortiFlexClient, identity: ConfigIdentity, configId: number): Promise<Config | undefined> {
  const keyed = await findConfig(client, identity);
  if (keyed) {
    if (keyed.id === configId) return undefined;
    throw new Error(`configuration ${identity.key} is configuration ${keyed.id} already; it cannot also adopt ${configId}`);
  }
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  const config = (await client.listConfigs({ programSerialNumber: identity.program_serial_number })).find((c) => c.id === configId);
  if (!config) throw new Error(`configuration ${configId} not found in program ${identity.program_serial_number}`);
  if (config.accountId !== accountId)
    throw new Error(`configuration ${configId} is in account ${config.accountId}, not in account ${accountId} where ${identity.key} lives`);
  const owner = keyOf(config.name);
  if (owner) throw new Error(`configuration ${configId} already belongs to ${owner}; adopting it as ${identity.key} would give it two owners`);
  if (identity.product_type_id && String(config.productType.id) !== identity.product_type_id) {
    throw new Error(`configuration ${configId} is a ${config.productType.name}, not a ${productName(identity.product_type_id)} as ${identity.key} declares`);
  }
  return config;
}

/** Adopts configuration `configId` as `identity.key` (a no-op when it already carries that key). */
export async function adoptConfig(client: FortiFlexClient, identity: ConfigIdentity, configId: number, log: Log): Promise<void> {
  const config = await checkConfigAdoption(client, identity, configId);
  if (!config) return log(`configuration ${identity.key}: already adopted (id ${configId})`);
  await client.updateConfig({ id: configId, name: tagWithKey(untagged(config.name), identity.key) });
  // Another runner may have written its key at the same moment: the last write wins, and only it may go on.
  const now = (await client.listConfigs({ programSerialNumber: identity.program_serial_number, accountId: config.accountId })).find((c) => c.id === configId);
  if (keyOf(now?.name) !== identity.key)
    throw new Error(`configuration ${configId} was adopted by ${keyOf(now?.name) ?? "someone else"} at the same time; it is not ${identity.key}'s`);
  const adopted = `configuration ${configId} ("${untagged(config.name)}", ${config.status})`;
  log(`configuration ${identity.key}: adopted ${adopted}; the adoption created and disabled nothing`);
}

/**
 * Whether entitlement `serialNumber` can become `identity.key`: refused when it is not in the identity's
 * account, carries another key, runs a configuration of another product type than `productTypeId` (the
 * declared configuration's), or the key names another entitlement already. Read-only; undefined when it
 * already carries the key.
 */
export async function checkEntitlementAdoption(
  client: FortiFlexClient,
  identity: EntitlementIdentity,
  serialNumber: string,
  productTypeId: string,
): Promise<Entitlement | undefined> {
  const keyed = await findEntitlements(client, identity);
  if (keyed.some((e) => e.serialNumber === serialNumber)) return undefined;
  if (keyed.length) throw new Error(`entitlement ${identity.key} is ${keyed[0].serialNumber} already; it cannot also adopt ${serialNumber}`);
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  const [entitlement] = await client.listEntitlements({ accountId, programSerialNumber: identity.program_serial_number, serialNumber });
  if (!entitlement || entitlement.serialNumber !== serialNumber) {
    throw new Error(
      `entitlement ${serialNumber} not found in account ${accountId} of program ${identity.program_serial_number}` +
        " (an entitlement of another account cannot be adopted there)",
    );
  }
  const owner = keyOf(entitlement.description);
  if (owner) throw new Error(`entitlement ${serialNumber} already belongs to ${owner}; adopting it as ${identity.key} would give it two owners`);
  if (entitlement.status === "EXPIRED") throw new Error(`entitlement ${serialNumber} is EXPIRED; FortiFlex cannot change it any more`);
  const theirs = (await client.listConfigs({ programSerialNumber: identity.program_serial_number, accountId })).find((c) => c.id === entitlement.configId);
  if (productTypeId && theirs && String(theirs.productType.id) !== productTypeId) {
    throw new Error(
      `entitlement ${serialNumber} runs a ${theirs.productType.name} configuration (${theirs.id});` +
        ` ${identity.key}'s configuration is a ${productName(productTypeId)}`,
    );
  }
  return entitlement;
}

/** Adopts entitlement `serialNumber` as `identity.key` (a no-op when it already carries that key). */
export async function adoptEntitlement(
  client: FortiFlexClient,
  identity: EntitlementIdentity,
  serialNumber: string,
  productTypeId: string,
  log: Log,
): Promise<void> {
  const entitlement = await checkEntitlementAdoption(client, identity, serialNumber, productTypeId);
  if (!entitlement) return log(`entitlement ${identity.key}: already adopted (${serialNumber})`);
  await client.updateEntitlement({ serialNumber, configId: entitlement.configId, description: tagWithKey(untagged(entitlement.description), identity.key) });
  // Another runner may have written its key at the same moment: the last write wins, and only it may go on.
  const accountId = entitlement.accountId;
  const [now] = await client.listEntitlements({ accountId, programSerialNumber: identity.program_serial_number, serialNumber });
  if (keyOf(now?.description) !== identity.key)
    throw new Error(`entitlement ${serialNumber} was adopted by ${keyOf(now?.description) ?? "someone else"} at the same time; it is not ${identity.key}'s`);
  log(
    `entitlement ${identity.key}: adopted ${serialNumber} (${entitlement.status}, token ${entitlement.tokenStatus}); the adoption created and stopped nothing`,
  );
}

function productName(productTypeId: string): string {
  return productTypeById(Number(productTypeId))?.name ?? `product type ${productTypeId}`;
}
