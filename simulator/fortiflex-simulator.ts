import { API } from "../contract/api-operations";
import { ENDPOINT_PATHS, ENV } from "../contract/endpoints";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultPlan, type FaultRule } from "./fault-plan";
import { RequestBudget, type RequestBudgetOptions } from "./request-budget";
import { API_ROUTES } from "./api-routes";
import { SEEDS, type SeedName } from "./demo-seed";
import { ERROR_CODES, FortiFlexWorld, SimError, type SeedInfo, type SimUser, type WorldState } from "./fortiflex-world";

/**
 * A local FortiFlex service on 127.0.0.1: the FortiCloud token endpoint and the FortiFlex v2 API with the
 * same paths, bodies, envelopes and status codes Fortinet's clients see, plus control endpoints under
 * /__simulator/ for tests and demos.
 */

export const API_PATH = ENDPOINT_PATHS.api;
export const V1_GROUPS_PATH = "/ES/api/flexvm/v1/groups/list";
export const AUTH_PATH = ENDPOINT_PATHS.auth;
export const VERIFY_PATH = "/api/v1/oauth/verify_token/";
const SUCCESS_MESSAGE = "Request processed successfully.";

export interface SimulatorOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** Keep the world in this JSON file (loaded at start if present, saved after every change). */
  readonly stateFile?: string;
  readonly faults?: readonly FaultRule[];
  /** Access token lifetime. @default 3660 (what FortiCloud answers) */
  readonly tokenLifetimeSeconds?: number;
  /** Password of the seeded API users. @default random per start */
  readonly password?: string;
  /** A per-user budget of API requests (token requests are not counted), answered 429 with Retry-After. @default none */
  readonly requestBudget?: RequestBudgetOptions;
  /** Data to start with besides the tenants (only when no state file exists yet). @default none: no configurations or entitlements */
  readonly seed?: SeedName;
  /** The simulator's clock at start (epoch ms), moving on with the wall clock. @default the wall clock */
  readonly startTime?: number;
}

export interface LoggedRequest {
  readonly seq: number;
  readonly at: string;
  readonly operation: string;
  readonly username?: string;
  readonly httpStatus: number;
  readonly faults: string[];
  /** Request body with credentials removed. */
  readonly body: Record<string, unknown>;
}

interface Session {
  username: string;
  expiresAt: number;
}

