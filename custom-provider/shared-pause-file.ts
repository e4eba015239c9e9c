import { withFileLock } from "./file-lock";
import { readPrivateJson, writePrivateJson } from "./private-json-file";
import type { TokenCacheFile } from "./token-cache-file";

/** What the pause file holds: no request before `until`; while the user is paced, one send per `gapMs`, the next free at `next`. */
interface Pause {
  readonly until: number;
  readonly gapMs: number;
  readonly next: number;
}

/**
 * When the API user may send again, shared by the handler processes of one runner (Terraform runs up to 10
 * at once, a CI runner several plans): FortiFlex limits requests per API user, so one process's 429 means
 * every process of that user should wait. When the pause ends they do not all send at once (the budget frees
 * a request at a time, and a crowd would meet another 429 each): each takes the next send slot, `gapMs`
 * apart, until none is waiting. Kept beside the user's token cache, with the same checks (a private
 * directory, files only we own).
 */
export class SharedPauseFile {
  readonly file: string;

  constructor(private readonly cache: TokenCacheFile) {
    this.file = cache.file.replace(/\.json$/, ".pause.json");
  }

  /** The current pause; nothing to wait for when it is over and no slot lies ahead. */
  private read(): Pause {
    if (!this.cache.safeDirectory()) return { until: 0, gapMs: 0, next: 0 };
    const p = readPrivateJson(this.file) as Partial<Pause> | undefined;
    const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
    return { until: n(p?.until), gapMs: n(p?.gapMs), next: n(p?.next) };
  }

  /** Epoch milliseconds before which no request should be sent; 0 when there is no pause. */
  until(): number {
    return this.read().until;
  }

  /**
   * When this process may send (epoch milliseconds): `now` when the user is neither paused nor paced; else
   * the next free slot, which it takes.
   */
  async reserve(now = Date.now()): Promise<number> {
    const seen = this.read();
    if (seen.until <= now && seen.next <= now) return now;
    return withFileLock(`${this.file}.lock`, async () => {
      const p = this.read();
      const slot = Math.max(now, p.until, p.next);
      writePrivateJson(this.file, { ...p, next: slot + p.gapMs });
      return slot;
    });
  }

  /** After a 429: pauses every process of this user until `until`, then paces them `gapMs` apart. */
  async extend(until: number, gapMs: number): Promise<void> {
    this.cache.ensureDirectory();
    await withFileLock(`${this.file}.lock`, async () => {
      const p = this.read();
      if (until > p.until) writePrivateJson(this.file, { until, gapMs, next: Math.max(p.next, until) });
    });
  }
}
