/**
 * The FortiFlex service's endpoints and the environment variables that configure the handler, the CLI and
 * synth: one place for the constructs, the handler, the simulator and the CLI. Synth takes endpoints from the
 * code only: FORTIFLEX_API_URL / FORTIFLEX_AUTH_URL are read by the CLI and API clients built from the
 * environment; at synth they only draw a warning when they differ from what a stack declares.
 */

/** The paths of the API and the OAuth token endpoint, on any host (the simulator serves the same). */
export const ENDPOINT_PATHS = { api: "/ES/api/fortiflex/v2/", auth: "/api/v1/oauth/token/" } as const;
/** Fortinet's documented FortiFlex hosts: the API, and the OAuth token endpoint (both https on the default port). */
export const FORTINET_HOSTS = { api: "support.fortinet.com", auth: "customerapiauth.fortinet.com" } as const;
export const DEFAULT_API_URL = `https://${FORTINET_HOSTS.api}${ENDPOINT_PATHS.api}`;
export const DEFAULT_AUTH_URL = `https://${FORTINET_HOSTS.auth}${ENDPOINT_PATHS.auth}`;

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
  if (parsed.href !== url || !/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(parsed.hostname))
    return `not written in canonical form (${JSON.stringify(parsed.href.slice(0, 120))}); ${allowed}`;
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && isLoopback(parsed.hostname)))
    return `${parsed.protocol.replace(":", "")} to ${parsed.hostname}; ${allowed}`;
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return `credentials, a query or a fragment in the URL; ${allowed}`;
  if (!withTrailingSlash(parsed.pathname).endsWith(path) || !/^[A-Za-z0-9/._-]*$/.test(parsed.pathname) || /[?#]/.test(url))
    return `path ${parsed.pathname.slice(0, 80)}; ${allowed}`;
  return undefined;
}

/**
 * Why the FortiFlex credentials (or an access token) may not go to `url` unless the code opts in, or undefined:
 * without an opt-in they go only to Fortinet's documented host for that endpoint (https, default port) or to
 * loopback (127.0.0.0/8, ::1, localhost: the simulator). The one check of the constructs (at synth), the API
 * client (before it sends anything) and the CLI.
 */
export function nonFortinetHostProblem(which: "api" | "auth", url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  if (isLoopback(parsed.hostname)) return undefined;
  if (parsed.protocol === "https:" && parsed.hostname === FORTINET_HOSTS[which] && parsed.port === "") return undefined;
  const fortinet = `Fortinet's FortiFlex ${which === "api" ? "API" : "token endpoint"} (https://${FORTINET_HOSTS[which]})`;
  return `${parsed.protocol}//${parsed.host} is neither ${fortinet} nor loopback (127.0.0.0/8, ::1, localhost)`;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
