import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { FortiGateServicePackage, FortiGateWithFortiFlex } from "../constructs";
import { localStateBackend } from "../stacks/local-state";

/**
 * One self-licensing FortiGate on Azure: a FortiFlex configuration (4 vCPU, UTP), one VM entitlement and
 * a BYOL FortiGate VM in a new network laid out like Fortinet's single-VM reference deployment.
 */
export class FortiGateOnAzureStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    localStateBackend(this);
    new AzurermProvider(this, "azurerm", { features: [{}], subscriptionId: "11111111-1111-4111-8111-111111111111" });
    const group = new ResourceGroup(this, "Group", { name: "edge-fortigate-rg", location: "westeurope" });
    const edge = new FortiGateWithFortiFlex(this, "Edge", {
      name: "edge",
      programSerialNumber: "ELAVMS0000000518",
      accountId: 1525960,
      servicePackage: FortiGateServicePackage.UTP,
      cpu: 4, // Standard_D4s_v5, and CPU=4 in the FortiFlex configuration
      resourceGroupName: group.name,
      location: group.location,
      adminCidrs: ["203.0.113.0/24"], // HTTPS/SSH admin only from here
    });
    new TerraformOutput(this, "management_url", { value: edge.managementUrl });
    new TerraformOutput(this, "serial_number", { value: edge.serialNumber });
  }
}
