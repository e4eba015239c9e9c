import { DEFAULT_API_URL, DEFAULT_AUTH_URL, ENV, FORTINET_HOSTS, nonFortinetHostProblem, withTrailingSlash } from "../../contract/endpoints";
import type { Config, Entitlement } from "../../contract/api-types";
import { AuthenticationError, FortiFlexApiError } from "../../custom-provider/errors";
import type { FortiFlexClient } from "../../custom-provider/fortiflex-client";
import { endpointsFromEnv } from "../../custom-provider/settings";
import type { Customer } from "../../stacks/customers-file";
import { mapConcurrently } from "../concurrent-map";
import type { CheckResult } from "./check-result";

/** The credential variables, named; their values are never printed. */
export function credentialsCheck(env: NodeJS.ProcessEnv): CheckResult {
  const missing = [ENV.username, ENV.password].filter((name) => !env[name]);
  if (missing.length)
    return { check: "credentials", status: "FAIL", detail: `${missing.join(" and ")} not set: the API user's id and password from FortiCloud IAM` };
  return { check: "credentials", status: "ok", detail: `${ENV.username} and ${ENV.password} are set (values not shown)` };
}

/** Where the credentials go: Fortinet's hosts, loopback (a simulator), or elsewhere with --allow-non-fortinet-host. */
export function endpointsCheck(env: NodeJS.ProcessEnv): CheckResult {
  const { apiUrl, authUrl } = endpointsFromEnv(env);
  const elsewhere = nonFortinetHostProblem("api", apiUrl) || nonFortinetHostProblem("auth", authUrl);
  const loopback = elsewhere === undefined && new URL(apiUrl).hostname !== FORTINET_HOSTS.api;
  const kind = elsewhere ? `neither Fortinet's nor loopback, allowed by --allow-non-fortinet-host` : loopback ? "loopback: a simulator" : "Fortinet's";
  return { check: "endpoints", status: elsewhere ? "warn" : "ok", detail: `api ${apiUrl}, auth ${authUrl} (${kind})` };
}

/**
 * Customers whose stacks plan against other endpoints than the ones checked here (their fortiflex.endpoints, or
 * Fortinet's without them): one warning per pair, naming the customers; none when every customer's are these.
 */
export function declaredEndpointsChecks(env: NodeJS.ProcessEnv, customers: readonly Customer[]): CheckResult[] {
  const here = endpointsFromEnv(env);
  const elsewhere = new Map<string, Customer[]>();
  for (const c of customers) {
    const declared = c.fortiflex.endpoints;
    const [api, auth] = [withTrailingSlash(declared?.apiUrl ?? DEFAULT_API_URL), declared?.authUrl ?? DEFAULT_AUTH_URL];
    if (api === here.apiUrl && auth === here.authUrl) continue;
    const key = `${api} ${auth}`;
    elsewhere.set(key, [...(elsewhere.get(key) ?? []), c]);
  }
  return [...elsewhere].map(([key, those]) => {
    const [api, auth] = key.split(" ");
    const whose = those[0].fortiflex.endpoints ? "their fortiflex.endpoints" : "Fortinet's: they declare no fortiflex.endpoints";
    return {
      check: "endpoints",
      status: "warn",
      detail:
        `${those.map((c) => c.id).join(", ")} plan against api ${api}, auth ${auth} (${whose}), not the endpoints checked here: ` +
        `to check theirs, set ${ENV.apiUrl} / ${ENV.authUrl} to them`,
    };
  });
}

/** A token for the credentials, or a FAIL saying what to fix when FortiCloud refuses them or does not answer. */
export async function authenticationCheck(client: FortiFlexClient, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const host = new URL(endpointsFromEnv(env).authUrl).host;
  try {
    await client.tokens.getToken();
  } catch (e) {
    if (e instanceof AuthenticationError) {
      const reason = /\((HTTP \d+[^)]*)\)/.exec(e.message)?.[1] ?? e.message;
      return {
        check: "authentication",
        status: "FAIL",
        detail: `authentication refused by ${host} (${reason}): check ${ENV.password} (the API user's password) and ${ENV.username} (its id)`,
      };
    }
    return { check: "authentication", status: "FAIL", detail: `no token from ${host}: ${(e as Error).message}` };
  }
  const how = client.tokens.authCalls ? `token obtained from ${host}` : `a token of these credentials, cached earlier (${ENV.tokenCacheDir}), is still valid`;
  return { check: "authentication", status: "ok", detail: how };
}

