import { AccessTokenProvider } from "./access-token-provider";
import type * as api from "../contract/api-types";
import { AmbiguousOutcomeError, FortiFlexApiError, NonFortinetHostError, ReadOnlyError, RetriesExhaustedError } from "./errors";
import { ANSWER_TOO_LARGE, post, TransportError, type HttpResponse } from "./http-transport";
import { nameParametersInMessage } from "../contract/product-catalog";
import { API, READ_OPERATIONS, type ApiOperation } from "../contract/api-operations";
import { ENV, nonFortinetHostProblem, withTrailingSlash } from "../contract/endpoints";
import { checkEndpoints, credentialsFromEnv, endpointsFromEnv, positiveIntFromEnv, type Credentials } from "./settings";
import { SharedPauseFile } from "./shared-pause-file";
import { TokenCacheFile } from "./token-cache-file";

/**
 * How a request may be repeated. `read` and `idempotent` requests are retried on any transient failure.
 * `once` requests (creates and state changes) are retried only when the server certainly did not act on
 * them; otherwise the caller gets AmbiguousOutcomeError and must look the object up before trying again.
 */
type RepeatClass = "read" | "idempotent" | "once";

/** Longest gap between the sends of an API user's processes after a 429 (the reported budget, 100 a minute, frees one every 600 ms). */
const PACED_GAP_MS = 600;

/** 429s answered with no wait at all still end in a failed attempt after this many (a server stuck on 429). */
const MAX_UNCOUNTED_429 = 50;

/**
 * A request being sent: what it is, and its bookkeeping across attempts. An attempt that does not count (a
 * re-authentication, a 429 within the rate-limit wait) is taken back from `attempt`.
 */
interface RequestInFlight {
  readonly operation: string;
  readonly body: object;
  readonly repeat: RepeatClass;
  attempt: number;
  reauthenticated: boolean;
  /** Time waited out on 429s so far, and how many there were. */
  rateLimitedMs: number;
  rateLimited: number;
}

/** What an attempt leaves the request to do: return the answer, or send again (after `retryInMs`, or at once). */
type AttemptResult = { readonly envelope: api.ApiEnvelope } | { readonly retryInMs?: number };

type AttemptEvent = (outcome: RequestEvent["outcome"], httpStatus?: number, detail?: string) => void;

/** One finished attempt, for verbose output. Never carries bodies, tokens or credentials. */
export interface RequestEvent {
  readonly operation: string;
  readonly attempt: number;
  readonly httpStatus?: number;
  /** "wait": the API user's shared pause (another process met the rate limit) held this attempt back. */
  readonly outcome: "ok" | "retry" | "error" | "wait";
  readonly durationMs: number;
  readonly detail?: string;
}

export interface FortiFlexClientOptions {
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly credentials: Credentials;
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Attempts for a retryable request, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff step; doubles per attempt, with jitter. @default 500 */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff or Retry-After wait. @default 20000 */
  readonly maxDelayMs?: number;
  /**
   * Total time one request may spend waiting out 429s (the API user over its request budget: the request
   * was not processed) before they count as failed attempts; a fleet of plans sharing one API user waits
   * its turn instead of failing. @default 300000
   */
  readonly maxRateLimitWaitMs?: number;
  /** Directory of the shared token cache; `false` keeps the token in memory only. @default TokenCacheFile.defaultDir() */
  readonly tokenCacheDir?: string | false;
  readonly onEvent?: (event: RequestEvent) => void;
  /** Each successful answer as parsed, with its request: for `fortiflex doctor`, which checks and saves what the service sends. */
  readonly onAnswer?: (operation: string, request: object, envelope: api.ApiEnvelope) => void;
  /**
   * Refuse every operation that changes something, before sending it (the handler's plan-time commands, so
   * a plan can never stop or create anything, whoever's credentials it runs with). @default false
   */
  readonly readOnly?: boolean;
  /**
   * Send the credentials and access tokens to endpoints that are neither Fortinet's documented FortiFlex hosts
   * nor loopback. Only ever from code (a stack's synthesized opt-in, a command-line flag), never from the
   * environment. @default false
   */
  readonly allowNonFortinetHost?: boolean;
}

/** Typed client of FortiFlex REST API v2. */
export class FortiFlexClient {
  readonly tokens: AccessTokenProvider;
  private readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRateLimitWaitMs: number;
  /** Requests sent, retries included (for tests and verbose summaries). */
  requestCount = 0;
  /** The API user's pause shared with other processes (with the token cache; none without it). */
  private readonly pause?: SharedPauseFile;

