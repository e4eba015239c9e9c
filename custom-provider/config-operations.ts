import type { Config } from "../contract/api-types";
import { AmbiguousOutcomeError, FortiFlexApiError } from "./errors";
import { accountOf } from "./object-account";
import { settleLookup } from "./settle-lookup";
import type { FortiFlexClient } from "./fortiflex-client";
import { keyOf, settingsHash, settingsHashOf, tagWithKey } from "../contract/object-key";
import { normalizeParameters, type ParameterValue } from "../contract/product-catalog";
import { parseParameters } from "../contract/parameter-list";
import type { Log, Settled } from "./operation-support";
import type { ConfigIdentity, ConfigSettings } from "../contract/handler-contract";

type ConfigLookup = Pick<ConfigIdentity, "key" | "program_serial_number" | "account_id">;

/** Which of several configurations with one key to keep: ACTIVE, then the oldest (lowest id). */
export function configPreferred(a: Config, b: Config): number {
  return Number(b.status === "ACTIVE") - Number(a.status === "ACTIVE") || a.id - b.id;
}

/** The configurations of a list carrying `key` in `accountId`, the one to keep first. */
export function keyedConfigs(configs: readonly Config[], key: string, accountId: number): Config[] {
  return configs.filter((c) => keyOf(c.name) === key && c.accountId === accountId).sort(configPreferred);
}

/** Every configuration carrying `identity.key`, the one to keep first. */
export async function findConfigs(client: FortiFlexClient, identity: ConfigLookup): Promise<Config[]> {
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  return keyedConfigs(await client.listConfigs({ programSerialNumber: identity.program_serial_number, accountId }), identity.key, accountId);
}

/** The configuration carrying `identity.key`, or undefined. */
export async function findConfig(client: FortiFlexClient, identity: ConfigLookup): Promise<Config | undefined> {
  return (await findConfigs(client, identity))[0];
}

/**
 * The configuration an entitlement names (its settings' `config_key`): a stack's key, or "#<id>" for a
 * configuration made elsewhere (keys never start with "#").
 */
export async function findConfigOf(client: FortiFlexClient, scope: Omit<ConfigLookup, "key">, reference: string): Promise<Config | undefined> {
  const accountId = await accountOf(client, scope.program_serial_number, scope.account_id);
  return referencedConfig(await client.listConfigs({ programSerialNumber: scope.program_serial_number, accountId }), accountId, reference);
}

/** The configuration of a list that an entitlement's `config_key` names (see findConfigOf). */
export function referencedConfig(configs: readonly Config[], accountId: number, reference: string): Config | undefined {
  const id = /^#(\d+)$/.exec(reference)?.[1];
  if (!id) return keyedConfigs(configs, reference, accountId)[0];
  return configs.find((c) => c.id === Number(id) && c.accountId === accountId);
}

/**
 * Disables every ACTIVE configuration with the key but the one to keep (two runners with separate state
 * can each create one); returns what it did. Entitlements on a disabled extra keep running; their drift
 * check moves them to the kept configuration.
 */
export async function disableDuplicateConfigs(client: FortiFlexClient, identity: ConfigIdentity, log: Log): Promise<Settled<Config>> {
  const all = await findConfigs(client, identity);
  const done: string[] = [];
  for (const [i, extra] of all.entries()) {
    if (i === 0 || extra.status !== "ACTIVE") continue;
    await disableById(client, identity, extra.id);
    all[i] = { ...extra, status: "DISABLED" };
    done.push(`disabled duplicate configuration ${extra.id} (kept ${all[0].id})`);
    log(`configuration ${identity.key}: ${done.at(-1)}`);
  }
  return { all, done };
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
  const converged = await convergeConfig(client, identity, config, settings, log);
  await disableDuplicateConfigs(client, identity, log);
  return converged;
}

/** Settings step (and drift repair): update name and parameters in place, enable if disabled. */
export async function applyConfigSettings(client: FortiFlexClient, identity: ConfigIdentity, settings: ConfigSettings, log: Log): Promise<Config> {
  const config = (await disableDuplicateConfigs(client, identity, log)).all[0];
  if (!config)
    throw new Error(`configuration ${identity.key} not found in program ${identity.program_serial_number}; its lifecycle step creates it (terraform apply)`);
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

/** Destroy step: disable every configuration with the key (FortiFlex has no delete); a no-op when none is active. */
export async function disableConfig(client: FortiFlexClient, identity: ConfigIdentity, log: Log): Promise<void> {
  const configs = await findConfigs(client, identity);
  if (!configs.length) return log(`configuration ${identity.key}: not found, nothing to disable`);
  for (const config of configs) {
    if (config.status === "DISABLED") {
      log(`configuration ${identity.key} (id ${config.id}): already disabled`);
      continue;
    }
    await disableById(client, identity, config.id);
    log(`configuration ${identity.key} (id ${config.id}): disabled`);
  }
}

/**
 * Disables one configuration. After an unknown outcome or a refusal (another runner may have disabled it
 * first), reads the status back instead of failing blindly.
 */
export async function disableById(client: FortiFlexClient, identity: ConfigLookup, id: number): Promise<void> {
  try {
    await client.disableConfig(id);
  } catch (e) {
    if (!(e instanceof AmbiguousOutcomeError) && !(e instanceof FortiFlexApiError)) throw e;
    if ((await findConfigs(client, identity)).find((c) => c.id === id)?.status !== "DISABLED") throw e;
  }
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
  const actual = canonical(
    normalizeParameters(
      productTypeId,
      config.parameters.map((p) => ({ id: p.id, value: String(p.value) })),
    ),
  );
  const desired = canonical(normalizeParameters(productTypeId, parseParameters(settings.parameters)));
  if (actual !== desired) drift.push(`parameters ${actual} (want ${desired})`);
  return drift;
}

function canonical(parameters: readonly ParameterValue[]): string {
  return parameters
    .map((p) => `${p.id}=${p.value}`)
    .sort()
    .join(",");
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
