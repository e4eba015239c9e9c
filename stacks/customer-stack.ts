import { AzurermBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { FortiFlexRuntime, resolveEndpoints, type FortiFlexEndpoints } from "../constructs/fortiflex-runtime";
import { LifecycleResourceType } from "../constructs/lifecycle-resource-type";
import { terraformLiterals } from "../constructs/terraform-literal";
import type { FortiGateArchitecture, FortiOsVersion } from "../constructs/fortigate-image";
import type { FortiGateServicePackage } from "../constructs/fortiflex-product";
import { FortiGateWithFortiFlex } from "../constructs/fortigate-with-fortiflex";
import { resourceGroupOf, stateKeyOf, type Customer } from "./customers-file";
import { localStateBackend } from "./local-state";

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
  /** The customer's FortiGate; undefined once the customer is decommissioned. */
  readonly fortiGate?: FortiGateWithFortiFlex;

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
      localStateBackend(this);
    }
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: customer.azure.subscriptionId });
    if (customer.decommission) {
      // Nothing declared: Terraform destroys the Azure resources, and the namespace's owner and reconcile
      // steps stop every FortiFlex object the customer's stack still holds.
      const endpoints = resolveEndpoints(this, options.endpoints);
      FortiFlexRuntime.of(this).ownerOf(
        { program_serial_number: customer.fortiflex.programSerialNumber, account_id: String(customer.fortiflex.accountId), api_url: endpoints.apiUrl, auth_url: endpoints.authUrl },
        LifecycleResourceType.NULL_RESOURCE,
      );
      return;
    }
    const tags = { customer: customer.id, "managed-by": "fortiflex-cdktf", ...customer.tags };
    const group = new ResourceGroup(this, "ResourceGroup", { name: resourceGroupOf(customer), location: customer.azure.location, tags: terraformLiterals(tags) });

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

    const fortiGate = this.fortiGate;
    new TerraformOutput(this, "management_url", { value: fortiGate.managementUrl, description: "FortiGate HTTPS management URL" });
    new TerraformOutput(this, "public_ip", { value: fortiGate.publicIpAddress, description: "FortiGate public IP" });
    new TerraformOutput(this, "entitlement_serial_number", { value: fortiGate.serialNumber, description: "FortiFlex entitlement (and FortiGate) serial number" });
  }
}