  constructor(private readonly options: FortiFlexClientOptions) {
    this.apiUrl = withTrailingSlash(options.apiUrl);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 300_000;
    const cacheDir = options.tokenCacheDir === undefined ? TokenCacheFile.defaultDir() : options.tokenCacheDir;
    const cache = cacheDir ? new TokenCacheFile(cacheDir, options.authUrl, options.credentials.username, options.credentials.password) : undefined;
    this.tokens = new AccessTokenProvider({
      authUrl: options.authUrl,
      credentials: options.credentials,
      timeoutMs: this.timeoutMs,
      cache,
      allowNonFortinetHost: options.allowNonFortinetHost,
    });
    this.pause = cache && new SharedPauseFile(cache);
  }

  /**
   * A client configured from FORTIFLEX_* environment variables (docs/guides/credentials-and-endpoints.md); `extra` wins,
   * and alone may opt in to other hosts.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, extra: Partial<FortiFlexClientOptions> = {}): FortiFlexClient {
    const endpoints = { ...endpointsFromEnv(env), ...(extra.apiUrl ? { apiUrl: extra.apiUrl } : {}), ...(extra.authUrl ? { authUrl: extra.authUrl } : {}) };
    checkEndpoints(endpoints, extra.apiUrl || extra.authUrl ? "from the stack" : `${ENV.apiUrl} / ${ENV.authUrl}`);
    return new FortiFlexClient({
      ...endpoints,
      credentials: credentialsFromEnv(env),
      timeoutMs: positiveIntFromEnv(env, ENV.timeoutMs, 30_000),
      maxAttempts: positiveIntFromEnv(env, ENV.maxAttempts, 5),
      tokenCacheDir: env[ENV.tokenCacheDir] || undefined,
      ...extra,
    });
  }

  // Programs
  async listPrograms(): Promise<api.Program[]> {
    return this.list<api.Program>(API.programsList, {});
  }

  // Configurations
  async listConfigs(req: api.ConfigsListRequest): Promise<api.Config[]> {
    return this.list<api.Config>(API.configsList, req);
  }
  async createConfig(req: api.ConfigsCreateRequest): Promise<api.Config> {
    return this.single<api.Config>(API.configsCreate, req, "once");
  }
  async updateConfig(req: api.ConfigsUpdateRequest): Promise<api.Config> {
    return this.single<api.Config>(API.configsUpdate, req, "idempotent");
  }
  async enableConfig(id: api.NumericId): Promise<api.Config> {
    return this.single<api.Config>(API.configsEnable, { id }, "once");
  }
  async disableConfig(id: api.NumericId): Promise<api.Config> {
    return this.single<api.Config>(API.configsDisable, { id }, "once");
  }

  // Entitlements
  async listEntitlements(req: api.EntitlementsListRequest): Promise<api.Entitlement[]> {
    if (req.configId === undefined && (req.accountId === undefined || !req.programSerialNumber)) {
      throw new Error("entitlements/list needs configId, or accountId and programSerialNumber");
    }
    return this.list<api.Entitlement>(API.entitlementsList, req);
  }
  async createVmEntitlements(req: api.EntitlementsVmCreateRequest): Promise<api.Entitlement[]> {
    return this.list<api.Entitlement>(API.entitlementsVmCreate, { count: 1, ...req }, "once");
  }
  async updateEntitlement(req: api.EntitlementsUpdateRequest): Promise<api.Entitlement> {
    return this.single<api.Entitlement>(API.entitlementsUpdate, req, "idempotent");
  }
  async stopEntitlement(serialNumber: string): Promise<api.Entitlement> {
    return this.single<api.Entitlement>(API.entitlementsStop, { serialNumber }, "once");
  }
  async reactivateEntitlement(serialNumber: string): Promise<api.Entitlement> {
    return this.single<api.Entitlement>(API.entitlementsReactivate, { serialNumber }, "once");
  }
  async regenerateToken(serialNumber: string): Promise<api.Entitlement> {
    return this.single<api.Entitlement>(API.entitlementsVmToken, { serialNumber }, "once");
  }
  async points(req: api.EntitlementsPointsRequest): Promise<api.PointsRow[]> {
    return this.list<api.PointsRow>(API.entitlementsPoints, req);
  }

  // Tools and groups
  async calc(req: api.ToolsCalcRequest): Promise<api.CalcResult> {
    const body = await this.call(API.toolsCalc.path, req, "read");
    // Fortinet's Ansible docs name the key "configs"; a third-party source says "points".
    const data = (body.configs ?? body.points) as api.CalcResult | number | undefined;
    if (typeof data === "number") return { current: data, latest: null, latestEffectiveDate: null };
    if (!data || typeof data.current !== "number") throw new FortiFlexApiError(API.toolsCalc.path, 200, "answer has no points figures");
    return data;
  }
  async listGroups(accountId?: api.NumericId): Promise<api.Group[]> {
    return this.list<api.Group>(API.groupsList, accountId === undefined ? {} : { accountId });
  }
  async nextToken(req: api.GroupsNextTokenRequest): Promise<api.Entitlement | undefined> {
    if (req.accountId === undefined && req.configId === undefined) throw new Error("groups/nexttoken needs accountId or configId");
    const items = await this.list<api.Entitlement>(API.groupsNextToken, req);
    return items[0];
  }

  /**
   * The objects under `key`. An answer without them is an error, never an empty list: reading "nothing
   * exists" from an answer we do not understand would create a duplicate or skip a stop.
   */
  private async list<T>(op: ApiOperation, body: object, repeat: RepeatClass = "read"): Promise<T[]> {
    const { path: operation, key } = op;
    const data = dataOf(await this.call(operation, body, repeat), key);
    const items = Array.isArray(data) ? data : data && typeof data === "object" ? [data] : undefined;
    if (!items || items.some((item) => !item || typeof item !== "object" || Array.isArray(item))) {
      throw new FortiFlexApiError(operation, 200, `the answer has no "${key}" list (got ${describe(data)}); refusing to read it as empty`);
    }
    return items as T[];
  }

