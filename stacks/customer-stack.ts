import { AzurermBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { FortiFlexEndpoints } from "../constructs/fortiflex-endpoints";
import { FortiFlexRuntime, resolveEndpoints } from "../constructs/private/fortiflex-runtime";
import { LifecycleResourceType } from "../constructs/lifecycle-resource-type";
import { terraformLiterals } from "../constructs/private/terraform-literal";
import { FortiGateHaPairWithFortiFlex } from "../constructs/fortigate-ha-pair-with-fortiflex";
import { FortiGateWithFortiFlex } from "../constructs/fortigate-with-fortiflex";
import { resourceGroupOf, stateKeyOf, type Customer } from "./customers-file";
import { fortiGatePropsOf, type CustomerFortiGateProps } from "./customer-fortigate-props";
import { localStateBackend } from "./local-state";

export interface CustomerStackOptions {
  /**
   * FortiFlex endpoints for every customer. They win over the customers file's `fortiflex.endpoints`: code that
   * sets them cannot be redirected by a change of the file alone.
   * @default - the customer's `fortiflex.endpoints`, else Fortinet's FortiFlex service
   */
  readonly endpoints?: FortiFlexEndpoints;
}

/**
 * One customer's stack: the Azure provider for the customer's subscription, a resource group, a
 * self-licensing FortiGate (or active-passive pair) with its FortiFlex configuration and entitlement(s), and
 * the outputs an operator needs. State stays beside the stack (local) unless the customer has an Azure Storage backend.
 */
export class CustomerStack extends TerraformStack {
  /** The customer's FortiGate or pair; undefined once the customer is decommissioned. */
  readonly fortiGate?: FortiGateWithFortiFlex | FortiGateHaPairWithFortiFlex;

  constructor(scope: Construct, customer: Customer, options: CustomerStackOptions = {}) {
    super(scope, customer.id);
    this.stateBackend(customer);
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: customer.azure.subscriptionId });
    const endpoints = options.endpoints ?? customer.fortiflex.endpoints;
    if (customer.decommission) {
      this.retire(customer, endpoints);
      return;
    }
    const tags = { customer: customer.id, "managed-by": "fortiflex-cdktf", ...customer.tags };
    const group = new ResourceGroup(this, "ResourceGroup", {
      name: resourceGroupOf(customer),
      location: customer.azure.location,
      tags: terraformLiterals(tags),
    });
    const common = fortiGatePropsOf(customer, { resourceGroupName: group.name, tags, endpoints });
    this.fortiGate = customer.fortigate.deployment === "active-passive" ? this.pair(customer, common) : this.single(customer, common);
  }

  /** Azure Storage when the customer has a backend, else local state beside the stack. */
  private stateBackend(customer: Customer): void {
    const b = customer.backend?.azurerm;
    if (!b) return void localStateBackend(this);
    new AzurermBackend(this, {
      resourceGroupName: b.resourceGroupName,
      storageAccountName: b.storageAccountName,
      containerName: b.containerName,
      key: stateKeyOf(customer),
      useAzureadAuth: b.useAzureadAuth ?? true,
    });
  }

  /**
   * Nothing declared: Terraform destroys the Azure resources, and the namespace's owner and reconcile steps stop
   * every FortiFlex object the customer's stack still holds.
   */
  private retire(customer: Customer, endpointsProp: FortiFlexEndpoints | undefined): void {
    const endpoints = resolveEndpoints(this, endpointsProp);
    const owner = {
      program_serial_number: customer.fortiflex.programSerialNumber,
      account_id: String(customer.fortiflex.accountId),
      api_url: endpoints.apiUrl,
      auth_url: endpoints.authUrl,
    };
    FortiFlexRuntime.of(this).ownerOf(owner, LifecycleResourceType.NULL_RESOURCE, endpoints);
  }

  private pair(customer: Customer, common: CustomerFortiGateProps): FortiGateHaPairWithFortiFlex {
    const existing = customer.existingNetwork;
    const pair = new FortiGateHaPairWithFortiFlex(this, "FortiGatePair", {
      ...common,
      availabilityZones: customer.fortigate.availabilityZones,
      network: customer.network,
      existingNetwork: existing && {
        vnetCidr: existing.vnetCidr,
        external: existing.external,
        internal: existing.internal,
        haSync: existing.haSync!,
        haManagement: existing.haManagement!,
      },
    });
    new TerraformOutput(this, "management_urls", {
      value: pair.managementUrls,
      description: "HTTPS management URLs of FortiGate A and B (their own public IPs)",
    });
    new TerraformOutput(this, "public_ip", { value: pair.publicIpAddress, description: "Public IP of the external load balancer" });
    new TerraformOutput(this, "entitlement_serial_numbers", {
      value: pair.serialNumbers,
      description: "FortiFlex entitlement (and FortiGate) serial numbers of units A and B",
    });
    return pair;
  }

  private single(customer: Customer, common: CustomerFortiGateProps): FortiGateWithFortiFlex {
    const existing = customer.existingNetwork;
    const single = new FortiGateWithFortiFlex(this, "FortiGate", {
      ...common,
      availabilityZone: customer.fortigate.availabilityZone,
      network: customer.network,
      existingNetwork: existing && { vnetCidr: existing.vnetCidr, external: existing.external, internal: existing.internal },
    });
    new TerraformOutput(this, "management_url", { value: single.managementUrl, description: "FortiGate HTTPS management URL" });
    new TerraformOutput(this, "public_ip", { value: single.publicIpAddress, description: "FortiGate public IP" });
    new TerraformOutput(this, "entitlement_serial_number", { value: single.serialNumber, description: "FortiFlex entitlement (and FortiGate) serial number" });
    return single;
  }
}
