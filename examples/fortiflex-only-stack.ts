import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import {
  EntitlementDesiredStatus,
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiFlexVmEntitlement,
  FortiGateBundleCloudService,
  FortiGateServicePackage,
  type FortiFlexEndpoints,
} from "../constructs";
import { localStateBackend } from "../stacks/local-state";

/**
 * A FortiFlex-only stack: one FortiGate VM configuration for a customer account and an active/standby
 * pair of VM entitlements. No cloud resources, so it plans and applies with FortiFlex credentials alone.
 * `endpoints` points it elsewhere (the demo: the simulator); default Fortinet's FortiFlex service.
 */
export class FortiFlexOnlyStack extends TerraformStack {
  constructor(scope: Construct, id: string, programSerialNumber = "ELAVMS0000000518", accountId = 1525960, endpoints?: FortiFlexEndpoints) {
    super(scope, id);
    localStateBackend(this);
    const config = new FortiFlexConfiguration(this, "EdgeConfig", {
      programSerialNumber,
      accountId,
      name: "Edge firewall 2 vCPU UTP",
      product: FortiFlexProduct.fortiGateVmBundle({
        cpu: 2,
        servicePackage: FortiGateServicePackage.UTP,
        cloudServices: [FortiGateBundleCloudService.FORTIANALYZER_CLOUD],
      }),
      endpoints,
    });
    const active = new FortiFlexVmEntitlement(this, "Active", { configuration: config, description: "edge active" });
    new FortiFlexVmEntitlement(this, "Standby", { configuration: config, description: "edge standby", status: EntitlementDesiredStatus.STOPPED });
    new TerraformOutput(this, "active_serial_number", { value: active.serialNumber });
    new TerraformOutput(this, "active_license_token", { value: active.licenseToken, sensitive: true });
  }
}
