/**
 * The FortiFlex service's endpoints and the environment variables that configure the handler, the CLI and
 * synth: one place for the constructs, the handler, the simulator and the CLI.
 */

/** The paths of the API and the OAuth token endpoint, on any host (the simulator serves the same). */
export const ENDPOINT_PATHS = { api: "/ES/api/fortiflex/v2/", auth: "/api/v1/oauth/token/" } as const;
export const DEFAULT_API_URL = `https://support.fortinet.com${ENDPOINT_PATHS.api}`;
export const DEFAULT_AUTH_URL = `https://customerapiauth.fortinet.com${ENDPOINT_PATHS.auth}`;

export const ENV = {
  username: "FORTIFLEX_ACCESS_USERNAME",
  password: "FORTIFLEX_ACCESS_PASSWORD",
  apiUrl: "FORTIFLEX_API_URL",
  authUrl: "FORTIFLEX_AUTH_URL",
  tokenCacheDir: "FORTIFLEX_TOKEN_CACHE_DIR",
  timeoutMs: "FORTIFLEX_REQUEST_TIMEOUT_MS",
  maxAttempts: "FORTIFLEX_MAX_ATTEMPTS",
  /** How long a create with an unknown outcome is looked for before giving up (milliseconds). */
  createSettleMs: "FORTIFLEX_CREATE_SETTLE_MS",
  /** Handler: a file to which each handler process appends one JSON line of what it cost (counts only). */
  usageLog: "FORTIFLEX_USAGE_LOG",
  /** Where synth keeps local Terraform state. */
  stateDir: "FORTIFLEX_STATE_DIR",
} as const;


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

export function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
