/**
 * The environment Terraform runs with in the pipeline: only what Terraform, its providers and the FortiFlex
 * handler need. Terraform hands its environment to every provider, provisioner and external program, and
 * those run the code under review; so the runner's own variables stay out: the OIDC request token (which
 * mints tokens for any audience), the job token, artifact and cache credentials, and NODE_OPTIONS.
 *
 *   node dist/gitops/terraform-environment.js terraform <args...>   -> runs terraform with that environment
 */
import { spawnSync } from "node:child_process";
import { isScript } from "./script-entry";

/** Names passed through: Terraform's and azurerm's settings, FortiFlex credentials and handler settings, the basics of a shell. */
const ALLOWED = [/^(PATH|HOME|TMPDIR|LANG|LC_ALL|TZ|CHECKPOINT_DISABLE)$/, /^TF_(IN_AUTOMATION|INPUT|LOG|LOG_PATH|CLI_CONFIG_FILE|PLUGIN_CACHE_DIR)$/, /^TF_VAR_[A-Za-z0-9_]+$/, /^ARM_[A-Z0-9_]+$/, /^FORTIFLEX_[A-Z0-9_]+$/];
/** Never passed, whatever the patterns say: azurerm's own names for the OIDC request, and FortiFlex endpoints (the stack declares them). */
const REFUSED = /^(ARM_OIDC_REQUEST_(URL|TOKEN)|FORTIFLEX_(API|AUTH)_URL)$/;

export function terraformEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string" && ALLOWED.some((p) => p.test(e[0])) && !REFUSED.test(e[0])));
}

if (isScript("terraform-environment")) {
  const [command, ...args] = process.argv.slice(2);
  if (command !== "terraform") {
    process.stderr.write("usage: terraform-environment terraform <args...>\n");
    process.exit(2);
  }
  const res = spawnSync(command, args, { stdio: "inherit", env: terraformEnvironment(process.env) });
  if (res.error) {
    process.stderr.write(`terraform-environment: ${res.error.message}\n`);
    process.exit(127);
  }
  process.exit(res.status ?? 1);
}
