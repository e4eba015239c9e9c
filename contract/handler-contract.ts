/**
 * The handler's commands: local-exec steps (ensure ... release) and external data sources (observe, read,
 * check-adoption). The data-source commands only read: they run while Terraform plans.
 */
export const HANDLER_COMMANDS = [
  "ensure",
  "apply",
  "destroy",
  "regenerate-token",
  "prepare-boot",
  "adopt",
  "observe",
  "read",
  "check-adoption",
  "sweep",
  "release",
] as const;
export type HandlerCommand = (typeof HANDLER_COMMANDS)[number];

/** The environment variables a step hands the handler (JSON objects or lists unless said otherwise). */
export const HANDLER_ENV = {
  /** The object's identity; for `release`, a namespace in one scope. */
  identity: "FORTIFLEX_IDENTITY",
  /** The object's settings (ensure, apply). */
  settings: "FORTIFLEX_SETTINGS",
  /** The token generation being applied (regenerate-token; plain text). */
  tokenGeneration: "FORTIFLEX_TOKEN_GENERATION",
  /** What to adopt: {"config_id"} or {"serial_number", "product_type_id"} (adopt; check-adoption takes it in its query). */
  adoption: "FORTIFLEX_ADOPTION",
  /** sweep: the stack's namespace (plain text), the scopes to sweep, the declared "<key>@<scope index>" list and the scopes those indexes name. */
  namespace: "FORTIFLEX_NAMESPACE",
  scopes: "FORTIFLEX_SCOPES",
  declared: "FORTIFLEX_DECLARED",
  declaredScopes: "FORTIFLEX_DECLARED_SCOPES",
  /**
   * "true" when the code lets this step's endpoints be on a host other than Fortinet's or loopback
   * (allowNonFortinetHost), else "false". Always set by the step itself, so Terraform's environment cannot supply
   * it; data sources carry it in their query instead (ALLOW_NON_FORTINET_HOST_QUERY).
   */
  allowNonFortinetHost: "FORTIFLEX_ALLOW_NON_FORTINET_HOST",
} as const;

/** The query field of the handler's data sources (observe, read, check-adoption) with the same opt-in. */
export const ALLOW_NON_FORTINET_HOST_QUERY = "allow_non_fortinet_host";

/**
 * Construct ids of the synthesized steps: part of every Terraform address (`null_resource.<path>_<id>_<hash>`),
 * which the pull-request summary reads to say what a plan does.
 */
export const STEP_IDS = {
  lifecycle: "Lifecycle",
  settings: "Settings",
  observe: "Observe",
  state: "State",
  adoptionCheck: "AdoptionCheck",
  adoption: "Adoption",
  tokenRegeneration: "TokenRegeneration",
  licenseBoot: "LicenseBoot",
  licenseBootState: "LicenseBootState",
  reconcile: "Reconcile",
  stopAllOnDestroy: "StopAllOnDestroy",
  /** Earlier versions' steps: a running stack's plan may still name them once (moved, or dropped without acting). */
  owner: "Owner",
  driftRepair: "DriftRepair",
  settle: "Settle",
  endpointPin: "EndpointPin",
} as const;

/**
 * What the synthesized Terraform hands the handler. Identity is fixed for the object's life (it sits in
 * the lifecycle resource's triggers, so the destroy step can read it); settings may change in place.
 * All values are strings because Terraform triggers and external-data queries are string maps.
 */

export interface ConfigIdentity {
  readonly kind: "config";
  readonly key: string;
  readonly program_serial_number: string;
  /** Empty: the API user's own account. */
  readonly account_id: string;
  readonly product_type_id: string;
  readonly api_url: string;
  readonly auth_url: string;
}

export interface ConfigSettings {
  readonly name: string;
  /** "id=value" pairs joined by commas; list parameters repeated, empty lists as "NONE". */
  readonly parameters: string;
}

export interface EntitlementIdentity {
  readonly kind: "entitlement";
  readonly key: string;
  /** Set for an entitlement made elsewhere that a stack only reads (key empty): found by serial number. */
  readonly serial_number?: string;
  readonly program_serial_number: string;
  /** Empty: the account of the entitlement's configuration. */
  readonly account_id: string;
  readonly api_url: string;
  readonly auth_url: string;
}

export interface EntitlementSettings {
  readonly config_key: string;
  readonly description: string;
  /** YYYY-MM-DD, or empty for the program's end date. */
  readonly end_date: string;
  /** Used at creation only (the API never reports it). */
  readonly folder_path: string;
  readonly status: "ACTIVE" | "STOPPED";
  /** Used at creation only: "true" activates at once and starts charging without token use. */
  readonly skip_pending: string;
}

/** Where a stack's objects live: one endpoint, program and account (empty: the API user's own). */
export interface NamespaceScope {
  readonly program_serial_number: string;
  readonly account_id: string;
  readonly api_url: string;
  readonly auth_url: string;
}

/** A stack's namespace in one scope: the identity of its owner resource, whose destroy stops everything there. */
export interface NamespaceIdentity extends NamespaceScope {
  readonly kind: "namespace";
  readonly namespace: string;
}

export type Identity = ConfigIdentity | EntitlementIdentity;

/** One object in the query of a scope's `observe` (JSON strings, as the object's own steps get them). */
export interface ObservedObject {
  readonly identity: string;
  readonly settings: string;
  /** "true": report differences from the settings (drift). */
  readonly detect_drift: string;
  /** "true": return the object's attributes (its outputs are read). */
  readonly attributes: string;
}

/**
 * Keys of the `observe` result, a flat string map for every object of one scope, read with two list requests
 * at plan time: whether the object matches its settings, what differs, and its attributes (JSON, as `read`
 * returns them; empty when it does not exist yet or its outputs are not read). `strays` lists what the
 * apply's sweep of the scope would stop (duplicates, objects of the namespace no longer declared; empty when
 * none). `walk` names the Terraform graph walk the observation was made in: a `read` in the same walk answers
 * from the observation without asking FortiFlex again.
 */
export const OBSERVATION = {
  inSync: (key: string) => `in_sync:${key}`,
  drift: (key: string) => `drift:${key}`,
  state: (key: string) => `state:${key}`,
  strays: "strays",
  walk: "walk",
} as const;

export function parseJsonObject<T>(text: string | undefined, what: string): T {
  if (!text) throw new Error(`${what} is missing`);
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return value as T;
  } catch (e) {
    throw new Error(`${what} is not a JSON object (${(e as Error).message})`);
  }
}
