import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { withFileLock } from "./file-lock";
import { ensurePrivateDirectory, isPrivateDirectory } from "./private-directory";
import { readPrivateJson, writePrivateJson } from "./private-json-file";

/** What is kept between handler processes. Stored with 0600 permissions; never printed. */
export interface CachedToken {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/**
 * A token cache shared by concurrent handler processes (Terraform runs up to 10 provisioners at once).
 * One file per auth URL + credentials; writes are atomic (temp file + rename); a lock file serialises
 * refreshes so that only one process authenticates per token lifetime.
 */
export class TokenCacheFile {
  readonly file: string;
  private readonly lockFile: string;

  constructor(dir: string, authUrl: string, username: string, password: string) {
    // The password is part of the key so that a rotated password never reuses a stale token.
    const id = crypto.createHash("sha256").update(`${authUrl}\n${username}\n${password}`).digest("hex").slice(0, 32);
    this.file = path.join(dir, `fortiflex-token-${id}.json`);
    this.lockFile = `${this.file}.lock`;
  }

  static defaultDir(): string {
    return path.join(os.tmpdir(), `fortiflex-cache-${typeof process.getuid === "function" ? process.getuid() : "user"}`);
  }

  /** The cached token, if the file is ours: not a link, owned by us, readable by nobody else. */
  read(): CachedToken | undefined {
    if (!this.safeDirectory()) return undefined;
    const parsed = readPrivateJson(this.file) as Partial<CachedToken> | undefined;
    return typeof parsed?.accessToken === "string" && typeof parsed.expiresAt === "number" ? (parsed as CachedToken) : undefined;
  }

  write(token: CachedToken): void {
    this.ensureDirectory();
    writePrivateJson(this.file, token);
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }

  /** Runs `fn` while holding the cache's lock (see withFileLock). */
  async withLock<T>(fn: () => Promise<T>, staleMs = 30_000, waitMs = 60_000): Promise<T> {
    this.ensureDirectory();
    return withFileLock(this.lockFile, fn, staleMs, waitMs);
  }

  /** Creates the directory (0700) or checks the one there; throws when it is not safe to use. */
  ensureDirectory(): void {
    ensurePrivateDirectory(path.dirname(this.file));
  }

  /** False when the directory does not exist yet; throws when it is not safe (see isPrivateDirectory). */
  safeDirectory(): boolean {
    return isPrivateDirectory(path.dirname(this.file));
  }
}
