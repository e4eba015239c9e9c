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

/** Attributes Azure computes that stacks read; any other attribute read must be one of the resource's arguments. */
const COMPUTED: Record<string, (type: string, name: string) => string> = {
  id: (type, name) => `/stand-in/${type}/${name}`,
  // A documentation address (RFC 5737): never routed anywhere.
  ip_address: () => "192.0.2.10",
};
const VM_TYPE = "azurerm_linux_virtual_machine";
const AZURE_REFERENCE = /\bazurerm_([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?/g;
/** One attribute interpolated on its own: `${azurerm_x.y.attribute}`. */
const INTERPOLATED_ATTRIBUTE = /\$\{azurerm_([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}/g;

type Block = Record<string, unknown>;

/**
 * Rewrites a synthesized stack so that real terraform can run it offline (the azurerm provider cannot be
 * downloaded here):
 * - every FortiGate VM becomes a stand-in (`null_resource`) that keeps the VM's replace-forcing arguments as
 *   triggers (so it is replaced exactly when Azure would build a new VM), its custom data, its lifecycle
 *   (ignore_changes, replace_triggered_by), and boots like a FortiGate when created (fortigate-stand-in-boot.js);
 * - every other Azure resource becomes a `terraform_data` (built into Terraform) whose input is the resource's
 *   arguments, so a changed argument shows as a change and whatever reads the resource (names, ids, public
 *   IP) still gets a value; Azure's computed ids and addresses are fixed stand-in values.
 * References to Azure resources are rewritten to their stand-ins. An attribute whose value is a literal (a
 * literal argument, a stand-in id or address) is written in place: a terraform_data's whole output is unknown
 * whenever its input changes, so a reference would make, say, a new tag on the resource group rebuild the VM,
 * where Azure keeps the group's name and id.
 */
export function standInForAzure(stackDir: string, options: StandInOptions): string[] {
  const file = path.join(stackDir, "cdk.tf.json");
  const tf = JSON.parse(fs.readFileSync(file, "utf8")) as {
    resource: Record<string, Record<string, Block>>;
    data?: Record<string, unknown>;
    provider?: Record<string, unknown>;
    terraform?: { required_providers?: Record<string, unknown> };
  };
  const azureData = Object.keys(tf.data ?? {}).find((type) => type.startsWith("azurerm_"));
  if (azureData) throw new Error(`the stack reads Azure data source ${azureData}, which the stand-in cannot answer`);
  const vms = tf.resource[VM_TYPE] ?? {};
  const others: Record<string, Record<string, Block>> = {};
  for (const type of Object.keys(tf.resource)) {
    if (!type.startsWith("azurerm_")) continue;
    if (type !== VM_TYPE) others[type] = tf.resource[type];
    delete tf.resource[type];
  }
  delete tf.provider?.azurerm;
  delete tf.terraform?.required_providers?.azurerm;

  tf.resource.terraform_data ??= {};
  const inputs: Record<string, Block> = {};
  for (const [type, resources] of Object.entries(others)) {
    for (const [name, resource] of Object.entries(resources)) {
      const id = `Azure_${name}`;
      if (tf.resource.terraform_data[id]) throw new Error(`the stack already declares terraform_data.${id}`);
      if (resource.lifecycle) throw new Error(`${type}.${name} has a lifecycle block, which the stand-in does not reproduce`);
      const input = Object.fromEntries(Object.entries(resource).filter(([k]) => !META_ARGUMENTS.has(k)));
      inputs[`${type}.${name}`] = input;
      const kept = Object.fromEntries(["depends_on", "count", "for_each"].filter((k) => k in resource).map((k) => [k, resource[k]]));
      tf.resource.terraform_data[id] = { input, ...kept };
    }
  }
  if (!Object.keys(tf.resource.terraform_data).length) delete tf.resource.terraform_data;

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
      ...(vm.depends_on ? { depends_on: vm.depends_on } : {}),
      provisioner: [
        {
          "local-exec": {
            command: `node ${JSON.stringify(path.join(__dirname, "fortigate-stand-in-boot.js"))}`,
            environment: {
              FORTIGATE_NAME: String(vm.name),
              FORTIGATE_CUSTOM_DATA: String(vm.custom_data),
              SIMULATOR_URL: options.simulatorUrl,
              FORTIGATE_BOOT_LOG: options.bootLog,
            },
          },
        },
      ],
    };
    addresses.push(`null_resource.${id}`);
  }
  if (!Object.keys(tf.resource.null_resource).length) delete tf.resource.null_resource;

  // Computed attributes are added after the walk: they are literals, and an argument of the same name wins.
  const computed: [string, string, string][] = [];
  const standIn = (match: string, type: string, name: string, attribute: string | undefined): string => {
    const address = `azurerm_${type}.${name}`;
    if (address.startsWith(`${VM_TYPE}.`)) {
      if (!vms[name]) throw new Error(`the stack refers to ${address}, which it does not declare`);
      if (attribute !== undefined && attribute !== "id") throw new Error(`the stack reads ${match}; the VM stand-in only has an id`);
      return `null_resource.StandIn_${name}${attribute ? ".id" : ""}`;
    }
    const input = inputs[address];
    if (!input) throw new Error(`the stack refers to ${address}, which it does not declare`);
    if (attribute === undefined) return `terraform_data.Azure_${name}`;
    if (!(attribute in input)) {
      if (!COMPUTED[attribute]) throw new Error(`the stack reads ${match}, which is neither an argument nor a computed attribute the stand-in knows`);
      computed.push([`Azure_${name}`, attribute, COMPUTED[attribute](`azurerm_${type}`, name)]);
    }
    return `terraform_data.Azure_${name}.output.${attribute}`;
  };
  const literal = (whole: string, type: string, name: string, attribute: string): string => {
    const input = inputs[`azurerm_${type}.${name}`];
    const value = !input ? undefined : attribute in input ? input[attribute] : COMPUTED[attribute]?.(`azurerm_${type}`, name);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return typeof value === "string" && !/[$%]\{/.test(value) ? value : whole;
  };
  const rewritten = rewriteStrings(tf, (text) => text.replace(INTERPOLATED_ATTRIBUTE, literal).replace(AZURE_REFERENCE, standIn)) as typeof tf;
  for (const [id, attribute, value] of computed) (rewritten.resource.terraform_data[id].input as Block)[attribute] = value;
  fs.writeFileSync(file, JSON.stringify(rewritten, null, 2));
  return addresses;
}

/** `value` with `rewrite` applied to every string in it. */
function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === "string") return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, rewrite));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStrings(v, rewrite)]));
  return value;
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
  return fs
    .readFileSync(bootLog, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Boot);
}
