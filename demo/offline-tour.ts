/**
 * `npm run demo`: the offline tour. Starts the FortiFlex simulator on 127.0.0.1, synthesizes a FortiFlex-only
 * stack and the FortiFlex part of the first example customer, and runs real terraform on them through the
 * project's local null/external providers: plan, apply, outputs, a FortiGate using its token, drift repaired,
 * destroy. No credentials, no network; everything lives in a temporary directory that is removed at the end.
 * Exits non-zero as soon as a step does not behave as shown.
 */
import { ENV } from "../contract/endpoints";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { FortiFlexConfiguration, FortiFlexProduct, FortiFlexVmEntitlement, FortiGateServicePackage } from "../constructs";
import { parseVmSize } from "../constructs/private/azure-vm-size";
import { keyOf } from "../contract/object-key";
import { FortiFlexOnlyStack } from "../examples/fortiflex-only-stack";
import { Terraform, terraformVersion } from "../local-providers/terraform-runner";
import { FortiFlexSimulator } from "../simulator/fortiflex-simulator";
import { DEFAULT_CUSTOMERS_FILE } from "../stacks/customer-app";
import { loadCustomersFile, type Customer } from "../stacks/customers-file";

const started = Date.now();
const say = (line = "") => process.stdout.write(`${line}\n`);
const step = (title: string) => say(`\n== ${title}`);

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`demo step failed: ${what}`);
  say(`   ok: ${what}`);
}

/** What a reader wants from terraform's output: the resource lines, the handler's lines, the totals. */
function excerpt(text: string, pattern: RegExp): void {
  for (const line of text.split("\n")) if (pattern.test(line)) say(`   ${line.trim()}`);
}

/** The customer's FortiFlex configuration and entitlement, as its CustomerStack declares them, without Azure. */
class CustomerFortiFlexPart extends TerraformStack {
  constructor(scope: App, customer: Customer, endpoints: { apiUrl: string; authUrl: string }) {
    super(scope, `${customer.id}-fortiflex`);
    new LocalBackend(this, { path: "terraform.tfstate" });
    const config = new FortiFlexConfiguration(this, "Config", {
      programSerialNumber: customer.fortiflex.programSerialNumber,
      accountId: customer.fortiflex.accountId,
      name: `${customer.id} FortiGate`,
      product: FortiFlexProduct.fortiGateVmBundle({
        cpu: customer.fortigate.cpu ?? parseVmSize(customer.fortigate.vmSize ?? "")?.vcpus ?? 2,
        servicePackage: customer.fortigate.servicePackage as FortiGateServicePackage,
      }),
      endpoints,
    });
    const fw = new FortiFlexVmEntitlement(this, "Entitlement", { configuration: config, description: `${customer.id} FortiGate` });
    new TerraformOutput(this, "serial_number", { value: fw.serialNumber });
    new TerraformOutput(this, "license_token", { value: fw.licenseToken, sensitive: true });
  }
}

