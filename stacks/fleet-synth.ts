import * as fs from "node:fs";
import * as path from "node:path";
import type { App } from "cdktf";
import type { FortiFlexEndpoints } from "../constructs/fortiflex-endpoints";
import { buildCustomerStacks, selectedCustomers } from "./customer-app";
import { CustomersFileError } from "./customers-file";
import { printSynthSummary } from "./synth-summary";

/** The customers file of a fleet repository, beside its package.json. */
export const FLEET_CUSTOMERS_FILE = "customers.yaml";

/** How a fleet is synthesized: `synthesizeFleet`'s options. */
export interface FleetSynthOptions {
  /**
   * The customers file. The environment variable FORTIFLEX_CUSTOMERS_FILE wins over it (an operator's
   * one-off run, `fortiflex doctor`, tests).
   * @default "customers.yaml"
   */
  readonly customersFile?: string;
  /**
   * FortiFlex endpoints for every customer; they win over the customers file's `fortiflex.endpoints`, so code
   * that sets them cannot be redirected by a change of the file alone.
   * @default - each customer's `fortiflex.endpoints`, else Fortinet's FortiFlex service
   */
  readonly endpoints?: FortiFlexEndpoints;
  /**
   * Let the customers file send the FortiFlex credentials to a host other than Fortinet's or loopback
   * (`fortiflex.endpoints.allowNonFortinetHost: true` of a customer); see CustomerStackProps.
   * @default false
   */
  readonly allowNonFortinetHostInCustomersFile?: boolean;
  /**
   * Where the summary and the notes go.
   * @default process.stdout
   */
  readonly out?: NodeJS.WritableStream;
  /**
   * Where the problems go.
   * @default process.stderr
   */
  readonly err?: NodeJS.WritableStream;
}

/**
 * A fleet's whole synth (a fleet repository's main.ts is one call of it): one `CustomerStack` per customer
 * of the customers file, or only those named in FORTIFLEX_CUSTOMERS ("a,b"), into
 * `<outdir>/stacks/<customer id>/`, and a short summary. Returns the exit status, and sets `process.exitCode`
 * when it is not 0 (a main.ts needs nothing else): 1 when the file or a customer is invalid (every problem
 * listed, nothing written) or synth failed.
 *
 * Synth owns only what it writes (cdk.tf.json or cdk.tf, assets/, and the fleet's provider lock file as
 * .terraform.lock.hcl when the fleet keeps one, `providers.lock.hcl`, beside its customers file) in the
 * directories of the stacks it synthesizes: Terraform state, .terraform/ and saved plans stay, and other
 * customers' directories are never touched. Nothing is removed before synth succeeds: a stack directory
 * without its configuration would plan the destruction of everything in its state.
 */
export function synthesizeFleet(app: App, options: FleetSynthOptions = {}): number {
  const status = synthesize(app, options);
  if (status !== 0) process.exitCode = status;
  return status;
}

function synthesize(app: App, options: FleetSynthOptions): number {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const started = process.hrtime.bigint();
  const given = options.customersFile || FLEET_CUSTOMERS_FILE;
  const customersFile = process.env.FORTIFLEX_CUSTOMERS_FILE || given;
  // Said when the environment overrides the code: a leftover variable would synthesize another fleet unseen.
  if (path.resolve(customersFile) !== path.resolve(given)) out.write(`Customers file: ${customersFile} (FORTIFLEX_CUSTOMERS_FILE; the code names ${given})\n`);
  const only = selectedCustomers();
  let customers: string[];
  try {
    customers = buildCustomerStacks(app, customersFile, only, {
      endpoints: options.endpoints,
      allowNonFortinetHostInCustomersFile: options.allowNonFortinetHostInCustomersFile,
    }).map((c) => c.id);
  } catch (e) {
    if (!(e instanceof CustomersFileError)) throw e;
    err.write(`${e.message}\n`);
    return 1;
  }
  const stacksDir = path.join(app.outdir, "stacks");
  try {
    app.synth();
  } catch (e) {
    err.write(`synth failed: ${(e as Error).message.split("\n")[0].slice(0, 300)}\n`);
    return 1;
  }
  // A stack written as JSON now must not keep an HCL file from an earlier synth (or the other way round):
  // Terraform would read both.
  const stale = app.hclOutput ? "cdk.tf.json" : "cdk.tf";
  for (const id of customers) fs.rmSync(path.join(stacksDir, id, stale), { force: true });
  // One provider lock file for every customer: plans and applies install exactly the providers it names.
  const lockFile = path.join(path.dirname(customersFile), "providers.lock.hcl");
  const locked = fs.existsSync(lockFile);
  if (locked) for (const id of customers) fs.copyFileSync(lockFile, path.join(stacksDir, id, ".terraform.lock.hcl"));
  printSynthSummary(app, Number(process.hrtime.bigint() - started) / 1e6, out);
  out.write(
    locked
      ? `Provider lock file: ${lockFile} (as .terraform.lock.hcl in each stack)\n`
      : `No provider lock file (${lockFile}): the GitOps workflows refuse to plan without one ` +
          "(create it with `terraform providers lock` in a synthesized stack; see 'Provider lock file' in the fleet's README)\n",
  );
  if (!only.length && fs.existsSync(stacksDir)) {
    for (const id of fs
      .readdirSync(stacksDir)
      .filter((d) => !customers.includes(d))
      .sort()) {
      out.write(
        `  ${id}: not in the customers file; its directory is kept as it is ` +
          "(to retire a customer, set decommission: true on its entry and apply first, then remove the entry)\n",
      );
    }
  }
  return 0;
}
