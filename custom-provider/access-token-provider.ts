import { ENV, nonFortinetHostProblem } from "../contract/endpoints";
import { AuthenticationError, NonFortinetHostError } from "./errors";
import { post } from "./http-transport";
import type { Credentials } from "./settings";
import type { CachedToken, TokenCacheFile } from "./token-cache-file";
import type { TokenResponse } from "../contract/api-types";

/** Refresh this long before the token expires, so a request never leaves with a token about to die. */
const EXPIRY_MARGIN_MS = 120_000;

export interface AccessTokenProviderOptions {
  readonly authUrl: string;
  readonly credentials: Credentials;
  readonly timeoutMs: number;
  /** Shared cache across processes; without it the token lives only in this process. */
  readonly cache?: TokenCacheFile;
  readonly now?: () => number;
  /** Send the credentials to a token endpoint that is neither Fortinet's nor loopback. @default false */
  readonly allowNonFortinetHost?: boolean;
}

/**
 * Gets FortiCloud OAuth access tokens for FortiFlex (`client_id` "flexvm"): password grant, refresh grant
 * before expiry, and a cache shared by concurrent processes.
 */
export class AccessTokenProvider {
  private memory?: CachedToken;
  private readonly now: () => number;
  /** Number of calls made to the token endpoint by this provider (for tests and verbose output). */
  authCalls = 0;

  constructor(private readonly options: AccessTokenProviderOptions) {
    this.now = options.now ?? Date.now;
  }

  async getToken(): Promise<string> {
    const fresh = (t?: CachedToken) => t && t.expiresAt - EXPIRY_MARGIN_MS > this.now();
    if (fresh(this.memory)) return this.memory!.accessToken;
    const cache = this.options.cache;
    if (!cache) {
      this.memory = await this.obtain(this.memory);
      return this.memory.accessToken;
    }
    const cached = cache.read();
    if (fresh(cached)) return (this.memory = cached!).accessToken;
    this.memory = await cache.withLock(async () => {
      // Another process may have refreshed while this one waited for the lock.
      const again = cache.read();
      if (fresh(again)) return again!;
      const token = await this.obtain(again);
      cache.write(token);
      return token;
    });
    return this.memory.accessToken;
  }

  /** Forgets a token the API rejected, so the next getToken() authenticates again. */
  invalidate(rejected: string): void {
    if (this.memory?.accessToken === rejected) this.memory = undefined;
    const cache = this.options.cache;
    if (cache && cache.read()?.accessToken === rejected) cache.remove();
  }

  private async obtain(previous?: CachedToken): Promise<CachedToken> {
    if (previous?.refreshToken) {
      try {
        return await this.grant({ grant_type: "refresh_token", refresh_token: previous.refreshToken });
      } catch (e) {
        if (!(e instanceof AuthenticationError)) throw e;
        // A revoked or expired refresh token: fall back to the password grant.
      }
    }
    const { username, password } = this.options.credentials;
    return this.grant({ grant_type: "password", username, password });
  }

  private async grant(fields: Record<string, string>): Promise<CachedToken> {
    const host = this.options.allowNonFortinetHost ? undefined : nonFortinetHostProblem("auth", this.options.authUrl);
    if (host) throw new NonFortinetHostError(this.options.authUrl, host);
    this.authCalls++;
    const started = this.now();
    const res = await post(this.options.authUrl, JSON.stringify({ ...fields, client_id: "flexvm" }), {
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      timeoutMs: this.options.timeoutMs,
    });
    let body: Partial<TokenResponse> & { error?: string; error_description?: string } = {};
    try {
      body = JSON.parse(res.body);
    } catch {
      // Non-JSON answers are reported by status below.
    }
    if (res.status >= 400 || !body.access_token) {
      const reason = body.error_description || body.error || body.message || `HTTP ${res.status}`;
      const what = fields.grant_type === "password" ? "FortiCloud rejected the API user credentials" : "FortiCloud rejected the refresh token";
      throw new AuthenticationError(`${what} (HTTP ${res.status}: ${reason}); check ${ENV.username} / ${ENV.password}`);
    }
    const lifetimeMs = (typeof body.expires_in === "number" ? body.expires_in : 3600) * 1000;
    return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresAt: started + lifetimeMs };
  }
}
