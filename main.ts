/**
 * Entry point of `npm run synth` and `cdktf synth`: one stack per customer of the customers file
 * (FORTIFLEX_CUSTOMERS_FILE, default stacks/customers.yaml), or only those named in FORTIFLEX_CUSTOMERS.
 * Writes cdktf.out/stacks/<customer id>/cdk.tf.json and prints a short summary.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { buildCustomerStacks, DEFAULT_CUSTOMERS_FILE, selectedCustomers } from "./stacks/customer-app";
import { CustomersFileError } from "./stacks/customers-file";
import { printSynthSummary } from "./stacks/synth-summary";

const started = process.hrtime.bigint();
const app = new App();
try {
  buildCustomerStacks(app, process.env.FORTIFLEX_CUSTOMERS_FILE || DEFAULT_CUSTOMERS_FILE, selectedCustomers());
} catch (e) {
  if (!(e instanceof CustomersFileError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
// Like `cdktf synth`, start from an empty output so removed customers leave no stale stacks behind.
fs.rmSync(path.join(app.outdir, "stacks"), { recursive: true, force: true });
fs.mkdirSync(path.join(app.outdir, "stacks"), { recursive: true });
app.synth();
printSynthSummary(app, Number(process.hrtime.bigint() - started) / 1e6);
