import { Construct } from "constructs";
import type { FortiFlexConfiguration } from "./fortiflex-configuration";
import type { FortiFlexVmEntitlement } from "./fortiflex-vm-entitlement";
import type { FortiGateFortiFlexProps } from "./fortigate-fortiflex-props";
import { fortiFlexLicensing } from "./private/fortigate-fortiflex-licensing";
import { FortiGateHaPair, type FortiGateHaExistingNetworkProps, type FortiGateHaNetworkProps } from "./fortigate-ha-pair";
import { FortiGateLicense } from "./fortigate-license";
import type { FortiGateOptions } from "./fortigate-options";
import { checkFramework } from "./private/framework";

export interface FortiGateHaPairWithFortiFlexProps extends FortiGateOptions, FortiGateFortiFlexProps {
  /** @default - Fortinet's reference layout */
  readonly network?: FortiGateHaNetworkProps;
  /** @default - a new network */
  readonly existingNetwork?: FortiGateHaExistingNetworkProps;
  /** Two different zones, unit A's then unit B's. @default - an availability set */
  readonly availabilityZones?: readonly string[];
  /** FGCP group password as a Terraform reference. @default - derived from the admin password */
  readonly haPassword?: string;
  /** @default - Standard_D<cpu>s_v5 (x64) or Standard_D<cpu>ps_v6 (ARM64) */
  readonly vmSize?: string;
  /** @default - `name`, lower case */
  readonly namePrefix?: string;
}

/**
 * An active-passive FortiGate pair licensed by FortiFlex: one configuration sized to the VMs and one
 * entitlement per unit (both in service: FGCP needs both units licensed), each unit booting with its own
 * token, unused at every boot.
 */
export class FortiGateHaPairWithFortiFlex extends Construct {
  /** The FortiFlex configuration sized to the VMs. */
  readonly configuration: FortiFlexConfiguration;
  /** Unit A's and unit B's entitlements. */
  readonly entitlements: readonly FortiFlexVmEntitlement[];
  /** The two FortiGates, their load balancers and network. */
  readonly pair: FortiGateHaPair;

  constructor(scope: Construct, id: string, props: FortiGateHaPairWithFortiFlexProps) {
    super(scope, id);
    checkFramework(this, "FortiGateHaPairWithFortiFlex");
    const licensing = fortiFlexLicensing(this, props, [
      { id: "EntitlementA", description: "FortiGate A" },
      { id: "EntitlementB", description: "FortiGate B" },
    ]);
    this.configuration = licensing.configuration;
    this.entitlements = licensing.entitlements;
    this.pair = new FortiGateHaPair(this, "FortiGatePair", {
      ...props,
      namePrefix: props.namePrefix ?? props.name.toLowerCase(),
      vmSize: licensing.vmSize,
      licenses: this.entitlements.map((e) => FortiGateLicense.fromEntitlement(e)),
    });
  }

  /** The external load balancer's public IP (known after apply). */
  get publicIpAddress(): string {
    return this.pair.publicIpAddress;
  }

  /** HTTPS management URLs of unit A and unit B. */
  get managementUrls(): string[] {
    return this.pair.managementUrls;
  }

  /** Serial numbers of unit A and unit B (the FortiFlex entitlements'). */
  get serialNumbers(): string[] {
    return this.entitlements.map((e) => e.serialNumber);
  }
}
