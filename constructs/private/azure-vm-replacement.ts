import { Fn } from "cdktf";
import type { LinuxVirtualMachineConfig } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";

/**
 * The arguments of an `azurerm_linux_virtual_machine` that make Azure build a new VM when they change (azurerm
 * 4.x marks them ForceNew; everything else, size and NICs included, is updated in place), as plain strings:
 * the triggers of the step that gives each new VM an unused license token. The password is hashed, so the
 * step's state and the plan show only that it changed. Custom data is not here: the VM ignores it, and the
 * boot step records the bootstrap itself.
 */
export function vmReplacementCauses(vm: LinuxVirtualMachineConfig): Record<string, string> {
  const image = vm.sourceImageReference;
  const causes: Record<string, string> = {
    name: vm.name,
    location: vm.location ?? "",
    resource_group_name: vm.resourceGroupName,
    computer_name: vm.computerName ?? "",
    admin_username: vm.adminUsername ?? "",
    admin_password_sha256: vm.adminPassword === undefined ? "" : Fn.sha256(vm.adminPassword),
    disable_password_authentication: String(vm.disablePasswordAuthentication ?? true),
    zone: vm.zone ?? "",
    availability_set_id: vm.availabilitySetId ?? "",
    platform_fault_domain: vm.platformFaultDomain === undefined ? "" : String(vm.platformFaultDomain),
    secure_boot_enabled: String(vm.secureBootEnabled ?? false),
    vtpm_enabled: String(vm.vtpmEnabled ?? false),
    image: image ? [image.publisher, image.offer, image.sku, image.version].join(":") : "",
    plan: vm.plan ? [vm.plan.publisher, vm.plan.product, vm.plan.name].join(":") : "",
    os_disk: [vm.osDisk.name ?? "", vm.osDisk.storageAccountType].join(":"),
  };
  return causes;
}
