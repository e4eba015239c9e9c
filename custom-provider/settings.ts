/**
 * Where the client talks to and with which credentials. Endpoints default to the real FortiFlex service;
 * credentials come only from the environment variables Fortinet's own tools use.
 */

export const DEFAULT_API_URL = "https://support.fortinet.com/ES/api/fortiflex/v2/";
export const DEFAULT_AUTH_URL = "https://customerapiauth.fortinet.com/api/v1/oauth/token/";

export const ENV = {
  username: "FORTIFLEX_ACCESS_USERNAME",
  password: "FORTIFLEX_ACCESS_PASSWORD",
  apiUrl: "FORTIFLEX_API_URL",
  authUrl: "FORTIFLEX_AUTH_URL",
  tokenCacheDir: "FORTIFLEX_TOKEN_CACHE_DIR",
  timeoutMs: "FORTIFLEX_REQUEST_TIMEOUT_MS",
  maxAttempts: "FORTIFLEX_MAX_ATTEMPTS",
} as const;

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
  for (const [which, url] of [["api", endpoints.apiUrl], ["auth", endpoints.authUrl]] as const) {
    const problem = endpointProblem(which, url);
    if (problem) throw new Error(`the FortiFlex ${which} URL ${JSON.stringify(url.slice(0, 200))} (${source}) is not usable: ${problem}`);
  }
}

const ENDPOINT_PATHS = { api: "/ES/api/fortiflex/v2/", auth: "/api/v1/oauth/token/" } as const;

/**
 * What is wrong with an endpoint URL, or undefined: https (plain http only to a loopback address, for the
 * simulator), no credentials, query or fragment, and the path the service uses.
 */
export function endpointProblem(which: "api" | "auth", url: string): string | undefined {
  const path = ENDPOINT_PATHS[which];
  const allowed = `an https URL ending in ${path} (http only for 127.0.0.1, ::1 or localhost)`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL; ${allowed}`;
  }
  // Written exactly as the URL parser writes it back (no spaces, tabs or case games), with a plain host name:
  // the endpoints are part of each object's identity.
  if (parsed.href !== url || !/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(parsed.hostname)) return `not written in canonical form (${JSON.stringify(parsed.href.slice(0, 120))}); ${allowed}`;
  const loopback = parsed.hostname === "localhost" || parsed.hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) return `${parsed.protocol.replace(":", "")} to ${parsed.hostname}; ${allowed}`;
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return `credentials, a query or a fragment in the URL; ${allowed}`;
  if (!withTrailingSlash(parsed.pathname).endsWith(path) || !/^[A-Za-z0-9/._-]*$/.test(parsed.pathname) || /[?#]/.test(url)) return `path ${parsed.pathname.slice(0, 80)}; ${allowed}`;
  return undefined;
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

export function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

export function positiveIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}
