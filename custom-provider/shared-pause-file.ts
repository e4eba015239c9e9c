import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type { TokenCacheFile } from "./token-cache-file";

/**
 * When the API user may send again, shared by the handler processes of one runner (Terraform runs up to 10
 * at once, a CI runner several plans): FortiFlex limits requests per API user, so one process's 429 means
 * every process of that user should wait, instead of each spending its own retries on more 429s. Kept
 * beside the user's token cache, with the same checks (a private directory, files only we own).
 */
export class SharedPauseFile {
  readonly file: string;

  constructor(private readonly cache: TokenCacheFile) {
    this.file = cache.file.replace(/\.json$/, ".pause.json");
  }

  /** Epoch milliseconds before which no request should be sent; 0 when there is no pause. */
  until(): number {
    if (!this.cache.safeDirectory()) return 0;
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
      const stat = fs.fstatSync(fd);
      const uid = typeof process.getuid === "function" ? process.getuid() : stat.uid;
      if (!stat.isFile() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return 0;
      const until = (JSON.parse(fs.readFileSync(fd, "utf8")) as { until?: unknown }).until;
      return typeof until === "number" && Number.isFinite(until) ? until : 0;
    } catch {
      return 0;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Pauses every process of this user until `until`, unless a later pause is already set. */
  extend(until: number): void {
    if (until <= this.until()) return;
    this.cache.ensureDirectory();
    const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    try {
      fs.writeFileSync(fd, JSON.stringify({ until }));
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}