export class FortiFlexSimulator {
  readonly faults: FaultPlan;
  readonly requests: LoggedRequest[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly spentRefreshTokens: string[] = [];
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  private budget?: RequestBudget;
  /** Number of access tokens handed out (password and refresh grants). */
  tokensIssued = 0;

  private constructor(
    readonly world: FortiFlexWorld,
    readonly seed: SeedInfo,
    private readonly server: http.Server,
    private readonly options: SimulatorOptions,
  ) {
    this.faults = new FaultPlan(options.faults ?? []);
    this.budget = options.requestBudget && new RequestBudget(options.requestBudget);
  }

  static async start(options: SimulatorOptions = {}): Promise<FortiFlexSimulator> {
    let { world, seed } = FortiFlexWorld.seeded(options.startTime ?? Date.now(), options.password);
    if (options.startTime !== undefined) world.state.clockOffsetMs = options.startTime - Date.now();
    if (options.seed) SEEDS[options.seed](world, seed);
    if (options.stateFile && fs.existsSync(options.stateFile)) {
      const saved = JSON.parse(fs.readFileSync(options.stateFile, "utf8")) as { state: WorldState; seed: SeedInfo };
      world = new FortiFlexWorld(saved.state);
      seed = saved.seed;
    }
    const server = http.createServer();
    const sim = new FortiFlexSimulator(world, seed, server, options);
    server.on("request", (req, res) => void sim.handle(req, res));
    server.on("connection", (s) => {
      sim.sockets.add(s);
      s.on("close", () => sim.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
    });
    sim.port = (server.address() as AddressInfo).port;
    sim.save();
    return sim;
  }

  /** The port, fixed once listening (still readable after stop). */
  port = 0;
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get apiUrl(): string {
    return this.baseUrl + API_PATH;
  }
  get authUrl(): string {
    return this.baseUrl + AUTH_PATH;
  }

  /** Environment for a client or handler process pointed at this simulator as the seeded MSSP user. */
  env(user: { username: string; password: string } = this.seed): Record<string, string> {
    return { [ENV.apiUrl]: this.apiUrl, [ENV.authUrl]: this.authUrl, [ENV.username]: user.username, [ENV.password]: user.password };
  }

  /** Every access and refresh token handed out so far (for secret scans in tests). */
  issuedTokens(): string[] {
    return [...this.sessions.keys(), ...this.refreshTokens.keys(), ...this.spentRefreshTokens];
  }

  /** Turns the per-user request budget on (with an empty window) or off while running, e.g. between benchmark phases. */
  setRequestBudget(budget: RequestBudgetOptions | undefined): void {
    this.budget = budget && new RequestBudget(budget);
  }

  /** Expires every access token now (what FortiCloud does after `expires_in`). */
  expireTokens(): void {
    for (const s of this.sessions.values()) s.expiresAt = 0;
  }

  /** Client connections open now (a killed client's close once the kernel drops it). */
  get openConnections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private save(): void {
    if (!this.options.stateFile) return;
    const tmp = `${this.options.stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ state: this.world.state, seed: this.seed }, null, 1), { mode: 0o600 });
    fs.renameSync(tmp, this.options.stateFile);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    if (url.pathname.startsWith("/__simulator/")) return this.control(url, raw, res);
    const operation = operationOf(url.pathname);
    const faults = this.faults.take(operation);
    const exchange: Exchange = {
      req,
      res,
      dropAfterCommit: faults.some((f) => f.kind === "commit-then-drop"),
      log: (httpStatus, username, body) =>
        this.requests.push({
          seq: ++this.seq,
          at: new Date().toISOString(),
          operation,
          username,
          httpStatus,
          faults: faults.map((f) => f.kind),
          body: redact(body),
        }),
    };
    if (await this.answeredByFault(faults, exchange)) return;
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, req.headers["content-type"]);
    } catch {
      exchange.log(400, undefined, {});
      return send(res, 400, { status: -1, message: "Request body is not valid JSON.", error: { errorCode: ERROR_CODES.invalid } });
    }
    if (operation === "auth") return this.answerAuth(body, exchange);
    if (operation === "verify") return this.answerVerify(exchange);
    return this.answerApi(operation, body, exchange);
  }

  /** Plays the faults planned for this request; true when one of them was the answer. */
  private async answeredByFault(faults: FaultRule[], { req, res, log }: Exchange): Promise<boolean> {
    const latency = faults.find((f) => f.kind === "latency");
    // Unref'd: a slow answer still pending when the simulator stops must not keep its process alive.
    if (latency) await new Promise((r) => setTimeout(r, latency.latencyMs ?? 1000).unref());
    if (faults.some((f) => f.kind === "hold")) await this.faults.hold();
    if (faults.some((f) => f.kind === "reset")) {
      log(0, undefined, {});
      req.socket.destroy();
      return true;
    }
    const rateLimit = faults.find((f) => f.kind === "rate-limit");
    const serverError = faults.find((f) => f.kind === "server-error");
    if (rateLimit) {
      log(429, undefined, {});
      tooManyRequests(res, rateLimit.retryAfterSeconds ?? 1);
    } else if (serverError) {
      const status = serverError.status ?? 503;
      log(status, undefined, {});
      send(res, status, { status: -1, message: "Service temporarily unavailable.", error: { errorCode: status } });
    } else if (faults.some((f) => f.kind === "empty-success")) {
      log(200, undefined, {});
      send(res, 200, { status: 0, message: "Request processed successfully.", error: null });
    } else {
      return false;
    }
    return true;
  }

  private answerAuth(body: Record<string, unknown>, { req, res, log, dropAfterCommit }: Exchange): void {
    const [status, answer, username] = this.authenticate(body);
    log(status, username, body);
    if (dropAfterCommit) return void req.socket.destroy();
    send(res, status, answer);
  }

  private answerVerify({ req, res, log }: Exchange): void {
    const session = this.session(req);
    log(session ? 200 : 401, session?.username, {});
    send(
      res,
      session ? 200 : 401,
      session ? { expires_in: Math.max(0, Math.round((session.expiresAt - Date.now()) / 1000)), status: "success" } : { error: "invalid_token" },
    );
  }

  /** An API call: POST only, a valid access token, within the user's request budget; then the operation itself. */
  private answerApi(operation: string, body: Record<string, unknown>, { req, res, log, dropAfterCommit }: Exchange): void {
    if (req.method !== "POST") {
      log(405, undefined, body);
      return send(res, 405, { status: -1, message: "Method not allowed; all FortiFlex API calls are POST.", error: { errorCode: 405 } });
    }
    const session = this.session(req);
    if (!session) {
      log(401, undefined, body);
      return send(res, 401, { status: -1, message: "Invalid security token.", error: { errorCode: ERROR_CODES.auth } });
    }
    const user = this.world.user(session.username)!;
    const waitMs = this.budget?.take(user.username);
    if (waitMs !== undefined) {
      log(429, user.username, body);
      return tooManyRequests(res, Math.max(1, Math.ceil(waitMs / 1000)));
    }
    try {
      const [key, data, changed] = this.dispatch(operation, user, body);
      if (changed) this.save();
      log(200, user.username, body);
      if (dropAfterCommit) return void req.socket.destroy();
      send(res, 200, { [key]: data, error: null, message: SUCCESS_MESSAGE, status: 0 });
    } catch (e) {
      const err = e instanceof SimError ? e : new SimError(500, "Internal server error.", 500);
      if (!(e instanceof SimError)) console.error(e);
      log(err.httpStatus, user.username, body);
      send(res, err.httpStatus, { status: -1, message: err.message, error: { errorCode: err.errorCode, message: err.message } });
    }
  }

  /** Runs one API operation: [data key, data, whether the world changed]. */
  private dispatch(operation: string, user: SimUser, body: Record<string, unknown>): [string, unknown, boolean] {
    const route = API_ROUTES.get(operation);
    if (!route) throw new SimError(404, `Unknown API endpoint ${operation}.`, 404);
    if (route.writes && user.access !== "ReadWrite")
      throw new SimError(403, "Permission denied: the API user has read-only access to FortiFlex.", ERROR_CODES.permission);
    return [route.key, route.run(this.world, user, body), route.writes];
  }

  private authenticate(body: Record<string, unknown>): [number, Record<string, unknown>, string | undefined] {
    const invalid = (description: string): [number, Record<string, unknown>, undefined] => [
      401,
      { error: "invalid_grant", error_description: description, status: "failed" },
      undefined,
    ];
    if (body.client_id !== "flexvm") return [400, { error: "invalid_client", error_description: "Invalid client_id.", status: "failed" }, undefined];
    let username: string | undefined;
    if (body.grant_type === "password") {
      const user = this.world.user(String(body.username ?? ""));
      if (!user || user.password !== body.password) return invalid("Invalid credentials given.");
      username = user.username;
    } else if (body.grant_type === "refresh_token") {
      username = this.refreshTokens.get(String(body.refresh_token ?? ""));
      if (!username) return invalid("Invalid refresh token.");
      this.refreshTokens.delete(String(body.refresh_token));
      this.spentRefreshTokens.push(String(body.refresh_token));
    } else {
      return [400, { error: "unsupported_grant_type", error_description: "grant_type must be password or refresh_token.", status: "failed" }, undefined];
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3660;
    const accessToken = randomToken();
    const refreshToken = randomToken();
    this.sessions.set(accessToken, { username, expiresAt: Date.now() + lifetime * 1000 });
    this.refreshTokens.set(refreshToken, username);
    this.tokensIssued++;
    return [
      200,
      {
        access_token: accessToken,
        expires_in: lifetime,
        token_type: "Bearer",
        scope: "read write",
        refresh_token: refreshToken,
        message: "successfully authenticated",
        status: "success",
      },
      username,
    ];
  }

  private session(req: http.IncomingMessage): Session | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    const session = match ? this.sessions.get(match[1]) : undefined;
    return session && session.expiresAt > Date.now() ? session : undefined;
  }

  private control(url: URL, raw: string, res: http.ServerResponse): void {
    try {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      switch (url.pathname) {
        case "/__simulator/state":
          return send(res, 200, this.world.state);
        case "/__simulator/requests":
          return send(
            res,
            200,
            this.requests.filter((r) => r.seq > Number(url.searchParams.get("since") ?? 0)),
          );
        case "/__simulator/faults":
          this.faults.set(FaultPlan.parse(JSON.stringify(body.rules ?? [])));
          return send(res, 200, { ok: true });
        case "/__simulator/faults/release":
          return send(res, 200, { released: this.faults.release() });
        case "/__simulator/tokens/use": {
          const e = this.world.useToken(String(body.token ?? ""));
          this.save();
          return send(res, 200, { serialNumber: e.serialNumber, status: e.status, tokenStatus: e.tokenStatus });
        }
        case "/__simulator/programs/balance":
          this.world.state.pointsBalance = { ...this.world.state.pointsBalance, [String(body.serialNumber)]: Number(body.balance) };
          this.save();
          return send(res, 200, { ok: true });
        case "/__simulator/clock":
          this.world.state.clockOffsetMs += Number(body.advanceDays ?? 0) * 86_400_000;
          this.save();
          return send(res, 200, { now: new Date(this.world.now()).toISOString() });
        default:
          return send(res, 404, { error: `unknown control endpoint ${url.pathname}` });
      }
    } catch (e) {
      send(res, e instanceof SimError ? e.httpStatus : 400, { error: (e as Error).message });
    }
  }
}

/** One request being answered: where to answer, how to log it, and whether to drop the connection after a change. */
interface Exchange {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly dropAfterCommit: boolean;
  readonly log: (httpStatus: number, username: string | undefined, body: Record<string, unknown>) => void;
}

/** The operation a path names: "auth", "verify", or an API path after the base ("configs/create"). */
function operationOf(pathname: string): string {
  if (pathname === AUTH_PATH) return "auth";
  if (pathname === VERIFY_PATH) return "verify";
  if (pathname === V1_GROUPS_PATH) return API.groupsList.path;
  return pathname.startsWith(API_PATH) ? pathname.slice(API_PATH.length).replace(/\/+$/, "") : pathname;
}

function tooManyRequests(res: http.ServerResponse, retryAfterSeconds: number): void {
  send(res, 429, { status: -1, message: "Too many requests.", error: { errorCode: 429 } }, { "Retry-After": String(retryAfterSeconds) });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Accepts no body, `{}`, the JSON string `""` (all seen from Fortinet clients) and form bodies for auth. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw.trim()) return {};
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  const parsed = JSON.parse(raw) as unknown;
  if (parsed === "" || parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("body must be an object");
  return parsed as Record<string, unknown>;
}

function redact(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  for (const key of ["password", "refresh_token", "access_token"]) if (key in copy) copy[key] = "<redacted>";
  return copy;
}

function randomToken(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.randomBytes(30), (b) => alphabet[b % alphabet.length]).join("");
}
