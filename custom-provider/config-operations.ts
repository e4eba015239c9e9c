import type { Config } from "./api-types";
import { AmbiguousOutcomeError } from "./errors";
import { accountOf } from "./object-account";
import { settleLookup } from "./settle-lookup";
import type { FortiFlexClient } from "./fortiflex-client";
import { keyOf, settingsHash, settingsHashOf, tagWithKey } from "./object-key";
import { normalizeParameters, type ParameterValue } from "./product-catalog";
import { parseParameters, type Log } from "./operation-support";
import type { ConfigIdentity, ConfigSettings } from "./resource-spec";

/** Finds the configuration carrying `identity.key`, or undefined. */
export async function findConfig(client: FortiFlexClient, identity: Pick<ConfigIdentity, "key" | "program_serial_number" | "account_id">): Promise<Config | undefined> {
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  const configs = await client.listConfigs({ programSerialNumber: identity.program_serial_number, accountId });
  const matches = configs.filter((c) => keyOf(c.name) === identity.key && c.accountId === accountId);
  // Keys are unique by construction; should two exist (made by hand), prefer the active one, then the oldest.
  return matches.sort((a, b) => Number(b.status === "ACTIVE") - Number(a.status === "ACTIVE") || a.id - b.id)[0];
}

/** Create step: find the configuration by key or create it, then bring it to the desired settings. */
export async function ensureConfig(client: FortiFlexClient, identity: ConfigIdentity, settings: ConfigSettings, log: Log): Promise<Config> {
  let config = await findConfig(client, identity);
  if (!config) {
    try {
      config = await client.createConfig({
        programSerialNumber: identity.program_serial_number,
        ...(identity.account_id ? { accountId: Number(identity.account_id) } : {}),
        name: desiredName(identity, settings),
        productTypeId: Number(identity.product_type_id),
        parameters: parseParameters(settings.parameters),
      });
      log(`configuration ${identity.key}: created id ${config.id}`);
    } catch (e) {
      if (!(e instanceof AmbiguousOutcomeError)) throw e;
      config = await settleLookup(`configuration ${identity.key}`, e, () => findConfig(client, identity), log);
    }
  }
  return convergeConfig(client, identity, config, settings, log);
}

/** Settings step (and drift repair): update name and parameters in place, enable if disabled. */
export async function applyConfigSettings(client: FortiFlexClient, identity: ConfigIdentity, settings: ConfigSettings, log: Log): Promise<Config> {
  const config = await findConfig(client, identity);
  if (!config) throw new Error(`configuration ${identity.key} not found in program ${identity.program_serial_number}; its lifecycle step creates it (terraform apply)`);
  return convergeConfig(client, identity, config, settings, log);
}

async function convergeConfig(client: FortiFlexClient, identity: ConfigIdentity, config: Config, settings: ConfigSettings, log: Log): Promise<Config> {
  const drift = configDrift(identity, config, settings);
  if (drift.some((d) => !d.startsWith("status"))) {
    config = await client.updateConfig({ id: config.id, name: desiredName(identity, settings), parameters: parseParameters(settings.parameters) });
    log(`configuration ${identity.key} (id ${config.id}): updated ${drift.filter((d) => !d.startsWith("status")).join("; ")}`);
  }
  if (config.status !== "ACTIVE") {
    config = await client.enableConfig(config.id);
    log(`configuration ${identity.key} (id ${config.id}): enabled`);
  }
  if (!drift.length) log(`configuration ${identity.key} (id ${config.id}): up to date`);
  return config;
}

/** Destroy step: disable (FortiFlex has no delete). A no-op when already disabled or never created. */
export async function disableConfig(client: FortiFlexClient, identity: ConfigIdentity, log: Log): Promise<void> {
  const config = await findConfig(client, identity);
  if (!config) return log(`configuration ${identity.key}: not found, nothing to disable`);
  if (config.status === "DISABLED") return log(`configuration ${identity.key} (id ${config.id}): already disabled`);
  try {
    await client.disableConfig(config.id);
  } catch (e) {
    if (!(e instanceof AmbiguousOutcomeError) || (await findConfig(client, identity))?.status !== "DISABLED") throw e;
  }
  log(`configuration ${identity.key} (id ${config.id}): disabled`);
}

function desiredName(identity: ConfigIdentity, settings: ConfigSettings): string {
  return tagWithKey(settings.name, identity.key, settingsHash(settings));
}

/**
 * Differences between the configuration and its desired settings, as short phrases (empty = in sync).
 * Differences are listed even when the settings were just changed (see configDriftOutsideTerraform).
 */
export function configDrift(identity: ConfigIdentity, config: Config, settings: ConfigSettings): string[] {
  const drift: string[] = [];
  if (config.status !== "ACTIVE") drift.push(`status ${config.status} (want ACTIVE)`);
  if (config.name !== desiredName(identity, settings)) drift.push(`name "${config.name}"`);
  const productTypeId = Number(identity.product_type_id);
  const actual = canonical(normalizeParameters(productTypeId, config.parameters.map((p) => ({ id: p.id, value: String(p.value) }))));
  const desired = canonical(normalizeParameters(productTypeId, parseParameters(settings.parameters)));
  if (actual !== desired) drift.push(`parameters ${actual} (want ${desired})`);
  return drift;
}

function canonical(parameters: readonly ParameterValue[]): string {
  return parameters.map((p) => `${p.id}=${p.value}`).sort().join(",");
}

/**
 * Changes made outside Terraform: differences from settings that were already applied. When the object
 * still carries an older settings hash, the difference is a pending change the settings step applies.
 */
export function configDriftOutsideTerraform(identity: ConfigIdentity, config: Config, settings: ConfigSettings): string[] {
  const stored = settingsHashOf(config.name);
  if (stored && stored !== settingsHash(settings)) return [];
  return configDrift(identity, config, settings);
}
