import type { Config, Entitlement } from "../contract/api-types";
import { findConfigOf } from "./config-operations";
import { accountOf } from "./object-account";
import { AmbiguousOutcomeError, FortiFlexApiError } from "./errors";
import { settleLookup } from "./settle-lookup";
import type { FortiFlexClient } from "./fortiflex-client";
import { keyOf, settingsHash, settingsHashOf, tagWithKey, untagged } from "../contract/object-key";
import type { Log, Settled } from "./operation-support";
import type { EntitlementIdentity, EntitlementSettings } from "../contract/handler-contract";

/** The hash of the settings that can change in place (folder and skip-pending only matter at creation). */
function mutableSettingsHash(s: EntitlementSettings): string {
  return settingsHash({ config_key: s.config_key, description: s.description, end_date: s.end_date, status: s.status });
}
/**
 * Which of several entitlements with one key to keep: one whose token a FortiGate already used (even if it
 * was stopped since: that FortiGate is licensed by it), then the one in service, then the oldest (lowest
 * serial number); expired ones last. Every runner that sees the same entitlements picks the same one, and
 * one committed later never displaces one committed earlier in the same state.
 */
const STATUS_RANK = ["ACTIVE", "PENDING", "STOPPED", "EXPIRED"];
export function entitlementPreferred(a: Entitlement, b: Entitlement): number {
  const expired = (e: Entitlement) => Number(e.status === "EXPIRED");
  return (
    expired(a) - expired(b) ||
    Number(b.tokenStatus === "USED") - Number(a.tokenStatus === "USED") ||
    STATUS_RANK.indexOf(a.status) - STATUS_RANK.indexOf(b.status) ||
    a.serialNumber.localeCompare(b.serialNumber)
  );
}
export const live = (e: Entitlement) => e.status === "ACTIVE" || e.status === "PENDING";
export const usable = (e: Entitlement) => e.status !== "EXPIRED";

/** The entitlements of a list carrying `key` in `accountId`, best candidate first. */
export function keyedEntitlements(entitlements: readonly Entitlement[], key: string, accountId: number): Entitlement[] {
  return entitlements.filter((e) => keyOf(e.description) === key && e.accountId === accountId).sort(entitlementPreferred);
}

/** Every entitlement carrying the key in the identity's account and program, best candidate first. */
export async function findEntitlements(client: FortiFlexClient, identity: EntitlementIdentity): Promise<Entitlement[]> {
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  return keyedEntitlements(await client.listEntitlements({ accountId, programSerialNumber: identity.program_serial_number }), identity.key, accountId);
}

/** The usable (not expired) entitlement with this key, if any. */
export async function findEntitlement(client: FortiFlexClient, identity: EntitlementIdentity): Promise<Entitlement | undefined> {
  return (await findEntitlements(client, identity)).find(usable);
}

async function configFor(client: FortiFlexClient, identity: EntitlementIdentity, settings: EntitlementSettings): Promise<Config> {
  const config = await findConfigOf(client, identity, settings.config_key);
  if (config) return config;
  const where = settings.config_key.startsWith("#")
    ? ` in account ${identity.account_id || "(own)"}`
    : "; it is created before the entitlement (terraform apply)";
  throw new Error(`configuration ${settings.config_key} of entitlement ${identity.key} not found${where}`);
}

/**
 * Create step. Never creates a second entitlement for a key: looks up first, reuses a STOPPED one
 * (reactivating it), creates only when none exists, and after an unknown create outcome only looks again.
 */
export async function ensureEntitlement(client: FortiFlexClient, identity: EntitlementIdentity, settings: EntitlementSettings, log: Log): Promise<Entitlement> {
  const config = await configFor(client, identity, settings);
  let entitlement = await findEntitlement(client, identity);
  if (entitlement) log(`entitlement ${identity.key}: found ${entitlement.serialNumber} (${entitlement.status}), reusing it`);
  if (!entitlement) {
    try {
      [entitlement] = await client.createVmEntitlements({
        configId: config.id,
        count: 1,
        description: tagWithKey(settings.description, identity.key, mutableSettingsHash(settings)),
        ...(settings.end_date ? { endDate: settings.end_date } : {}),
        ...(settings.folder_path ? { folderPath: settings.folder_path } : {}),
        skipPending: settings.skip_pending === "true",
      });
      log(`entitlement ${identity.key}: created ${entitlement.serialNumber} (${entitlement.status})`);
    } catch (e) {
      if (!(e instanceof AmbiguousOutcomeError)) throw e;
      entitlement = await settleLookup(`entitlement ${identity.key}`, e, () => findEntitlement(client, identity), log);
    }
  }
  const converged = await convergeEntitlement(client, identity, entitlement, config, settings, log);
  // Another runner may have created one at the same time (separate state, no lock): settle it now.
  await stopDuplicateEntitlements(client, identity, log);
  return converged;
}

