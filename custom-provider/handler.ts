/**
 * The local custom resource's handler, run by Terraform:
 *
 *   node fortiflex-handler.js ensure | apply | destroy | regenerate-token | prepare-boot | adopt
 *     (local-exec; FORTIFLEX_IDENTITY and FORTIFLEX_SETTINGS hold JSON objects; prints what it did;
 *      prepare-boot makes an entitlement's token unused right before a VM boots with it; adopt gives an
 *      existing object (FORTIFLEX_ADOPTION) the key, before the lifecycle step looks for it)
 *   node fortiflex-handler.js observe | read | check-adoption
 *     (external data sources, read-only; a JSON object of strings on stdin, a flat one on stdout: observe
 *      takes {"scope", "namespace", "declared", "objects"} (one scope: every object's drift and attributes,
 *      what the apply's sweep would stop; two list requests); read
 *      takes {"identity", "observed", "walk"} (answered from the observation when in the same plan walk);
 *      check-adoption takes {"identity", "adoption"})
 *   node fortiflex-handler.js sweep
 *     (the stack's reconcile step; FORTIFLEX_NAMESPACE, FORTIFLEX_SCOPES (JSON list of scopes to sweep),
 *      FORTIFLEX_DECLARED ("<key>@<index>" list) and FORTIFLEX_DECLARED_SCOPES (the scopes those indexes
 *      name): stops what the namespace holds in the swept scopes that is not declared there)
 *   node fortiflex-handler.js release
 *     (destroy step of the stack's owner resource; FORTIFLEX_IDENTITY is a namespace in one scope: stops
 *      everything there)
 *
 * Credentials come only from FORTIFLEX_ACCESS_USERNAME / FORTIFLEX_ACCESS_PASSWORD, endpoints only from the
 * synthesized identity or scope (never FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL). They go to a host other than
 * Fortinet's or loopback only when the synthesized code opts in: FORTIFLEX_ALLOW_NON_FORTINET_HOST, which every
 * local-exec step sets itself, or the data source's query field allow_non_fortinet_host. Bundled into one file
 * with Node built-ins only and shipped into each stack directory.
 */
import { adoptConfig, adoptEntitlement, checkConfigAdoption, checkEntitlementAdoption } from "./adoption-operations";
import { applyConfigSettings, disableConfig, ensureConfig, findConfigs } from "./config-operations";
import { applyEntitlementSettings, ensureEntitlement, findEntitlement, prepareBoot, regenerateToken, stopEntitlement } from "./entitlement-operations";
import { FortiFlexClient } from "./fortiflex-client";
import type { Log } from "./operation-support";
import { releaseNamespace, sweepNamespace } from "./namespace-operations";
import type { Entitlement } from "../contract/api-types";
import { accountOf } from "./object-account";
import { UsageLog } from "./usage-log";
import { currentGraphWalk } from "./graph-walk";
import { TerraformRunWrites } from "./terraform-run-writes";
import { configAttributes, entitlementAttributes } from "./object-attributes";
import { observeObjects } from "./scope-observation";
import { takeSnapshot } from "./scope-snapshot";
import { ENV } from "../contract/endpoints";
import {
  ALLOW_NON_FORTINET_HOST_QUERY,
  HANDLER_COMMANDS,
  HANDLER_ENV,
  parseJsonObject,
  type ConfigIdentity,
  type ConfigSettings,
  type EntitlementIdentity,
  type HandlerCommand,
  type EntitlementSettings,
  type Identity,
  type NamespaceIdentity,
  type NamespaceScope,
  type ObservedObject,
} from "../contract/handler-contract";

/** What this process costs (appended to FORTIFLEX_USAGE_LOG when set). */
let usage: UsageLog;
/** The synthesized opt-in to hosts other than Fortinet's and loopback (set once per command, from the step or the query). */
let allowNonFortinetHost = false;

