import { AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { FortiFlexEndpoints } from "../constructs/fortiflex-runtime";
import type { FortiGateArchitecture, FortiOsVersion } from "../constructs/fortigate-image";
import type { FortiGateServicePackage } from "../constructs/fortiflex-product";
import { FortiGateWithFortiFlex } from "../constructs/fortigate-with-fortiflex";
import { resourceGroupOf, stateKeyOf, type Customer } from "./customers-file";

export interface CustomerStackOptions {
  /** @default - from the environment at synth, else the real FortiFlex service */
  readonly endpoints?: FortiFlexEndpoints;
}

/**
 * One customer's stack: the Azure provider for the customer's subscription, a resource group, a
 * self-licensing FortiGate with its FortiFlex configuration and entitlement, and the outputs an operator
 * needs. State stays beside the stack (local) unless the customer has an Azure Storage backend.
 */
export class CustomerStack extends TerraformStack {
  readonly fortiGate: FortiGateWithFortiFlex;

  constructor(scope: Construct, customer: Customer, options: CustomerStackOptions = {}) {
    super(scope, customer.id);
    const b = customer.backend?.azurerm;
    if (b) {
      new AzurermBackend(this, {
        resourceGroupName: b.resourceGroupName,
        storageAccountName: b.storageAccountName,
        containerName: b.containerName,
        key: stateKeyOf(customer),
        useAzureadAuth: b.useAzureadAuth ?? true,
      });
    } else {
      // Relative, so cdktf.out/stacks/<id> can be moved to another machine and still plan.
      new LocalBackend(this, { path: "terraform.tfstate" });
    }
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: customer.azure.subscriptionId });
    const tags = { customer: customer.id, "managed-by": "fortiflex-cdktf", ...customer.tags };
    const group = new ResourceGroup(this, "ResourceGroup", { name: resourceGroupOf(customer), location: customer.azure.location, tags });

    this.fortiGate = new FortiGateWithFortiFlex(this, "FortiGate", {
      name: customer.id,
      programSerialNumber: customer.fortiflex.programSerialNumber,
      accountId: customer.fortiflex.accountId,
      servicePackage: customer.fortigate.servicePackage as FortiGateServicePackage,
      cpu: customer.fortigate.cpu,
      vmSize: customer.fortigate.vmSize,
      fortiOsVersion: customer.fortigate.fortiOsVersion as FortiOsVersion | undefined,
      architecture: customer.fortigate.architecture as FortiGateArchitecture | undefined,
      availabilityZone: customer.fortigate.availabilityZone,
      tokenGeneration: customer.fortigate.tokenGeneration,
      resourceGroupName: group.name,
      location: customer.azure.location,
      network: customer.network,
      adminCidrs: customer.adminCidrs,
      tags,
      endpoints: options.endpoints,
    });

    new TerraformOutput(this, "management_url", { value: this.fortiGate.managementUrl, description: "FortiGate HTTPS management URL" });
    new TerraformOutput(this, "public_ip", { value: this.fortiGate.publicIpAddress, description: "FortiGate public IP" });
    new TerraformOutput(this, "entitlement_serial_number", { value: this.fortiGate.serialNumber, description: "FortiFlex entitlement (and FortiGate) serial number" });
  }
}
