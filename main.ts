/**
 * Entry point of `npm run synth` and `cdktf synth`: one stack per customer of the customers file
 * (FORTIFLEX_CUSTOMERS_FILE, default stacks/customers.yaml), or only those named in FORTIFLEX_CUSTOMERS.
 * Writes cdktf.out/stacks/<customer id>/cdk.tf.json and prints a short summary.
 *
 * Synth owns only what it writes (cdk.tf.json or cdk.tf, assets/, and the fleet's provider lock file as
 * .terraform.lock.hcl when the fleet keeps one beside its customers file) in the directories of the stacks it
 * synthesizes: Terraform state, .terraform/ and saved plans stay, and other customers' directories are never
 * touched. Nothing is removed before synth succeeds: a stack directory without its configuration would plan
 * the destruction of everything in its state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { buildCustomerStacks, DEFAULT_CUSTOMERS_FILE, selectedCustomers } from "./stacks/customer-app";
import { CustomersFileError } from "./stacks/customers-file";
import { printSynthSummary } from "./stacks/synth-summary";

const started = process.hrtime.bigint();
const app = new App();
const customersFile = process.env.FORTIFLEX_CUSTOMERS_FILE || DEFAULT_CUSTOMERS_FILE;
let customers: string[];
try {
  customers = buildCustomerStacks(app, customersFile, selectedCustomers()).map((c) => c.id);
} catch (e) {
  if (!(e instanceof CustomersFileError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
const stacksDir = path.join(app.outdir, "stacks");
try {
  app.synth();
} catch (e) {
  process.stderr.write(`synth failed: ${(e as Error).message.split("\n")[0].slice(0, 300)}\n`);
  process.exit(1);
}
// A stack written as JSON now must not keep an HCL file from an earlier synth (or the other way round):
// Terraform would read both.
const stale = app.hclOutput ? "cdk.tf.json" : "cdk.tf";
for (const id of customers) fs.rmSync(path.join(stacksDir, id, stale), { force: true });
// One provider lock file for every customer: plans and applies install exactly the providers it names.
const lockFile = path.join(path.dirname(customersFile), "providers.lock.hcl");
const locked = fs.existsSync(lockFile);
if (locked) for (const id of customers) fs.copyFileSync(lockFile, path.join(stacksDir, id, ".terraform.lock.hcl"));
printSynthSummary(app, Number(process.hrtime.bigint() - started) / 1e6);
process.stdout.write(
  locked
    ? `Provider lock file: ${lockFile} (as .terraform.lock.hcl in each stack)\n`
    : `No provider lock file (${lockFile}): the GitOps workflows refuse to plan without one (docs/guides/gitops.md, 'Provider lock file')\n`,
);
if (!selectedCustomers().length && fs.existsSync(stacksDir)) {
  for (const id of fs
    .readdirSync(stacksDir)
    .filter((d) => !customers.includes(d))
    .sort()) {
    process.stdout.write(
      `  ${id}: not in the customers file; its directory is kept as it is ` +
        "(to retire a customer, set decommission: true and apply first; see docs/guides/retiring-a-customer.md)\n",
    );
  }
}