async function main(argv: string[]): Promise<void> {
  const command = argv[0] as HandlerCommand;
  usage = new UsageLog(process.env[ENV.usageLog], HANDLER_COMMANDS.includes(command) ? command : "unknown");
  if (!HANDLER_COMMANDS.includes(command)) throw new Error(`unknown command "${argv[0] ?? ""}" (allowed: ${HANDLER_COMMANDS.join(", ")})`);
  if (command === "observe" || command === "read" || command === "check-adoption") return dataSource(command);
  return step(command);
}

/** A data source's command: its query on stdin, a flat JSON object on stdout. */
async function dataSource(command: "observe" | "read" | "check-adoption"): Promise<void> {
  // Data sources run while Terraform plans: their clients refuse any change.
  const query = parseJsonObject<Record<string, string>>(await readStdin(), "query on stdin");
  // From the query (synthesized), never from the environment: the external provider passes Terraform's on.
  allowNonFortinetHost = query[ALLOW_NON_FORTINET_HOST_QUERY] === "true";
  const log: Log = (line) => process.stderr.write(`fortiflex: ${line}\n`);
  const result =
    command === "observe"
      ? await observe(query, log)
      : command === "read"
        ? await read(parseJsonObject<Identity>(query.identity, "query.identity"), query, log)
        : await checkAdoption(
            parseJsonObject<Identity>(query.identity, "query.identity"),
            parseJsonObject<Record<string, string>>(query.adoption, "query.adoption"),
          );
  process.stdout.write(JSON.stringify(result));
}

/** A local-exec step's command: what it acts on in its environment (FORTIFLEX_IDENTITY, ...), what it did on stdout. */
async function step(command: HandlerCommand): Promise<void> {
  // Every other command is a step that may change FortiFlex: no read of this Terraform run trusts the plan's observation after it.
  TerraformRunWrites.fromEnv().recordStep();
  // Every step sets it in its own environment block, which Terraform's environment cannot override.
  allowNonFortinetHost = process.env[HANDLER_ENV.allowNonFortinetHost] === "true";
  const log: Log = (line) => process.stdout.write(`fortiflex: ${line}\n`);
  if (command === "sweep") return sweep(log);
  if (command === "release") {
    const owner = parseJsonObject<NamespaceIdentity>(process.env[HANDLER_ENV.identity], HANDLER_ENV.identity);
    if (owner.kind !== "namespace" || !validNamespace(owner.namespace)) throw new Error(`release needs a namespace identity, got kind "${owner.kind}"`);
    return releaseNamespace(clientFor(owner), owner.namespace, owner, log);
  }
  const identity = parseJsonObject<Identity>(process.env[HANDLER_ENV.identity], HANDLER_ENV.identity);
  if (identity.kind === "entitlement" && identity.serial_number)
    throw new Error(`${command}: entitlement ${identity.serial_number} is made elsewhere; a stack only reads it (adopt it to manage it)`);
  const client = clientFor(identity);
  if (identity.kind === "config") return configStep(command, client, identity, log);
  if (identity.kind !== "entitlement") throw new Error(`unknown object kind "${(identity as { kind: string }).kind}"`);
  return entitlementStep(command, client, identity, log);
}

async function configStep(command: HandlerCommand, client: FortiFlexClient, identity: ConfigIdentity, log: Log): Promise<void> {
  switch (command) {
    case "adopt":
      return adoptConfig(client, identity, Number(adoptionFromEnv().config_id), log);
    case "ensure":
      return void (await ensureConfig(client, identity, settingsFromEnv<ConfigSettings>(), log));
    case "apply":
      return void (await applyConfigSettings(client, identity, settingsFromEnv<ConfigSettings>(), log));
    case "destroy":
      return disableConfig(client, identity, log);
    default:
      throw new Error(`${command} does not apply to configurations`);
  }
}