/** Which customers use a program or an account, for the lines that name them. */
function users(customers: readonly Customer[], match: (c: Customer) => boolean): string {
  return customers
    .filter(match)
    .map((c) => c.id)
    .join(", ");
}

/** Each program serial number of the customers file among the programs these credentials see; the visible ones. */
export async function programChecks(client: FortiFlexClient, customers: readonly Customer[]): Promise<{ results: CheckResult[]; visible: Set<string> }> {
  let listed: string[];
  try {
    listed = (await client.listPrograms()).map((p) => p.serialNumber);
  } catch (e) {
    return { results: [{ check: "programs", status: "FAIL", detail: `programs/list failed: ${(e as Error).message}` }], visible: new Set() };
  }
  const wanted = [...new Set(customers.map((c) => c.fortiflex.programSerialNumber))];
  const visible = new Set(wanted.filter((s) => listed.includes(s)));
  const results = wanted.map((serial): CheckResult => {
    const who = users(customers, (c) => c.fortiflex.programSerialNumber === serial);
    if (visible.has(serial)) return { check: "programs", status: "ok", detail: `${serial} is visible to these credentials (${who})` };
    const seen = listed.length ? `they see ${listed.join(", ")}` : "they see no program";
    return {
      check: "programs",
      status: "FAIL",
      detail: `${serial} is not a program these credentials see (${seen}); used by ${who}: check fortiflex.programSerialNumber, or the API user's account`,
    };
  });
  return { results, visible };
}

/**
 * Each account of the customers file, in its program, read as a plan reads it: the account's configurations and
 * its entitlements (configs/list and entitlements/list by account and program), four accounts at a time.
 */
export async function accountChecks(client: FortiFlexClient, customers: readonly Customer[], visible: ReadonlySet<string>): Promise<CheckResult[]> {
  const scopes = [...new Set(customers.map((c) => `${c.fortiflex.programSerialNumber}/${c.fortiflex.accountId}`))].map((s) => {
    const [program, account] = s.split("/");
    return { program, accountId: Number(account) };
  });
  return mapConcurrently(scopes, 4, async ({ program, accountId }): Promise<CheckResult> => {
    const who = users(customers, (c) => c.fortiflex.programSerialNumber === program && c.fortiflex.accountId === accountId);
    if (!visible.has(program))
      return { check: "accounts", status: "skip", detail: `${accountId} (${who}): needs its program ${program}, which is not visible` };
    let configs: Config[];
    let entitlements: Entitlement[];
    try {
      // One after the other: an account FortiFlex refuses is refused by the first, and named by it.
      configs = await client.listConfigs({ programSerialNumber: program, accountId });
      entitlements = await client.listEntitlements({ programSerialNumber: program, accountId });
    } catch (e) {
      // A refusal (4xx) of an account's lists in a visible program: the account is not the program's for this API user.
      if (e instanceof FortiFlexApiError && e.httpStatus >= 400 && e.httpStatus < 500)
        return {
          check: "accounts",
          status: "FAIL",
          detail:
            `${accountId}: FortiFlex refuses it in ${program} (${e.operation}, HTTP ${e.httpStatus}: ${e.apiMessage}); used by ${who}: ` +
            "check fortiflex.accountId (a member account of the program's account)",
        };
      const said = e instanceof FortiFlexApiError ? `${e.operation}: ${e.apiMessage}` : (e as Error).message;
      return { check: "accounts", status: "FAIL", detail: `${accountId} in ${program} (${who}): ${said}` };
    }
    return {
      check: "accounts",
      status: "ok",
      detail: `${accountId} in ${program} (${who}): ${configs.length} configuration(s), ${entitlements.length} entitlement(s)`,
    };
  });
}