  private async single<T>(op: ApiOperation, body: object, repeat: RepeatClass): Promise<T> {
    const items = await this.list<T>(op, body, repeat);
    if (items.length !== 1) throw new FortiFlexApiError(op.path, 200, `expected one object in "${op.key}", got ${items.length}`);
    return items[0];
  }

  /** Sends one API request with auth, timeout, retries and error mapping. */
  private async call(operation: string, body: object, repeat: RepeatClass): Promise<api.ApiEnvelope> {
    this.checkMaySend(operation);
    const request: RequestInFlight = { operation, body, repeat, attempt: 0, reauthenticated: false, rateLimitedMs: 0, rateLimited: 0 };
    for (;;) {
      request.attempt++;
      const started = Date.now();
      const event: AttemptEvent = (outcome, httpStatus, detail) =>
        this.options.onEvent?.({ operation, attempt: request.attempt, outcome, httpStatus, durationMs: Date.now() - started, detail });
      await this.waitForSharedPause(() => event("wait", undefined, "the API user met the rate limit in another request; waiting for its Retry-After"));
      let result: AttemptResult;
      try {
        result = await this.attempt(request, event);
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        result = { retryInMs: this.afterTransportError(e, request, event) };
      }
      if ("envelope" in result) return result.envelope;
      if (result.retryInMs !== undefined) await new Promise((r) => setTimeout(r, result.retryInMs));
    }
  }

  /** Refuses, before anything is sent, a change from a read-only client and a request to a host it may not use. */
  private checkMaySend(operation: string): void {
    if (this.options.readOnly && !READ_OPERATIONS.has(operation)) {
      throw new ReadOnlyError(
        `refusing to send ${operation}: this client only reads (a data source runs while Terraform plans; changes are made by the apply's steps)`,
      );
    }
    const host = this.options.allowNonFortinetHost ? undefined : nonFortinetHostProblem("api", this.apiUrl);
    if (host) throw new NonFortinetHostError(this.apiUrl, host);
  }

  /** One send: the answer's envelope, or a retry (at once after a re-authentication); throws what cannot be retried. */
  private async attempt(request: RequestInFlight, event: AttemptEvent): Promise<AttemptResult> {
    const token = await this.tokens.getToken();
    this.requestCount++;
    const res = await post(this.apiUrl + request.operation, JSON.stringify(request.body), {
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" },
      timeoutMs: this.timeoutMs,
    });
    const envelope = parseEnvelope(res.body);
    const ok = res.status < 400 && envelope !== undefined && (envelope.status === 0 || envelope.status === "0" || envelope.status === "success");
    if (ok) {
      event("ok", res.status);
      this.options.onAnswer?.(request.operation, request.body, envelope!);
      return { envelope: envelope! };
    }
    const message = envelope?.message ?? (res.body.slice(0, 200) || "no body");
    if (/invalid security token/i.test(message) && !request.reauthenticated) {
      // The token expired or was revoked server-side: the request was rejected, so resending is safe.
      request.reauthenticated = true;
      this.tokens.invalidate(token);
      event("retry", res.status, "access token rejected; authenticating again");
      request.attempt--;
      return {};
    }
    return { retryInMs: await this.afterRefusal(res, message, envelope, request, event) };
  }

