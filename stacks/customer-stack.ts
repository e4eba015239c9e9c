import { AzurermBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { FortiFlexRuntime, resolveEndpoints, type FortiFlexEndpoints } from "../constructs/private/fortiflex-runtime";
import { LifecycleResourceType } from "../constructs/lifecycle-resource-type";
import { terraformLiterals } from "../constructs/private/terraform-literal";
import type { FortiGateArchitecture, FortiGateMarketplaceOffer, FortiOsVersion } from "../constructs/fortigate-image";
import type {
  FortiGateBundleCloudService,
  FortiGateBundleFortiGuardService,
  FortiGateBundleSupportService,
  FortiGateServicePackage,
} from "../constructs/fortiflex-product";
import { FortiGateHaPairWithFortiFlex } from "../constructs/fortigate-ha-pair-with-fortiflex";
import { FortiGateWithFortiFlex } from "../constructs/fortigate-with-fortiflex";
import { resourceGroupOf, stateKeyOf, type Customer } from "./customers-file";
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
    const endpointsProp = options.endpoints ?? customer.fortiflex.endpoints;
    if (customer.decommission) {
      // Nothing declared: Terraform destroys the Azure resources, and the namespace's owner and reconcile
      // steps stop every FortiFlex object the customer's stack still holds.
      const endpoints = resolveEndpoints(this, endpointsProp);
      FortiFlexRuntime.of(this).ownerOf(
        {
          program_serial_number: customer.fortiflex.programSerialNumber,
          account_id: String(customer.fortiflex.accountId),
          api_url: endpoints.apiUrl,
          auth_url: endpoints.authUrl,
        },
        LifecycleResourceType.NULL_RESOURCE,
        endpoints,
      );
      return;
    }
    const tags = { customer: customer.id, "managed-by": "fortiflex-cdktf", ...customer.tags };
    const group = new ResourceGroup(this, "ResourceGroup", {
      name: resourceGroupOf(customer),
      location: customer.azure.location,
      tags: terraformLiterals(tags),
    });

    const f = customer.fortigate;
    const common = {
      name: customer.id,
      programSerialNumber: customer.fortiflex.programSerialNumber,
      accountId: customer.fortiflex.accountId,
      servicePackage: f.servicePackage as FortiGateServicePackage,
      cpu: f.cpu,
      vmSize: f.vmSize,
      vdoms: f.vdoms,
      fortiGuardServices: f.fortiGuardServices as FortiGateBundleFortiGuardService[] | undefined,
      cloudServices: f.cloudServices as FortiGateBundleCloudService[] | undefined,
      supportService: f.supportService as FortiGateBundleSupportService | undefined,
      fortiOsVersion: f.fortiOsVersion as FortiOsVersion | undefined,
      architecture: f.architecture as FortiGateArchitecture | undefined,
      marketplaceOffer: f.marketplaceOffer as FortiGateMarketplaceOffer | undefined,
      imageVersion: f.imageVersion,
      tokenGeneration: f.tokenGeneration,
      hostname: f.hostname,
      adminUsername: f.adminUsername,
      logDiskSizeGb: f.logDiskSizeGb,
      publicPorts: f.publicPorts,
      additionalConfig: f.additionalConfig,
      postLicenseConfig: f.postLicenseConfig,
      fortiManager: f.fortiManager,
      resourceGroupName: group.name,
      location: customer.azure.location,
      adminCidrs: customer.adminCidrs,
      tags,
      endpoints: endpointsProp,
    };
    const existing = customer.existingNetwork;
    if (f.deployment === "active-passive") {
      const pair = new FortiGateHaPairWithFortiFlex(this, "FortiGatePair", {
        ...common,
        availabilityZones: f.availabilityZones,
        network: customer.network,
        existingNetwork: existing && {
          vnetCidr: existing.vnetCidr,
          external: existing.external,
          internal: existing.internal,
          haSync: existing.haSync!,
          haManagement: existing.haManagement!,
        },
      });
      this.fortiGate = pair;
      new TerraformOutput(this, "management_urls", {
        value: pair.managementUrls,
        description: "HTTPS management URLs of FortiGate A and B (their own public IPs)",
      });
      new TerraformOutput(this, "public_ip", { value: pair.publicIpAddress, description: "Public IP of the external load balancer" });
      new TerraformOutput(this, "entitlement_serial_numbers", {
        value: pair.serialNumbers,
        description: "FortiFlex entitlement (and FortiGate) serial numbers of units A and B",
      });
      return;
    }
    const single = new FortiGateWithFortiFlex(this, "FortiGate", {
      ...common,
      availabilityZone: f.availabilityZone,
      network: customer.network,
      existingNetwork: existing && { vnetCidr: existing.vnetCidr, external: existing.external, internal: existing.internal },
    });
    this.fortiGate = single;
    new TerraformOutput(this, "management_url", { value: single.managementUrl, description: "FortiGate HTTPS management URL" });
    new TerraformOutput(this, "public_ip", { value: single.publicIpAddress, description: "FortiGate public IP" });
    new TerraformOutput(this, "entitlement_serial_number", { value: single.serialNumber, description: "FortiFlex entitlement (and FortiGate) serial number" });
  }
}
