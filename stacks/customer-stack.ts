import { AzurermBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { ValidationError } from "../constructs/validation-error";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { FortiFlexEndpoints } from "../constructs/fortiflex-endpoints";
import { FortiFlexRetirement } from "../constructs/fortiflex-retirement";
import { terraformLiterals } from "../constructs/private/terraform-literal";
import { FortiGateHaPairWithFortiFlex } from "../constructs/fortigate-ha-pair-with-fortiflex";
import { FortiGateWithFortiFlex } from "../constructs/fortigate-with-fortiflex";
import { resourceGroupOf, stateKeyOf, type Customer } from "./customers-file";
import { fortiGatePropsOf, type CustomerFortiGateProps } from "./customer-fortigate-props";
import { localStateBackend } from "./local-state";

/** What a `CustomerStack` is built from. */
export interface CustomerStackProps {
  /** The customer, as `loadCustomersFile` returns it (validated, defaults applied). */
  readonly customer: Customer;
  /**
   * FortiFlex endpoints for every customer. They win over the customers file's `fortiflex.endpoints`: code that
   * sets them cannot be redirected by a change of the file alone.
   * @default - the customer's `fortiflex.endpoints`, else Fortinet's FortiFlex service
   */
  readonly endpoints?: FortiFlexEndpoints;
  /**
   * Let the customers file send the FortiFlex credentials to a host other than Fortinet's or loopback (its
   * `fortiflex.endpoints.allowNonFortinetHost: true`). The file is reviewed by the fleet team, the credentials
   * are the maintainers': without this, such a customer is refused, and only code (owned by the maintainers)
   * can allow it.
   * @default false
   */
  readonly allowNonFortinetHostInCustomersFile?: boolean;
}

/**
 * One customer's stack: the Azure provider for the customer's subscription, a resource group, a
 * self-licensing FortiGate (or active-passive pair) with its FortiFlex configuration and entitlement(s), and
 * the outputs an operator needs. State stays beside the stack (local) unless the customer has an Azure Storage backend.
 * A customer with `decommission: true` keeps only its provider and a `FortiFlexRetirement`: the next apply
 * destroys its Azure resources and stops every FortiFlex object it holds.
 *
 * The stack's id is the customer's id: it names the stack directory, the state key and every address the
 * GitOps workflows match to the customer.
 */
export class CustomerStack extends TerraformStack {
  /** The customer's FortiGate or pair; undefined once the customer is decommissioned. */
  readonly fortiGate?: FortiGateWithFortiFlex | FortiGateHaPairWithFortiFlex;

  constructor(scope: Construct, id: string, props: CustomerStackProps) {
    super(scope, id);
    const customer = props.customer;
    if (id !== customer?.id)
      throw new ValidationError(this, "id", id, `the customer's id ${JSON.stringify(customer?.id)} (it names the stack directory and the state key)`);
    this.stateBackend(customer);
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: customer.azure.subscriptionId, tenantId: customer.azure.tenantId });
    const endpoints = props.endpoints ?? customer.fortiflex.endpoints;
    if (!props.endpoints && endpoints?.allowNonFortinetHost && !props.allowNonFortinetHostInCustomersFile) {
      throw new ValidationError(
        this,
        "fortiflex.endpoints.allowNonFortinetHost",
        true,
        "the customers file cannot send the FortiFlex credentials to another host than Fortinet's or loopback by itself; " +
          "the code allows it (synthesizeFleet's or CustomerStack's allowNonFortinetHostInCustomersFile: true)",
      );
    }
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
   * Nothing declared but the retirement: Terraform destroys the Azure resources, and the retirement stops every
   * FortiFlex object the customer's stack still holds.
   */
  private retire(customer: Customer, endpoints: FortiFlexEndpoints | undefined): void {
    new FortiFlexRetirement(this, "Retirement", {
      programSerialNumber: customer.fortiflex.programSerialNumber,
      accountId: customer.fortiflex.accountId,
      endpoints,
    });
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
