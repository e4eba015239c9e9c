import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { fixedTriggersOf } from "../../contract/step-address";

/**
 * Stacks on Fortinet's default endpoints with every kind of step the library writes (both lifecycle resource
 * types, drift repair, adoption, token regeneration, boot steps, a pair, a retired customer, configurations
 * and entitlements made elsewhere, two scopes in one stack), built by the library checked out at `root`:
 * the same builder runs against an older commit to record what a running stack holds, and against this one.
 * Modules are loaded from `root` so that an older checkout can be compared; its node_modules must resolve to
 * this checkout's (a symbolic link), so both use one cdktf.
 */
export function buildUpgradeStacks(root: string, outdir: string): string[] {
  const lib = require(path.join(root, "constructs"));
  const { buildCustomerStacks } = require(path.join(root, "stacks", "customer-app"));
  const { CustomerStack } = require(path.join(root, "stacks", "customer-stack"));
  const { loadCustomersFile } = require(path.join(root, "stacks", "customers-file"));
  const { FortiFlexOnlyStack } = require(path.join(root, "examples", "fortiflex-only-stack"));
  const app = new App({ outdir, skipValidation: true });
  const customersFile = path.join(root, "stacks", "customers.yaml");
  buildCustomerStacks(app, customersFile);
  new CustomerStack(app, "retired", { customer: { ...loadCustomersFile(customersFile)[0], id: "retired", decommission: true } });
  new FortiFlexOnlyStack(app, "fortiflex-only");
  for (const [id, type, n] of [
    ["mixed-null", lib.LifecycleResourceType.NULL_RESOURCE, 1],
    ["mixed-data", lib.LifecycleResourceType.TERRAFORM_DATA, 2],
  ] as const) {
    const stack = new TerraformStack(app, id);
    new lib.FortiGateWithFortiFlex(stack, "Edge", {
      name: "edge",
      programSerialNumber: "ELAVMS0000000518",
      accountId: 1525960,
      servicePackage: lib.FortiGateServicePackage.UTP,
      cpu: 2,
      resourceGroupName: "edge-rg",
      location: "westeurope",
      adminCidrs: ["203.0.113.0/24"],
      tokenGeneration: 2,
      lifecycleResource: type,
    });
    const adopted = new lib.FortiFlexConfiguration(stack, "Adopted", {
      programSerialNumber: "ELAVMS0000000518",
      accountId: 1525961,
      name: "adopted",
      product: lib.FortiFlexProduct.fortiGateVmBundle({ cpu: 4, servicePackage: lib.FortiGateServicePackage.ATP }),
      adoptConfigId: 4710 + n,
      lifecycleResource: type,
      detectDrift: false,
    });
    new lib.FortiFlexVmEntitlement(stack, "AdoptedEntitlement", {
      configuration: adopted,
      adoptSerialNumber: `FGVMELTM2500831${n}`,
      status: lib.EntitlementDesiredStatus.STOPPED,
    });
    const elsewhere = lib.FortiFlexConfiguration.fromConfigId(stack, "Elsewhere", {
      configId: 42,
      programSerialNumber: "ELAVMS0000000518",
      lifecycleResource: type,
    });
    const onIt = new lib.FortiFlexVmEntitlement(stack, "OnElsewhere", { configuration: elsewhere, description: "on a configuration made elsewhere" });
    const existing = lib.FortiFlexVmEntitlement.fromSerialNumber(stack, "Existing", {
      serialNumber: `FGVMELTM2500832${n}`,
      programSerialNumber: "ELAVMS0000000518",
    });
    // Reading outputs creates the State data sources.
    void onIt.serialNumber;
    void existing.licenseToken;
  }
  app.synth();
  return app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack).map((s) => s.node.id);
}

/**
 * What a running stack's state depends on: the address of every resource and data source, and every step's
 * triggers, count and lifecycle, and the identity each step and data source hands the handler.
 */
