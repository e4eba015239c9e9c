import * as fs from "node:fs";
import * as path from "node:path";
import { Terraform as TerraformRunner, terraformVersion, type TerraformOptions } from "../../local-providers/terraform-runner";
import { TEST_FRAMEWORK } from "./framework";

/**
 * The runner the suites use: providers reattached (started once per stack directory and environment) unless a
 * test needs terraform to start and stop them itself (killing terraform mid-apply, provider lifecycle).
 */
export type { TerraformOptions };

export class Terraform extends TerraformRunner {
  constructor(dir: string, env: Record<string, string>, options: TerraformOptions = {}) {
    super(dir, env, { providers: "reattach", ...options });
  }
}

/**
 * Real terraform for end-to-end tests, with the project's local null and external providers (nothing is
 * downloaded). Suites that need it use `describeWithTerraform`, which says loudly whether they run and how
 * many terraform commands they took; with FORTIFLEX_TERRAFORM_REPORT set, it also appends that line to the
 * file, which .ci/run checks against the suites it expects (.ci/check-terraform-suites.js).
 */
export const TERRAFORM_VERSION = terraformVersion();

/** `[framework] RAN|SKIPPED "suite" in file: ...`, the form .ci/check-terraform-suites.js reads. */
function report(outcome: "RAN" | "SKIPPED", name: string, text: string): void {
  const file = path.relative(path.join(__dirname, "..", ".."), expect.getState().testPath ?? "unknown");
  const line = `[${TEST_FRAMEWORK}] ${outcome} "${name}" in ${file}: ${text}`;
  console.log(line);
  if (process.env.FORTIFLEX_TERRAFORM_REPORT) fs.appendFileSync(process.env.FORTIFLEX_TERRAFORM_REPORT, `${line}\n`);
}

export function describeWithTerraform(name: string, body: () => void): void {
  if (!TERRAFORM_VERSION) {
    report("SKIPPED", name, "terraform is not on PATH");
    describe.skip(`${name} (SKIPPED: terraform is not on PATH)`, body);
    return;
  }
  describe(`${name} [real ${TERRAFORM_VERSION}]`, () => {
    // Real terraform runs take seconds each, more when the machine is busy with other suites.
    jest.setTimeout(120_000);
    let before = 0;
    let started = 0;
    beforeAll(() => {
      before = Terraform.commandsRun;
      started = Date.now();
    });
    afterAll(() =>
      report(
        "RAN",
        name,
        `${TERRAFORM_VERSION}, ${Terraform.commandsRun - before} terraform commands (local null/external providers), ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
    );
    body();
  });
}
