import * as fs from "node:fs";
import * as path from "node:path";
import { ENV } from "../contract/endpoints";
import { currentTerraformRun } from "./graph-walk";
import { ensurePrivateDirectory, isPrivateDirectory } from "./private-directory";
import { TokenCacheFile } from "./token-cache-file";

/** Records of runs older than this are removed when a step writes its own. */
const KEEP_MS = 7 * 86_400_000;

/**
 * Which Terraform runs on this machine have run a step that changes FortiFlex: one empty file per run (the
 * terraform process), beside the token caches. A read that could answer from the plan's observation does so
 * only when its run has run no such step, whatever Terraform's walks look like: an observation read beside
 * or before a step (by a future engine, or a data source someone gave dependencies) is never trusted.
 */
export class TerraformRunWrites {
  constructor(private readonly dir: string) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): TerraformRunWrites {
    return new TerraformRunWrites(env[ENV.tokenCacheDir] || TokenCacheFile.defaultDir());
  }

  /**
   * Before a step changes anything: records that its run writes. A step not started by Terraform, or where
   * processes cannot be inspected, has no run, and no read of its run trusts an observation either.
   */
  recordStep(): void {
    const run = currentTerraformRun("step");
    if (!run) return;
    ensurePrivateDirectory(this.dir);
    fs.writeFileSync(this.file(run), "", { mode: 0o600 });
    this.removeOld();
  }

  /** Whether the run of this data source has run a changing step, or cannot be told (then: as if it had). */
  writtenInThisRun(): boolean {
    const run = currentTerraformRun("dataSource");
    return !run || !isPrivateDirectory(this.dir) || fs.existsSync(this.file(run));
  }

  private file(run: string): string {
    return path.join(this.dir, `terraform-run-${run.replace(":", "-")}.wrote`);
  }

  private removeOld(): void {
    for (const name of fs.readdirSync(this.dir)) {
      if (!/^terraform-run-\d+-\d+\.wrote$/.test(name)) continue;
      const file = path.join(this.dir, name);
      try {
        if (Date.now() - fs.statSync(file).mtimeMs > KEEP_MS) fs.rmSync(file, { force: true });
      } catch {
        // Removed by another process meanwhile.
      }
    }
  }
}