export interface StackIdentities {
  readonly resources: Record<string, { readonly triggers: unknown; readonly count: unknown; readonly lifecycle: unknown; readonly identities: unknown[] }>;
  readonly data: Record<string, { readonly identity: unknown; readonly scope: unknown }>;
}

type Block = Record<string, unknown> & {
  provisioner?: { "local-exec": { environment?: Record<string, string> } }[];
  query?: Record<string, string>;
  triggers?: Record<string, string> | string;
  triggers_replace?: Record<string, string> | string;
};

/** The identities of a synthesized stack; a step's triggers are its fixed ones (see fixedTriggersOf). */
export function identitiesOf(stackDir: string): StackIdentities & { readonly moved: Record<string, string> } {
  const tf = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as {
    resource?: Record<string, Record<string, Block>>;
    data?: Record<string, Record<string, Block>>;
    locals?: Record<string, Record<string, string>>;
    moved?: { from: string; to: string }[];
  };
  const resources: Record<string, StackIdentities["resources"][string]> = {};
  for (const [type, blocks] of Object.entries(tf.resource ?? {})) {
    for (const [name, b] of Object.entries(blocks)) {
      const isStep = type === "null_resource" || type === "terraform_data";
      resources[`${type}.${name}`] = {
        triggers: isStep ? (b.triggers || b.triggers_replace ? fixedTriggersOf(tf, b) : null) : null,
        count: b.count ?? null,
        lifecycle: isStep ? (b.lifecycle ?? null) : null,
        identities: (b.provisioner ?? []).map((p) => p["local-exec"].environment?.FORTIFLEX_IDENTITY ?? null),
      };
    }
  }
  const data: Record<string, StackIdentities["data"][string]> = {};
  for (const [type, blocks] of Object.entries(tf.data ?? {})) {
    for (const [name, b] of Object.entries(blocks)) data[`data.${type}.${name}`] = { identity: b.query?.identity ?? null, scope: b.query?.scope ?? null };
  }
  return { resources, data, moved: Object.fromEntries((tf.moved ?? []).map((m) => [m.from, m.to])) };
}

/**
 * The stacks of the real-terraform upgrade test (__tests__/terraform/upgrade.test.ts): a single FortiGate and an
 * active-passive pair from the example customers file, and a stack of terraform_data steps with a token
 * regeneration and an entitlement without drift detection, built by the library checked out at `root` (as
 * buildUpgradeStacks). `__tests__/fixtures/upgrade-0cdf9f3/` holds what commit 0cdf9f3 synthesized from it.
 */
export function buildRunningStacks(root: string, outdir: string): string[] {
  const lib = require(path.join(root, "constructs"));
  const { CustomerStack } = require(path.join(root, "stacks", "customer-stack"));
  const { loadCustomersFile } = require(path.join(root, "stacks", "customers-file"));
  const app = new App({ outdir, skipValidation: true });
  for (const customer of loadCustomersFile(path.join(root, "stacks", "customers.yaml")))
    if (["contoso", "woodgrove"].includes(customer.id)) new CustomerStack(app, customer.id, { customer });
  const stack = new TerraformStack(app, "edge-data");
  const config = new lib.FortiFlexConfiguration(stack, "Config", {
    programSerialNumber: "ELAVMS0000000518",
    accountId: 1525961,
    name: "edge-data",
    product: lib.FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: lib.FortiGateServicePackage.UTP }),
    lifecycleResource: lib.LifecycleResourceType.TERRAFORM_DATA,
  });
  const primary = new lib.FortiFlexVmEntitlement(stack, "Primary", { configuration: config, description: "primary", tokenGeneration: 2 });
  new lib.FortiFlexVmEntitlement(stack, "Quiet", { configuration: config, description: "no drift detection", detectDrift: false });
  void primary.serialNumber;
  app.synth();
  return ["contoso", "woodgrove", "edge-data"];
}