async function main(): Promise<void> {
  const version = terraformVersion();
  if (!version) throw new Error("terraform is not on PATH: install Terraform 1.5 or later (the demo runs it for real)");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fortiflex-demo-"));
  const sim = await FortiFlexSimulator.start();
  try {
    step(`1. FortiFlex simulator on ${sim.baseUrl} (${version}; no credentials or network needed)`);
    say(`   program ${sim.seed.programSerialNumber}, MSSP account ${sim.seed.accountId}, customer accounts ${sim.seed.memberAccountIds.join(", ")}`);
    const env = { ...sim.env(), [ENV.tokenCacheDir]: path.join(tmp, "token-cache") };

    step(`2. Synthesize the FortiFlex-only example and the FortiFlex part of a customer from ${DEFAULT_CUSTOMERS_FILE}`);
    const customer = loadCustomersFile(DEFAULT_CUSTOMERS_FILE)[0];
    process.env[ENV.stateDir] = path.join(tmp, "terraform-state");
    const endpoints = { apiUrl: sim.apiUrl, authUrl: sim.authUrl };
    const app = new App({ outdir: path.join(tmp, "cdktf.out"), skipValidation: true });
    new FortiFlexOnlyStack(app, "demo-edge", sim.seed.programSerialNumber, sim.seed.memberAccountIds[0], endpoints);
    new CustomerFortiFlexPart(app, customer, endpoints);
    app.synth();
    const stacks = ["demo-edge", `${customer.id}-fortiflex`].map((id) => new Terraform(path.join(tmp, "cdktf.out", "stacks", id), env));
    for (const tf of stacks) say(`   ${path.relative(tmp, tf.dir)}/cdk.tf.json`);

    step("3. terraform init: hashicorp/null and hashicorp/external come from the local filesystem mirror");
    for (const tf of stacks) excerpt((await tf.init()).stdout, /Installed hashicorp/);

    const [edge] = stacks;
    step("4. terraform plan (demo-edge)");
    const plan = await edge.plan();
    excerpt(plan.text, /^\s*# |^Plan:/);
    check(
      Object.values(plan.changes).every((a) => a.join() === "create"),
      "only creates are planned",
    );

    step("5. terraform apply: the handler creates the configuration and the entitlements");
    for (const tf of stacks) excerpt(await tf.apply(), /fortiflex: |^Apply complete|^(\w+_)?(serial_number|license_token) = /);
    const outputs = await edge.outputs();
    const serial = String(outputs.active_serial_number.value);
    check(
      /^FGVM[A-Z0-9]+$/.test(serial) && outputs.active_license_token.sensitive,
      `serial number ${serial} is an output; the license token is a sensitive output`,
    );
    const entitlement = () => sim.world.state.entitlements.find((e) => e.serialNumber === serial)!;
    check(entitlement().status === "PENDING", `entitlement ${serial} is PENDING (not charged until a FortiGate uses the token)`);

    step("6. A FortiGate boots and uses the token (the simulator's token-use endpoint)");
    const used = (await (
      await fetch(`${sim.baseUrl}/__simulator/tokens/use`, { method: "POST", body: JSON.stringify({ token: String(outputs.active_license_token.value) }) })
    ).json()) as { status: string; tokenStatus: string };
    check(used.status === "ACTIVE" && used.tokenStatus === "USED", `entitlement ${serial}: PENDING -> ${used.status}, token ${used.tokenStatus}`);
    check(/No changes\./.test((await edge.plan()).text), "the next plan is empty: ACTIVE is what the stack wants");

    step("7. Someone stops the entitlement in the FortiFlex portal; the next plan shows it and apply repairs it");
    await fetch(`${sim.apiUrl}entitlements/stop`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await bearer(sim)}`, "Content-Type": "application/json" },
      body: JSON.stringify({ serialNumber: serial }),
    });
    check(entitlement().status === "STOPPED", `entitlement ${serial} is STOPPED outside Terraform`);
    const drift = await edge.plan();
    excerpt(drift.text, /^\s*# .*Active_Settings|"drift"|^Plan:/);
    // The entitlement's settings step repairs: its `drift` trigger appears, so Terraform replaces it (nothing is destroyed).
    check(String(drift.changes["null_resource.Active_Settings"]) === "delete,create", "the plan repairs the drift (its settings step runs again)");
    excerpt(await edge.apply(), /fortiflex: |^Apply complete/);
    check(entitlement().status === "ACTIVE", `entitlement ${serial} is ACTIVE again`);

    step("8. terraform destroy: FortiFlex has no delete, so entitlements are stopped and configurations disabled");
    for (const tf of stacks) excerpt(await tf.destroy(), /fortiflex: |^Destroy complete/);
    const live = sim.world.state.entitlements.filter((e) => keyOf(e.description) && e.status !== "STOPPED" && e.status !== "EXPIRED");
    check(live.length === 0, `nothing left ACTIVE or PENDING (${sim.world.state.entitlements.length} entitlements, all STOPPED)`);
    check(
      sim.world.state.configs.every((c) => c.status === "DISABLED"),
      `every configuration DISABLED (${sim.world.state.configs.length})`,
    );

    say(`\nDemo complete in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Terraform.commandsRun} terraform commands, nothing left behind.`);
  } finally {
    await sim.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** An access token for a direct API call, as the portal (or another tool) would make it. */
async function bearer(sim: FortiFlexSimulator): Promise<string> {
  const res = await fetch(sim.authUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: sim.seed.username, password: sim.seed.password, client_id: "flexvm", grant_type: "password" }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

main().catch((e: Error) => {
  process.stderr.write(`\n${e.message}\n`);
  process.exit(1);
});
