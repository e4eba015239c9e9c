import { Construct } from "constructs";
import type { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { NetworkInterfaceSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/network-interface-security-group-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import type { AzureVmSize } from "./private/azure-vm-size";
import type { MarketplaceImage } from "./fortigate-image";
import type { FortiGateLicense } from "./fortigate-license";
import type { FortiGateExistingSubnet, FortiGateOptions } from "./fortigate-options";
import { exposureRules } from "./private/fortigate-exposure";
import { fortiGateMachine } from "./private/fortigate-machine";
import { fortiGateNic } from "./private/fortigate-nic";
import { resolveFortiGateOptions } from "./private/fortigate-settings";
import { checkFramework } from "./private/framework";
import { marketplaceAgreement } from "./private/marketplace-agreement";
import { singleVmBootstrap } from "./private/single-vm-bootstrap";
import { singleVmLayout } from "./private/single-vm-layout";
import { validateFortiGateVmProps } from "./private/validate-fortigate-vm-props";

/** A new virtual network laid out like Fortinet's single-VM reference deployment. */
export interface FortiGateNewNetworkProps {
  /** @default "172.16.136.0/22" */
  readonly vnetCidr?: string;
  /** External subnet (port1, public side). @default "172.16.136.0/26" */
  readonly externalSubnetCidr?: string;
  /** Internal subnet (port2). @default "172.16.136.64/26" */
  readonly internalSubnetCidr?: string;
  /** Protected subnet for workloads, routed through the FortiGate. @default "172.16.137.0/24" */
  readonly protectedSubnetCidr?: string;
}

/** Existing subnets for the FortiGate's two interfaces. */
export interface FortiGateExistingNetworkProps {
  /** Subnet of port1 (the FortiGate takes host .4). */
  readonly external: FortiGateExistingSubnet;
  /** Subnet of port2 (the FortiGate takes host .4). */
  readonly internal: FortiGateExistingSubnet;
  /** The virtual network's address space, routed through port2. */
  readonly vnetCidr: string;
}

export interface FortiGateVmProps extends FortiGateOptions {
  /** The license token for the custom data. */
  readonly license: FortiGateLicense;
  /** A new network; ignored when `existingNetwork` is given. @default - Fortinet's reference layout */
  readonly network?: FortiGateNewNetworkProps;
  /** Existing subnets instead of a new network. @default - a new network */
  readonly existingNetwork?: FortiGateExistingNetworkProps;
  /** "1", "2" or "3". @default - no zone */
  readonly availabilityZone?: string;
}

/**
 * A BYOL FortiGate VM on Azure that licenses itself at every boot: Marketplace image and plan, two NICs
 * with IP forwarding, a Standard static public IP, NSGs with admin access only from listed CIDRs, a route
 * table sending the protected subnet through the FortiGate, and custom data carrying a license token that
 * is unused when the VM boots (a new VM, for whatever reason, gets a new token first).
 */
export class FortiGateVm extends Construct {
  /** The Azure VM. */
  readonly vm: LinuxVirtualMachine;
  /** The Standard static public IP on port1. */
  readonly publicIp: PublicIp;
  /** The Marketplace image and plan. */
  readonly image: MarketplaceImage;
  /** The Azure VM size, e.g. "Standard_D2s_v5". */
  readonly vmSize: string;
  /** Private IP of port2: the next hop for protected subnets. */
  readonly internalIp: string;
  /** Where its license token comes from. */
  readonly license: FortiGateLicense;
  private readonly size: AzureVmSize;

  constructor(scope: Construct, id: string, props: FortiGateVmProps) {
    super(scope, id);
    checkFramework(this, "FortiGateVm");
    const settings = resolveFortiGateOptions(this, id, props, { hostnameSuffix: "", adminOnPublicSide: true });
    this.license = validateFortiGateVmProps(this, props);
    this.image = settings.image;
    this.vmSize = settings.size.name;
    this.size = settings.size;
    const { prefix, common } = settings;
    const net = singleVmLayout(this, settings, props);

    // Security groups (rules as separate resources, so each change shows as its own plan line): admin only
    // from the listed CIDRs; the internal side trusts the virtual network; outbound is open because the
    // FortiGate reaches FortiGuard (TCP 443) to activate its license and FortiManager on TCP 541.
    const externalNsg = new NetworkSecurityGroup(this, "ExternalNsg", { ...common, name: `${prefix}-fgt-external-nsg` });
    const internalNsg = new NetworkSecurityGroup(this, "InternalNsg", { ...common, name: `${prefix}-fgt-internal-nsg` });
    exposureRules(this, settings, { external: externalNsg, internal: internalNsg });

    this.publicIp = new PublicIp(this, "PublicIp", {
      ...common,
      name: `${prefix}-fgt-pip`,
      sku: "Standard",
      allocationMethod: "Static",
      ...(props.availabilityZone ? { zones: [props.availabilityZone] } : {}),
    });
    const externalIp = net.external.host(4);
    this.internalIp = net.internal.host(4);
    const port1 = fortiGateNic(this, "Port1Nic", settings, {
      name: `${prefix}-fgt-port1`,
      subnetId: net.externalSubnetId,
      ip: externalIp,
      primary: true,
      publicIpAddressId: this.publicIp.id,
    });
    const port2 = fortiGateNic(this, "Port2Nic", settings, { name: `${prefix}-fgt-port2`, subnetId: net.internalSubnetId, ip: this.internalIp });
    new NetworkInterfaceSecurityGroupAssociation(this, "Port1NsgAssociation", { networkInterfaceId: port1.id, networkSecurityGroupId: externalNsg.id });
    new NetworkInterfaceSecurityGroupAssociation(this, "Port2NsgAssociation", { networkInterfaceId: port2.id, networkSecurityGroupId: internalNsg.id });

    this.vm = fortiGateMachine(this, {
      settings,
      vmName: `${prefix}-fgt`,
      networkInterfaceIds: [port1.id, port2.id],
      bootstrap: singleVmBootstrap(settings, net, externalIp, this.internalIp),
      license: this.license,
      zone: props.availabilityZone,
      dependsOn: marketplaceAgreement(this, settings),
    });
  }

  /** The public IP address (known after apply). */
  get publicIpAddress(): string {
    return this.publicIp.ipAddress;
  }

  /** HTTPS management URL on the public IP. */
  get managementUrl(): string {
    return `https://${this.publicIp.ipAddress}/`;
  }

  /** vCPUs of the VM size. */
  get vcpus(): number {
    return this.size.vcpus;
  }
}
