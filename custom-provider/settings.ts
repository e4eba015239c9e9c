/**
 * Where the client talks to and with which credentials. Endpoints default to the real FortiFlex service
 * (contract/endpoints.ts); credentials come only from the environment variables Fortinet's own tools use.
 */
import { DEFAULT_API_URL, DEFAULT_AUTH_URL, endpointProblem, ENV, withTrailingSlash } from "../contract/endpoints";

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface Endpoints {
  readonly apiUrl: string;
  readonly authUrl: string;
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  return { apiUrl: withTrailingSlash(env[ENV.apiUrl] || DEFAULT_API_URL), authUrl: env[ENV.authUrl] || DEFAULT_AUTH_URL };
}

/** Throws when an endpoint is not usable (see endpointProblem); `source` says where it came from. */
export function checkEndpoints(endpoints: Endpoints, source: string): void {
  for (const [which, url] of [
    ["api", endpoints.apiUrl],
    ["auth", endpoints.authUrl],
  ] as const) {
    const problem = endpointProblem(which, url);
    if (problem) throw new Error(`the FortiFlex ${which} URL ${JSON.stringify(url.slice(0, 200))} (${source}) is not usable: ${problem}`);
  }
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const username = env[ENV.username];
  const password = env[ENV.password];
  if (!username || !password) {
    const missing = [!username && ENV.username, !password && ENV.password].filter(Boolean).join(" and ");
    throw new Error(`FortiFlex credentials missing: set ${missing} (an API user from FortiCloud IAM)`);
  }
  return { username, password };
}

export function positiveIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}