/** Settings step (and drift repair): move, describe, re-date, stop or reactivate in place. */
export async function applyEntitlementSettings(
  client: FortiFlexClient,
  identity: EntitlementIdentity,
  settings: EntitlementSettings,
  log: Log,
): Promise<Entitlement> {
  const config = await configFor(client, identity, settings);
  const entitlement = (await stopDuplicateEntitlements(client, identity, log)).all.find(usable);
  if (!entitlement) throw new Error(`entitlement ${identity.key} not found; its lifecycle step creates it (terraform apply)`);
  return convergeEntitlement(client, identity, entitlement, config, settings, log);
}

/**
 * Stops every live (ACTIVE or PENDING) entitlement with the key but the one to keep; returns what it did,
 * one phrase per stop (empty when there was one or none). Races that no look-up can prevent (two runners
 * with separate state, a create that commits after its runner gave up) end here, on the next step of any run.
 */
export async function stopDuplicateEntitlements(client: FortiFlexClient, identity: EntitlementIdentity, log: Log): Promise<Settled<Entitlement>> {
  const all = await findEntitlements(client, identity);
  const done: string[] = [];
  for (const [i, extra] of all.entries()) {
    if (i === 0 || !live(extra)) continue;
    all[i] = await changeStatus(client, identity, extra, "stop");
    done.push(`stopped duplicate ${extra.serialNumber} (kept ${all[0].serialNumber})`);
    log(`entitlement ${identity.key}: ${done.at(-1)}`);
  }
  return { all, done };
}

async function convergeEntitlement(
  client: FortiFlexClient,
  identity: EntitlementIdentity,
  e: Entitlement,
  config: Config,
  settings: EntitlementSettings,
  log: Log,
): Promise<Entitlement> {
  const name = `entitlement ${identity.key} (${e.serialNumber})`;
  // A STOPPED entitlement cannot get a new end date, so reactivate before updating.
  if (settings.status === "ACTIVE" && e.status === "STOPPED") {
    e = await changeStatus(client, identity, e, "reactivate");
    log(`${name}: reactivated`);
  }
  const description = tagWithKey(settings.description, identity.key, mutableSettingsHash(settings));
  const endDateDiffers = settings.end_date !== "" && e.status !== "STOPPED" && e.endDate.slice(0, 10) !== settings.end_date;
  if (e.configId !== config.id || e.description !== description || endDateDiffers) {
    const changes = [
      e.configId !== config.id && `configuration ${e.configId} -> ${config.id}`,
      e.description !== description && "description",
      endDateDiffers && `end date -> ${settings.end_date}`,
    ];
    e = await client.updateEntitlement({
      serialNumber: e.serialNumber,
      configId: config.id,
      description,
      ...(endDateDiffers ? { endDate: settings.end_date } : {}),
    });
    log(`${name}: updated ${changes.filter(Boolean).join(", ")}`);
  }
  if (settings.status === "STOPPED" && (e.status === "ACTIVE" || e.status === "PENDING")) {
    e = await changeStatus(client, identity, e, "stop");
    log(`${name}: stopped (standby)`);
  }
  if (settings.status === "ACTIVE" && e.status === "PENDING") log(`${name}: PENDING until a VM uses its token`);
  else log(`${name}: ${e.status}`);
  return e;
}

/**
 * Stop or reactivate. After an unknown outcome, or a refusal because the entitlement is no longer in the
 * state it was read in (another runner acted first), reads the status back instead of failing blindly.
 */
