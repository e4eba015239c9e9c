import { readPrivateJson, writePrivateJson } from "./private-json-file";
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
    const until = (readPrivateJson(this.file) as { until?: unknown } | undefined)?.until;
    return typeof until === "number" && Number.isFinite(until) ? until : 0;
  }

  /** Pauses every process of this user until `until`, unless a later pause is already set. */
  extend(until: number): void {
    if (until <= this.until()) return;
    this.cache.ensureDirectory();
    writePrivateJson(this.file, { until });
  }
}
