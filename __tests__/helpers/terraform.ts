import * as fs from "node:fs";
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
 * file (.ci/run prints it).
 */
export const TERRAFORM_VERSION = terraformVersion();

function report(text: string): void {
  const line = `[${TEST_FRAMEWORK}] ${text}`;
  console.log(line);
  if (process.env.FORTIFLEX_TERRAFORM_REPORT) fs.appendFileSync(process.env.FORTIFLEX_TERRAFORM_REPORT, `${line}\n`);
}

export function describeWithTerraform(name: string, body: () => void): void {
  if (!TERRAFORM_VERSION) {
    report(`SKIPPED "${name}": terraform is not on PATH`);
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
        `RAN "${name}" on ${TERRAFORM_VERSION}: ${Terraform.commandsRun - before} terraform commands (local null/external providers), ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
    );
    body();
  });
}