export async function changeStatus(
  client: FortiFlexClient,
  identity: EntitlementIdentity,
  e: Entitlement,
  action: "stop" | "reactivate",
): Promise<Entitlement> {
  const want = action === "stop" ? "STOPPED" : "ACTIVE";
  const send = () => (action === "stop" ? client.stopEntitlement(e.serialNumber) : client.reactivateEntitlement(e.serialNumber));
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof AmbiguousOutcomeError) && !(err instanceof FortiFlexApiError)) throw err;
    const now = (await findEntitlements(client, identity)).find((x) => x.serialNumber === e.serialNumber);
    if (now?.status === want) return now;
    if (err instanceof FortiFlexApiError || now?.status !== e.status) throw err;
    return send();
  }
}

/** Destroy step: stop (FortiFlex has no delete). A no-op when already stopped, expired or never created. */
export async function stopEntitlement(client: FortiFlexClient, identity: EntitlementIdentity, log: Log): Promise<void> {
  const all = await findEntitlements(client, identity);
  if (!all.length) return log(`entitlement ${identity.key}: not found, nothing to stop`);
  for (const e of all) {
    if (e.status === "STOPPED" || e.status === "EXPIRED") {
      log(`entitlement ${identity.key} (${e.serialNumber}): already ${e.status}`);
      continue;
    }
    await changeStatus(client, identity, e, "stop");
    log(`entitlement ${identity.key} (${e.serialNumber}): stopped`);
  }
}

/** Token step: a new one-time license token (the old one stops working once the new one is used). */
export async function regenerateToken(client: FortiFlexClient, identity: EntitlementIdentity, generation: string, log: Log): Promise<void> {
  const e = await findEntitlement(client, identity);
  if (!e) throw new Error(`entitlement ${identity.key} not found; its lifecycle step creates it (terraform apply)`);
  await client.regenerateToken(e.serialNumber);
  log(`entitlement ${identity.key} (${e.serialNumber}): license token regenerated (generation ${generation})`);
}

/**
 * Boot step, run right before Terraform creates a VM that licenses itself with this entitlement's token: a
 * FortiFlex token works once, so a token an earlier VM used is regenerated; an unused one is kept (the VM
 * that would have used it never activated). Duplicates are settled first, so the token is the kept one's.
 */
export async function prepareBoot(client: FortiFlexClient, identity: EntitlementIdentity, log: Log): Promise<void> {
  const e = (await stopDuplicateEntitlements(client, identity, log)).all.find(usable);
  if (!e) throw new Error(`entitlement ${identity.key} not found; its lifecycle step creates it (terraform apply)`);
  const name = `entitlement ${identity.key} (${e.serialNumber})`;
  if (!live(e)) throw new Error(`${name} is ${e.status}: a FortiGate cannot license itself with it (give the entitlement status ACTIVE)`);
  if (e.tokenStatus === "NOTUSED" && e.token) return log(`${name}: license token unused, the new VM boots with it`);
  await client.regenerateToken(e.serialNumber);
  log(`${name}: license token already used by an earlier VM; regenerated a new one-time token for the new VM`);
}

/**
 * Changes made outside Terraform (empty = in sync). When the entitlement still carries an older settings
 * hash, differences are a pending change that the settings step applies, not drift.
 */
export function entitlementDrift(e: Entitlement, config: Config | undefined, settings: EntitlementSettings): string[] {
  const stored = settingsHashOf(e.description);
  if (stored && stored !== mutableSettingsHash(settings)) return [];
  const drift: string[] = [];
  if (settings.status === "ACTIVE" && (e.status === "STOPPED" || e.status === "EXPIRED")) drift.push(`status ${e.status} (want ACTIVE)`);
  if (settings.status === "STOPPED" && (e.status === "ACTIVE" || e.status === "PENDING")) drift.push(`status ${e.status} (want STOPPED)`);
  if (config && e.configId !== config.id) drift.push(`configuration ${e.configId} (want ${config.id})`);
  if (untagged(e.description) !== settings.description.trim() || !stored) drift.push(`description "${e.description ?? ""}"`);
  if (settings.end_date && e.status !== "STOPPED" && e.endDate.slice(0, 10) !== settings.end_date)
    drift.push(`end date ${e.endDate.slice(0, 10)} (want ${settings.end_date})`);
  return drift;
}
