import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Arguments of `azurerm_linux_virtual_machine` that azurerm 4.x updates in place (some stop the VM first);
 * every other argument forces a new VM. Written here from the provider's schema, independently of the
 * library's own list, so that the stand-in is the test's oracle of what rebuilds a VM.
 */
const UPDATED_IN_PLACE = new Set([
  "size",
  "network_interface_ids",
  "tags",
  "identity",
  "boot_diagnostics",
  "disk_controller_type",
  "encryption_at_host_enabled",
  "patch_mode",
  "user_data",
  "proximity_placement_group_id",
  "os_disk.caching",
  "os_disk.disk_size_gb",
]);
const META_ARGUMENTS = new Set(["lifecycle", "depends_on", "provider", "count", "for_each", "//"]);

/** The argument paths of a synthesized VM block: nested blocks flattened to "block.argument". */
function flatten(prefix: string, value: unknown, out: Record<string, string>): void {
  if (UPDATED_IN_PLACE.has(prefix)) return;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out);
    return;
  }
  out[prefix] = Array.isArray(value) ? `\${jsonencode(${JSON.stringify(value)})}` : String(value);
}

export interface StandInOptions {
  /** The simulator's base URL (loopback). */
  readonly simulatorUrl: string;
  /** File the stand-in FortiGates append their boots to. */
  readonly bootLog: string;
}

/**
 * Rewrites a synthesized stack so that real terraform can run it offline: every Azure resource is dropped
 * (the azurerm provider cannot be downloaded here) except the FortiGate VMs, each replaced by a stand-in
 * (`null_resource`) that keeps the VM's replace-forcing arguments as triggers (so it is replaced exactly
 * when Azure would build a new VM), its custom data, its lifecycle (ignore_changes, replace_triggered_by),
 * and boots like a FortiGate when created (fortigate-stand-in-boot.js).
 */
export function standInForAzure(stackDir: string, options: StandInOptions): string[] {
  const file = path.join(stackDir, "cdk.tf.json");
  const tf = JSON.parse(fs.readFileSync(file, "utf8")) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
    provider?: Record<string, unknown>;
    terraform?: { required_providers?: Record<string, unknown> };
    output?: Record<string, unknown>;
  };
  const vms = tf.resource.azurerm_linux_virtual_machine ?? {};
  for (const type of Object.keys(tf.resource)) if (type.startsWith("azurerm_")) delete tf.resource[type];
  delete tf.provider?.azurerm;
  delete tf.terraform?.required_providers?.azurerm;
  tf.resource.null_resource ??= {};
  const addresses: string[] = [];
  for (const [name, vm] of Object.entries(vms)) {
    const triggers: Record<string, string> = {};
    for (const [k, v] of Object.entries(vm)) if (!META_ARGUMENTS.has(k)) flatten(k, v, triggers);
    const lifecycle = (vm.lifecycle ?? {}) as { ignore_changes?: string[]; replace_triggered_by?: string[] };
    const id = `StandIn_${name}`;
    tf.resource.null_resource[id] = {
      triggers,
      lifecycle: {
        ...(lifecycle.ignore_changes ? { ignore_changes: lifecycle.ignore_changes.map((a) => `triggers["${a}"]`) } : {}),
        ...(lifecycle.replace_triggered_by ? { replace_triggered_by: lifecycle.replace_triggered_by } : {}),
      },
      provisioner: [
        {
          "local-exec": {
            command: `node ${JSON.stringify(path.join(__dirname, "fortigate-stand-in-boot.js"))}`,
            environment: { FORTIGATE_NAME: String(vm.name), FORTIGATE_CUSTOM_DATA: String(vm.custom_data), SIMULATOR_URL: options.simulatorUrl, FORTIGATE_BOOT_LOG: options.bootLog },
          },
        },
      ],
    };
    addresses.push(`null_resource.${id}`);
  }
  const text = JSON.stringify(tf, null, 2);
  const dangling = /\b(azurerm_[a-z_]+\.[\w-]+)/.exec(text);
  if (dangling) throw new Error(`the stand-in stack still refers to ${dangling[1]}; give the test stack literal Azure names`);
  fs.writeFileSync(file, text);
  return addresses;
}

export interface Boot {
  readonly vm: string;
  readonly hostname: string;
  /** Short hash of the token the FortiGate booted with. */
  readonly token: string;
  readonly licensed: boolean;
  readonly serial?: string;
  readonly error?: string;
}

export function bootsIn(bootLog: string): Boot[] {
  if (!fs.existsSync(bootLog)) return [];
  return fs.readFileSync(bootLog, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Boot);
}
