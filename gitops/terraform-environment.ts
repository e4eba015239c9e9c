/**
 * The environment Terraform runs with in the pipeline: only what Terraform, its providers and the FortiFlex
 * handler need. Terraform hands its environment to every provider, provisioner and external program, and
 * those run the code under review; so the runner's own variables stay out: the OIDC request token (which
 * mints tokens for any audience), the job token, artifact and cache credentials, and NODE_OPTIONS. With
 * `--as <user>` Terraform runs as that user (through sudo, its environment given whole on the command
 * line): what it runs can then neither read the job's processes, whose environment holds those variables,
 * nor write the judge's files.
 *
 *   fortiflex gitops terraform-environment [--as <user>] terraform <args...>
 */
import { spawnSync } from "node:child_process";
import { type GitopsCommand, usageMistake } from "./gitops-command";

/** Names passed through: Terraform's and azurerm's settings, FortiFlex credentials and handler settings, the basics of a shell. */
const ALLOWED = [
  /^(PATH|HOME|TMPDIR|LANG|LC_ALL|TZ|CHECKPOINT_DISABLE)$/,
  /^TF_(IN_AUTOMATION|INPUT|LOG|LOG_PATH|CLI_CONFIG_FILE|PLUGIN_CACHE_DIR)$/,
  /^TF_VAR_[A-Za-z0-9_]+$/,
  /^ARM_[A-Z0-9_]+$/,
  /^FORTIFLEX_[A-Z0-9_]+$/,
];
/** Never passed, whatever the patterns say: azurerm's own names for the OIDC request, and FortiFlex endpoints (the stack declares them). */
const REFUSED = /^(ARM_OIDC_REQUEST_(URL|TOKEN)|FORTIFLEX_(API|AUTH)_URL)$/;

export function terraformEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string" && ALLOWED.some((p) => p.test(e[0])) && !REFUSED.test(e[0])),
  );
}

/** The command that runs `terraform args` with `env`, as `user` when given (sudo, then env -i: nothing else is inherited). */
export function terraformCommand(
  env: Record<string, string>,
  args: readonly string[],
  user?: string,
): { file: string; args: string[]; env: Record<string, string> } {
  if (!user) return { file: "terraform", args: [...args], env };
  return {
    file: "sudo",
    args: ["-n", "-u", user, "env", "-i", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), "terraform", ...args],
    env: { PATH: env.PATH ?? "" },
  };
}

export const terraformEnvironmentCommand: GitopsCommand = {
  name: "terraform-environment",
  usage: "[--as <user>] terraform <args...>",
  summary: "Terraform with only the environment it needs",
  run(argv, io) {
    const user = argv[0] === "--as" ? argv[1] : undefined;
    const [command, ...args] = user ? argv.slice(2) : argv;
    if (command !== "terraform" || (argv[0] === "--as" && !/^[a-z_][a-z0-9_-]*$/.test(user ?? ""))) {
      return usageMistake(terraformEnvironmentCommand, io);
    }
    const run = terraformCommand(terraformEnvironment(io.env), args, user);
    // Terraform reads and writes the terminal itself: the process's own streams, not io's.
    const res = spawnSync(run.file, run.args, { stdio: "inherit", env: run.env });
    if (res.error) {
      io.stderr.write(`terraform-environment: ${res.error.message}\n`);
      return 127;
    }
    return res.status ?? 1;
  },
};