async function entitlementStep(command: HandlerCommand, client: FortiFlexClient, identity: EntitlementIdentity, log: Log): Promise<void> {
  switch (command) {
    case "ensure":
      return void (await ensureEntitlement(client, identity, settingsFromEnv<EntitlementSettings>(), log));
    case "apply":
      return void (await applyEntitlementSettings(client, identity, settingsFromEnv<EntitlementSettings>(), log));
    case "destroy":
      return stopEntitlement(client, identity, log);
    case "regenerate-token":
      return regenerateToken(client, identity, process.env[HANDLER_ENV.tokenGeneration] ?? "?", log);
    case "prepare-boot":
      return prepareBoot(client, identity, log);
    case "adopt":
      return adoptEntitlement(client, identity, adoptionFromEnv().serial_number, adoptionFromEnv().product_type_id ?? "", log);
  }
}

function settingsFromEnv<T>(): T {
  return parseJsonObject<T>(process.env[HANDLER_ENV.settings], HANDLER_ENV.settings);
}

function adoptionFromEnv(): Record<string, string> {
  return parseJsonObject<Record<string, string>>(process.env[HANDLER_ENV.adoption], HANDLER_ENV.adoption);
}

/** The namespace's objects in every scope, brought in line with the keys the stack declares. */
async function sweep(log: Log): Promise<void> {
  const namespace = process.env[HANDLER_ENV.namespace] ?? "";
  if (!validNamespace(namespace)) throw new Error(`${HANDLER_ENV.namespace} "${namespace}" is not a namespace`);
  const scopes = parseJsonList<NamespaceScope>(process.env[HANDLER_ENV.scopes], HANDLER_ENV.scopes);
  // What the code declares now: "<key>@<index into FORTIFLEX_DECLARED_SCOPES>".
  const declaredScopes = parseJsonList<NamespaceScope>(process.env[HANDLER_ENV.declaredScopes], HANDLER_ENV.declaredScopes);
  const declared = parseJsonList<string>(process.env[HANDLER_ENV.declared], HANDLER_ENV.declared).map((entry) => {
    const at = entry.lastIndexOf("@");
    const scope = declaredScopes[Number(entry.slice(at + 1))];
    if (at < 1 || !scope) throw new Error(`${HANDLER_ENV.declared} entry "${entry}" is not "<key>@<scope index>"`);
    return { key: entry.slice(0, at), scope };
  });
  let actions = 0;
  for (const scope of scopes) {
    const here = new Set(declared.filter((d) => sameScope(d.scope, scope)).map((d) => d.key));
    actions += (await sweepNamespace(clientFor(scope), namespace, scope, here, log)).length;
  }
  if (!actions) log(`namespace ${namespace}: ${declared.length} declared object(s), nothing else running`);
}

function sameScope(a: NamespaceScope, b: NamespaceScope): boolean {
  return a.program_serial_number === b.program_serial_number && a.account_id === b.account_id && a.api_url === b.api_url && a.auth_url === b.auth_url;
}

function validNamespace(namespace: unknown): namespace is string {
  return typeof namespace === "string" && /^[A-Za-z0-9._:-]{1,80}$/.test(namespace);
}

function parseJsonList<T>(text: string | undefined, what: string): T[] {
  if (!text) throw new Error(`${what} is missing`);
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value)) throw new Error(`${what} is not a JSON list`);
  return value as T[];
}

function clientFor(identity: { api_url: string; auth_url: string }, readOnly = false): FortiFlexClient {
  // The endpoints are part of the object's identity (synthesized), so destroy talks to where create did; an
  // identity without them is refused rather than completed from FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL.
  if (typeof identity.api_url !== "string" || !identity.api_url || typeof identity.auth_url !== "string" || !identity.auth_url)
    throw new Error("the synthesized identity names no FortiFlex endpoints (api_url, auth_url)");
  return usage.track(
    FortiFlexClient.fromEnv(process.env, { apiUrl: identity.api_url, authUrl: identity.auth_url, onEvent: usage.onEvent, readOnly, allowNonFortinetHost }),
  );
}

