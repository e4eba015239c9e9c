import { Construct } from "constructs";
import type { FortiFlexConfiguration } from "./fortiflex-configuration";
import type { FortiFlexVmEntitlement } from "./fortiflex-vm-entitlement";
import type { FortiGateFortiFlexProps } from "./fortigate-fortiflex-props";
import { fortiFlexLicensing } from "./private/fortigate-fortiflex-licensing";
import { FortiGateLicense } from "./fortigate-license";
import type { FortiGateOptions } from "./fortigate-options";
import { FortiGateVm, type FortiGateExistingNetworkProps, type FortiGateNewNetworkProps } from "./fortigate-vm";
import { checkFramework } from "./private/framework";

export interface FortiGateWithFortiFlexProps extends FortiGateOptions, FortiGateFortiFlexProps {
  /** @default - Fortinet's reference layout */
  readonly network?: FortiGateNewNetworkProps;
  /** @default - a new network */
  readonly existingNetwork?: FortiGateExistingNetworkProps;
  /** "1", "2" or "3". @default - no zone */
  readonly availabilityZone?: string;
  /** @default - Standard_D<cpu>s_v5 (x64) or Standard_D<cpu>ps_v6 (ARM64) */
  readonly vmSize?: string;
  /** @default - `name`, lower case */
  readonly namePrefix?: string;
}

/**
 * One self-licensing FortiGate: a FortiFlex configuration sized to the VM, one VM entitlement, and the
 * BYOL FortiGate VM whose custom data carries the entitlement's token (unused at every boot). The vCPU count
 * is one value for both sides, so changing it updates the configuration in place and resizes the VM in place.
 */
export class FortiGateWithFortiFlex extends Construct {
  /** The FortiFlex configuration sized to the VM. */
  readonly configuration: FortiFlexConfiguration;
  /** The VM's entitlement. */
  readonly entitlement: FortiFlexVmEntitlement;
  /** The FortiGate VM and its network. */
  readonly fortiGate: FortiGateVm;

  constructor(scope: Construct, id: string, props: FortiGateWithFortiFlexProps) {
    super(scope, id);
    checkFramework(this, "FortiGateWithFortiFlex");
    const licensing = fortiFlexLicensing(this, props, [{ id: "Entitlement", description: "FortiGate" }]);
    this.configuration = licensing.configuration;
    this.entitlement = licensing.entitlements[0];
    this.fortiGate = new FortiGateVm(this, "FortiGate", {
      ...props,
      namePrefix: props.namePrefix ?? props.name.toLowerCase(),
      vmSize: licensing.vmSize,
      license: FortiGateLicense.fromEntitlement(this.entitlement),
    });
  }

  /** The public IP address (known after apply). */
  get publicIpAddress(): string {
    return this.fortiGate.publicIpAddress;
  }

  /** HTTPS management URL on the public IP. */
  get managementUrl(): string {
    return this.fortiGate.managementUrl;
  }

  /** The FortiFlex serial number, which is also the FortiGate's serial number once licensed. */
  get serialNumber(): string {
    return this.entitlement.serialNumber;
  }
}