  /** An answer that is not a success: how long to wait before the next attempt, or the error thrown. */
  private async afterRefusal(
    res: HttpResponse,
    message: string,
    envelope: api.ApiEnvelope | undefined,
    request: RequestInFlight,
    event: AttemptEvent,
  ): Promise<number> {
    const { operation, repeat } = request;
    const rejectedUnprocessed = res.status === 429 || res.status === 503;
    const transient = rejectedUnprocessed || res.status >= 500;
    const canRepeat = transient && (repeat !== "once" || rejectedUnprocessed);
    const retryAfter = retryAfterMs(res.headers["retry-after"]);
    const waitMs = retryAfter === undefined ? this.backoff(request.attempt) : Math.min(this.maxDelayMs, retryAfter);
    // Over the user's budget (not processed): not a failed attempt while the request's total rate-limit
    // wait stays under maxRateLimitWaitMs, so a fleet sharing one API user waits its turn.
    const uncounted = res.status === 429 && ++request.rateLimited <= MAX_UNCOUNTED_429 && request.rateLimitedMs + waitMs <= this.maxRateLimitWaitMs;
    if (!canRepeat || (request.attempt >= this.maxAttempts && !uncounted)) {
      event("error", res.status, message);
      const apiError = new FortiFlexApiError(operation, res.status, nameParametersInMessage(message), envelope?.error?.errorCode);
      if (transient && repeat === "once" && !rejectedUnprocessed) throw new AmbiguousOutcomeError(operation, apiError);
      if (transient) throw new RetriesExhaustedError(operation, request.attempt, apiError);
      throw apiError;
    }
    if (res.status === 429) {
      // Every process of this API user waits, not only this one.
      // Then paced: the budget frees requests one at a time, so the waiting processes send in turn.
      await this.pause?.extend(Date.now() + waitMs, Math.min(PACED_GAP_MS, Math.ceil(waitMs / 2)));
      request.rateLimitedMs += waitMs;
      if (uncounted) request.attempt--;
    }
    event("retry", res.status, `${message}; retrying in ${waitMs} ms`);
    return waitMs;
  }

  /** A request that got no answer, or one too large to read: how long to wait before the next attempt, or the error thrown. */
  private afterTransportError(e: TransportError, request: RequestInFlight, event: AttemptEvent): number {
    const { operation, repeat } = request;
    if (e.code === ANSWER_TOO_LARGE) {
      // Asking again gives the same answer; after a create, the create itself did happen (or may have).
      event("error", undefined, e.message);
      if (repeat === "once") throw new AmbiguousOutcomeError(operation, e);
      throw new FortiFlexApiError(operation, 200, e.message);
    }
    if (repeat === "once" && e.sent) {
      event("error", undefined, e.message);
      throw new AmbiguousOutcomeError(operation, e);
    }
    if (request.attempt >= this.maxAttempts) {
      event("error", undefined, e.message);
      throw new RetriesExhaustedError(operation, request.attempt, e);
    }
    const delayMs = this.backoff(request.attempt);
    event("retry", undefined, `${e.code}: ${e.message}; retrying in ${delayMs} ms`);
    return delayMs;
  }

  /**
   * Waits out a pause another process set for this API user, in its turn: the shared pause hands out send
   * slots so that the waiting processes do not all send in the same instant. A slot overtaken by a newer
   * pause (another process met a 429 meanwhile) is exchanged for a new one; after maxRateLimitWaitMs of such
   * waiting the request goes anyway.
   */
  private async waitForSharedPause(onWait: () => void): Promise<void> {
    if (!this.pause) return;
    const deadline = Date.now() + this.maxRateLimitWaitMs;
    let slot = await this.pause.reserve();
    while (slot > Date.now() && Date.now() < deadline) {
      onWait();
      await new Promise((r) => setTimeout(r, Math.min(this.maxDelayMs, slot - Date.now(), deadline - Date.now())));
      if (this.pause.until() > slot) slot = await this.pause.reserve();
    }
  }

  /** Capped exponential backoff with equal jitter (half fixed, half random), so retries spread out. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseEnvelope(text: string): api.ApiEnvelope | undefined {
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as api.ApiEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  return Array.isArray(value) ? "a list of non-objects" : typeof value;
}

/** The data of an answer; the legacy v1 key "vms" stands in for "entitlements" in some answers. */
function dataOf(envelope: api.ApiEnvelope, key: string): unknown {
  if (envelope[key] !== undefined) return envelope[key];
  return key === "entitlements" ? envelope.vms : undefined;
}
