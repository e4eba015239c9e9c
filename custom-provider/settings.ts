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
  return {
    apiUrl: withTrailingSlash(env[ENV.apiUrl] || DEFAULT_API_URL),
    authUrl: env[ENV.authUrl] || DEFAULT_AUTH_URL,
  };
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
