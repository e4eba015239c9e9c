import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { standInForAzure } from "../local-providers/azure-stand-in";
import { ENV } from "../contract/endpoints";
import { CustomerStack } from "../stacks/customer-stack";
import type { Customer } from "../stacks/customers-file";
import type { FortiFlexSimulator } from "../simulator/fortiflex-simulator";
import { syntheticCustomer } from "./synthetic-customers";

/** One synthesized customer stack, ready for real terraform. */
export interface FleetStack {
  readonly id: string;
  readonly dir: string;
  /** Variables the stack declares without a default: terraform would ask for them. */
  readonly requiredVariables: string[];
}

/**
 * Synthesizes the first `count` generated customers as the project builds them (CustomerStack), pointed at
 * the simulator, with their state in `<workDir>/state`, and puts the Azure stand-in in: the Azure resources
 * become terraform_data and each VM a stand-in that boots with its license token against the simulator.
 */
export function synthesizeFleet(count: number, sim: FortiFlexSimulator, workDir: string): FleetStack[] {
  const outdir = path.join(workDir, "stacks");
  const bootLog = path.join(workDir, "boots.jsonl");
  const app = new App({ outdir, skipValidation: true });
  const customers = Array.from({ length: count }, (_, i) => syntheticCustomer(i) as Customer);
  // The local backend takes its state directory from the environment at synth.
  const stateDirBefore = process.env[ENV.stateDir];
  process.env[ENV.stateDir] = path.join(workDir, "state");
  try {
    for (const customer of customers) new CustomerStack(app, customer.id, { customer, endpoints: { apiUrl: sim.apiUrl, authUrl: sim.authUrl } });
    app.synth();
  } finally {
    if (stateDirBefore === undefined) delete process.env[ENV.stateDir];
    else process.env[ENV.stateDir] = stateDirBefore;
  }
  return customers.map(({ id }) => {
    const dir = path.join(outdir, "stacks", id);
    standInForAzure(dir, { simulatorUrl: sim.baseUrl, bootLog });
    const tf = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { variable?: Record<string, { default?: unknown }> };
    const requiredVariables = Object.entries(tf.variable ?? {})
      .filter(([, v]) => v.default === undefined)
      .map(([name]) => name);
    return { id, dir, requiredVariables };
  });
}