/**
 * Plan-time observation of every object of one scope (two list requests): drift for the DriftRepair steps'
 * counts and the attributes a `read` of the same walk answers from.
 */
async function observe(query: Record<string, string>, log: Log): Promise<Record<string, string>> {
  const scope = parseJsonObject<NamespaceScope>(query.scope, "query.scope");
  const objects = parseJsonList<ObservedObject>(query.objects, "query.objects").map((o, i) => {
    const identity = parseJsonObject<Identity>(o.identity, `query.objects[${i}].identity`);
    if (!sameScope(identity, scope) || (identity.kind !== "config" && identity.kind !== "entitlement") || !identity.key) {
      throw new Error(`query.objects[${i}] is not a keyed object of the observed scope`);
    }
    return {
      identity,
      settings: parseJsonObject<ConfigSettings | EntitlementSettings>(o.settings, `query.objects[${i}].settings`),
      detectDrift: o.detect_drift === "true",
      attributes: o.attributes === "true",
    };
  });
  if (!validNamespace(query.namespace)) throw new Error(`query.namespace "${String(query.namespace)}" is not a namespace`);
  const declared = new Set(parseJsonList<string>(query.declared, "query.declared"));
  const snapshot = await takeSnapshot(clientFor(scope, true), scope);
  return observeObjects(snapshot, objects, { namespace: query.namespace, declared }, currentGraphWalk(), log);
}

/** Plan-time check of an adoption: refused with the reason before anything is created or changed. */
async function checkAdoption(identity: Identity, adoption: Record<string, string>): Promise<Record<string, string>> {
  const client = clientFor(identity, true);
  const pending =
    identity.kind === "config"
      ? await checkConfigAdoption(client, identity, Number(adoption.config_id))
      : await checkEntitlementAdoption(client, identity, adoption.serial_number, adoption.product_type_id ?? "");
  return { adopted: String(!pending) };
}

/**
 * Outputs of an object, as flat strings. A read in the walk that observed the object's scope (a plan), in a
 * Terraform run where no step has changed anything, answers from that observation without a request; a read
 * the plan deferred until steps ran (the apply) asks FortiFlex. Duplicates are not settled here (a read only
 * reads): the outputs are the kept one's.
 */
async function read(identity: Identity, query: Record<string, string>, log: Log): Promise<Record<string, string>> {
  const walk = currentGraphWalk();
  if (query.observed && walk && query.walk === walk && !TerraformRunWrites.fromEnv().writtenInThisRun()) {
    log(`${identity.kind} ${identity.key}: attributes from this plan's observation`);
    return parseJsonObject<Record<string, string>>(query.observed, "query.observed");
  }
  const client = clientFor(identity, true);
  if (identity.kind === "config") {
    const c = (await findConfigs(client, identity))[0];
    if (!c) throw new Error(`configuration ${identity.key} not found`);
    log(`configuration ${identity.key}: id ${c.id}, ${c.status}`);
    return configAttributes(c);
  }
  const e = identity.serial_number ? await entitlementBySerial(client, identity, identity.serial_number) : await findEntitlement(client, identity);
  if (!e) throw new Error(`entitlement ${identity.key || identity.serial_number} not found`);
  log(`entitlement ${identity.key}: ${e.serialNumber}, ${e.status}`);
  return entitlementAttributes(e);
}

/** An entitlement made elsewhere, by serial number, in the identity's account. */
async function entitlementBySerial(client: FortiFlexClient, identity: EntitlementIdentity, serialNumber: string): Promise<Entitlement | undefined> {
  const accountId = await accountOf(client, identity.program_serial_number, identity.account_id);
  return (await client.listEntitlements({ accountId, programSerialNumber: identity.program_serial_number, serialNumber })).find(
    (e) => e.serialNumber === serialNumber,
  );
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`fortiflex: error: ${e.message}\n`);
  process.exit(1);
});
