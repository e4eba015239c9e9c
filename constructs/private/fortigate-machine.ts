import * as crypto from "node:crypto";
import { Fn, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { LinuxVirtualMachine, type LinuxVirtualMachineConfig } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { ManagedDisk } from "@cdktf/provider-azurerm/lib/managed-disk";
import { VirtualMachineDataDiskAttachment } from "@cdktf/provider-azurerm/lib/virtual-machine-data-disk-attachment";
import { needsNvme } from "./azure-vm-size";
import { vmReplacementCauses } from "./azure-vm-replacement";
import { CUSTOM_DATA_LIMIT_BYTES, fortiGateCustomData, type BootstrapConfig } from "./fortigate-custom-data";
import type { FortiGateLicense } from "../fortigate-license";
import type { FortiGateSettings } from "./fortigate-settings";
import { ValidationError } from "../validation-error";
import { terraformAddress } from "./terraform-address";

/** A secret in the bootstrap configuration: written there as `placeholder`, replaced by `reference` in the custom data. */
export interface MachineSecret {
  /** Names its hash among the VM's replacement triggers. */
  readonly name: string;
  readonly placeholder: string;
  /** A Terraform expression. */
  readonly reference: string;
}

export interface FortiGateMachineProps {
  readonly settings: FortiGateSettings;
  /** Azure name of the VM and the stem of its disks' names. */
  readonly vmName: string;
  /** NICs in FortiOS port order (the first is primary). */
  readonly networkInterfaceIds: string[];
  readonly bootstrap: BootstrapConfig;
  readonly license: FortiGateLicense;
  /** @default - no zone */
  readonly zone?: string;
  /** @default - none */
  readonly availabilitySetId?: string;
  /**
   * Secret Terraform references substituted into the custom data at apply (a pair's HA password): `name`
   * for the plan, the `placeholder` text they replace in the bootstrap. @default []
   */
  readonly secrets?: readonly MachineSecret[];
  /** @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One FortiGate VM (BYOL Marketplace image and plan, system-assigned identity, boot diagnostics, optional
 * log disk) whose custom data carries a license token that is unused when the VM boots: with a FortiFlex
 * entitlement, a boot step triggered by everything that makes Azure build a new VM gives it a fresh token
 * first, and the VM is replaced whenever that step is. Built in `scope` (ids Vm, LicenseBoot,
 * LicenseBootState, LogDisk, LogDiskAttachment), so the VM's address stays the one users already have.
 */
export function fortiGateMachine(scope: Construct, props: FortiGateMachineProps): LinuxVirtualMachine {
  const s = props.settings;
  const placeholder = `@@FORTIFLEX-LICENSE-TOKEN-${crypto.randomBytes(16).toString("hex")}@@`;
  const document = fortiGateCustomData(props.bootstrap, placeholder);
  checkCustomDataSize(scope, document.replace(placeholder, "0".repeat(20)));

  const config: LinuxVirtualMachineConfig = {
    ...s.common,
    name: props.vmName,
    computerName: props.vmName.slice(0, 64),
    size: s.size.name,
    adminUsername: s.adminUsername,
    adminPassword: s.adminPassword,
    disablePasswordAuthentication: false,
    networkInterfaceIds: props.networkInterfaceIds,
    sourceImageReference: { publisher: s.image.publisher, offer: s.image.offer, sku: s.image.sku, version: s.image.version },
    plan: { name: s.image.sku, product: s.image.offer, publisher: s.image.publisher },
    osDisk: { name: `${props.vmName}-osdisk`, caching: "ReadWrite", storageAccountType: "StandardSSD_LRS" },
    bootDiagnostics: {},
    identity: { type: "SystemAssigned" },
    ...(needsNvme(s.size, s.architecture) ? { diskControllerType: "NVMe" } : {}),
    ...(props.zone ? { zone: props.zone } : {}),
    ...(props.availabilitySetId ? { availabilitySetId: props.availabilitySetId } : {}),
    ...(props.dependsOn?.length ? { dependsOn: props.dependsOn } : {}),
  };
  const secrets = props.secrets ?? [];
  const entitlement = props.license.entitlement;
  let vm: LinuxVirtualMachine;
  if (entitlement) {
    // The bootstrap (its fixed text: the token changes at every boot) and the secrets in it are recorded in the
    // boot step; they rebuild the VM only with rebuildOnCustomDataChange. The VM itself ignores its custom
    // data, so a token regenerated elsewhere never rebuilds it.
    const fixedText = [placeholder, ...secrets.map((x) => x.placeholder)].reduce((text, p) => text.split(p).join(""), document);
    const bootstrap: Record<string, string> = {
      custom_data_sha256: crypto.createHash("sha256").update(fixedText).digest("hex"),
      ...Object.fromEntries(secrets.map((x) => [`${x.name}_sha256`, Fn.sha256(x.reference)])),
    };
    const boot = entitlement.addBootStep(scope, { ...vmReplacementCauses(config), ...bootstrap }, s.rebuildOnCustomDataChange ? [] : Object.keys(bootstrap));
    vm = new LinuxVirtualMachine(scope, "Vm", {
      ...config,
      customData: customDataExpression(document, placeholder, boot.token, secrets),
      lifecycle: { ignoreChanges: ["custom_data"], replaceTriggeredBy: [terraformAddress(boot.step)] },
    });
  } else {
    // A token from elsewhere: its freshness is the caller's.
    vm = new LinuxVirtualMachine(scope, "Vm", {
      ...config,
      customData: customDataExpression(document, placeholder, props.license.token, secrets),
      ...(s.rebuildOnCustomDataChange ? {} : { lifecycle: { ignoreChanges: ["custom_data"] } }),
    });
  }

  if (s.logDiskSizeGb > 0) logDisk(scope, props, vm);
  return vm;
}

/** The log disk (FortiOS keeps logs and reports on it), attached at LUN 0. */
function logDisk(scope: Construct, props: FortiGateMachineProps, vm: LinuxVirtualMachine): void {
  const s = props.settings;
  const disk = new ManagedDisk(scope, "LogDisk", {
    ...s.common,
    name: `${props.vmName}-logdisk`,
    storageAccountType: "StandardSSD_LRS",
    createOption: "Empty",
    diskSizeGb: s.logDiskSizeGb,
    ...(props.zone ? { zone: props.zone } : {}),
  });
  new VirtualMachineDataDiskAttachment(scope, "LogDiskAttachment", { managedDiskId: disk.id, virtualMachineId: vm.id, lun: 0, caching: "ReadWrite" });
}

/** Azure refuses custom data over its limit only at apply: refused at synth instead. */
function checkCustomDataSize(scope: Construct, document: string): void {
  const size = Buffer.byteLength(document, "utf8");
  if (size > CUSTOM_DATA_LIMIT_BYTES) {
    const why = `custom data must fit in ${CUSTOM_DATA_LIMIT_BYTES} bytes (Azure's limit); move configuration to FortiManager or a post-boot step`;
    throw new ValidationError(scope, "additionalConfig", `<${size} bytes of custom data>`, why);
  }
}

/**
 * Base64 of the custom data, assembled by Terraform: fixed text around the references (the token, a derived
 * HA password), which are only known at apply and stay sensitive values.
 */
function customDataExpression(
  document: string,
  tokenPlaceholder: string,
  token: string,
  secrets: readonly { placeholder: string; reference: string }[],
): string {
  const references: Record<string, string> = { [tokenPlaceholder]: token, ...Object.fromEntries(secrets.map((x) => [x.placeholder, x.reference])) };
  const placeholders = Object.keys(references);
  const parts = document.split(new RegExp(`(${placeholders.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`));
  // The pieces are string literals inside an expression, where Terraform reads escapes: rawString escapes
  // quotes and ${, not backslashes (a user's \" would end the string) nor the %{ of template directives.
  const literal = (text: string) => Fn.rawString(text.replace(/\\/g, "\\\\").replace(/%\{/g, () => "%%{"));
  return Fn.base64encode(
    Fn.join(
      "",
      parts.map((part, i) => (i % 2 ? references[part] : literal(part))),
    ),
  );
}
