import { execFile } from "node:child_process";
import type { CheckResult } from "./check-result";
import { compareVersions } from "./node-version-check";

/** The oldest Terraform the synthesized stacks work with (CONTRIBUTING: "terraform 1.4 or later"). */
export const MINIMUM_TERRAFORM = "1.4";

/** `terraform version -json` from the PATH of `env`; its version against MINIMUM_TERRAFORM. */
export async function terraformVersionCheck(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const fail = (detail: string): CheckResult => ({ check: "terraform", status: "FAIL", detail });
  let printed: string;
  try {
    // CHECKPOINT_DISABLE: `terraform version` otherwise asks HashiCorp whether it is outdated; doctor sends nothing.
    printed = await new Promise<string>((resolve, reject) =>
      execFile("terraform", ["version", "-json"], { env: { ...env, CHECKPOINT_DISABLE: "1" }, timeout: 30_000 }, (e, stdout) =>
        e ? reject(e) : resolve(stdout),
      ),
    );
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return fail(`terraform is not on PATH: install Terraform ${MINIMUM_TERRAFORM} or later`);
    return fail(`terraform version -json failed (${err.message.split("\n")[0].slice(0, 200)})`);
  }
  let version: unknown;
  let platform: unknown;
  try {
    ({ terraform_version: version, platform } = JSON.parse(printed) as { terraform_version?: unknown; platform?: unknown });
  } catch {
    // Terraform before 0.13 has no -json: it prints text.
  }
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+/.test(version))
    return fail(`terraform version -json printed no version (Terraform before 0.13?): install Terraform ${MINIMUM_TERRAFORM} or later`);
  const numeric = /^\d+\.\d+\.\d+/.exec(version)![0];
  if (compareVersions(numeric, MINIMUM_TERRAFORM) < 0)
    return fail(`Terraform ${version} is older than the library needs (>= ${MINIMUM_TERRAFORM}): upgrade it`);
  return {
    check: "terraform",
    status: "ok",
    detail: `Terraform ${version}${typeof platform === "string" ? ` (${platform})` : ""}; the library needs >= ${MINIMUM_TERRAFORM}`,
  };
}
