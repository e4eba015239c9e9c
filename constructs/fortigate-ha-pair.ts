import * as crypto from "node:crypto";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AvailabilitySet } from "@cdktf/provider-azurerm/lib/availability-set";
import type { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import type { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import type { MarketplaceImage } from "./fortigate-image";
import type { FortiGateLicense } from "./fortigate-license";
import type { FortiGateExistingSubnet, FortiGateOptions } from "./fortigate-options";
import { exposureRules } from "./private/fortigate-exposure";
import { resolveFortiGateOptions } from "./private/fortigate-settings";
import { checkFramework } from "./private/framework";
import { haLoadBalancers } from "./private/ha-load-balancers";
import { haPairLayout } from "./private/ha-pair-layout";
import { haPairUnit, type HaPairShared } from "./private/ha-pair-unit";
import { marketplaceAgreement } from "./private/marketplace-agreement";
import { validateHaPairProps } from "./private/validate-fortigate-ha-pair-props";

/** A new virtual network laid out like Fortinet's active-passive reference deployment (ELB/ILB). */
export interface FortiGateHaNetworkProps {
  /** @default "172.16.136.0/22" */
  readonly vnetCidr?: string;
  /** port1, behind the external load balancer. @default "172.16.136.0/26" */
  readonly externalSubnetCidr?: string;
  /** port2, behind the internal load balancer (its frontend takes .4, the units .5 and .6). @default "172.16.136.64/26" */
  readonly internalSubnetCidr?: string;
  /** port3: FGCP heartbeat and session sync. @default "172.16.136.128/26" */
  readonly haSyncSubnetCidr?: string;
  /** port4: each unit's reserved management interface, with its own public IP. @default "172.16.136.192/26" */
  readonly haManagementSubnetCidr?: string;
  /** Protected subnet for workloads, routed through the internal load balancer. @default "172.16.137.0/24" */
  readonly protectedSubnetCidr?: string;
}

/** Existing subnets for the pair's four interfaces (the units take hosts .4 and .5; the internal load balancer .4, the units .5 and .6 there). */
export interface FortiGateHaExistingNetworkProps {
  /** port1. */
  readonly external: FortiGateExistingSubnet;
  /** port2 and the internal load balancer. */
  readonly internal: FortiGateExistingSubnet;
  /** port3: heartbeat and session sync. */
  readonly haSync: FortiGateExistingSubnet;
  /** port4: management. */
  readonly haManagement: FortiGateExistingSubnet;
  /** The virtual network's address space, routed through port2. */
  readonly vnetCidr: string;
}

export interface FortiGateHaPairProps extends FortiGateOptions {
  /** One license per unit: unit A's, then unit B's (each unit licenses itself with its own token). */
  readonly licenses: readonly FortiGateLicense[];
  /** @default - Fortinet's reference layout */
  readonly network?: FortiGateHaNetworkProps;
  /** Existing subnets instead of a new network. @default - a new network */
  readonly existingNetwork?: FortiGateHaExistingNetworkProps;
  /** Two different zones, unit A's then unit B's, e.g. ["1", "2"]. @default - an availability set (2 fault domains) */
  readonly availabilityZones?: readonly string[];
  /**
   * FGCP group password as a Terraform reference; the units get a SHA-256 derived from it (hex, so it is safe
   * in FortiOS CLI and is not the secret itself). @default - derived from the admin password
   */
  readonly haPassword?: string;
}

/** One unit of the pair: its VM and its management address. */
export interface FortiGateHaUnit {
  /** The unit's VM. */
  readonly vm: LinuxVirtualMachine;
  /** Its own public IP on port4, for management. */
  readonly managementIp: PublicIp;
}

/**
 * Fortinet's active-passive FortiGate pair on Azure behind an external and an internal Standard load balancer
 * (reference deployment FortiGate/Active-Passive-ELB-ILB of fortinet/azure-templates): two BYOL VMs in an
 * availability set or two zones, four NICs each (external, internal, HA sync, HA management with its own
 * public IP), FGCP active-passive with unicast heartbeat and session pickup over port3, both load balancers
 * probing TCP 8008 (answered by the active unit only), the public ports through the external load balancer,
 * HA ports through the internal one, and the protected subnet's routes through the internal frontend, so
 * traffic follows the active unit on failover. Each unit boots with its own license token, unused at boot.
 */
export class FortiGateHaPair extends Construct {
  /** The unit meant to be active (priority 255). */
  readonly unitA: FortiGateHaUnit;
  /** The other unit (priority 1). */
  readonly unitB: FortiGateHaUnit;
  /** The external load balancer's public IP. */
  readonly publicIp: PublicIp;
  /** The internal load balancer's frontend: the next hop of the protected subnets. */
  readonly internalLoadBalancerIp: string;
  /** The Marketplace image and plan both units run. */
  readonly image: MarketplaceImage;
  /** The Azure VM size of both units. */
  readonly vmSize: string;

  constructor(scope: Construct, id: string, props: FortiGateHaPairProps) {
    super(scope, id);
    checkFramework(this, "FortiGateHaPair");
    const settings = resolveFortiGateOptions(this, id, props, { hostnameSuffix: "-a", adminOnPublicSide: false });
    const { licenses, zones } = validateHaPairProps(this, props, settings);
    this.image = settings.image;
    this.vmSize = settings.size.name;
    const { prefix, common } = settings;
    const net = haPairLayout(this, settings, props);

    const nsgs = {
      external: new NetworkSecurityGroup(this, "ExternalNsg", { ...common, name: `${prefix}-fgt-external-nsg` }),
      internal: new NetworkSecurityGroup(this, "InternalNsg", { ...common, name: `${prefix}-fgt-internal-nsg` }),
      management: new NetworkSecurityGroup(this, "ManagementNsg", { ...common, name: `${prefix}-fgt-management-nsg` }),
    };
    exposureRules(this, settings, nsgs);
    const loadBalancers = haLoadBalancers(this, settings, net, zones !== undefined);
    this.publicIp = loadBalancers.publicIp;
    this.internalLoadBalancerIp = loadBalancers.internalIp;
    const availabilitySet = zones
      ? undefined
      : new AvailabilitySet(this, "AvailabilitySet", {
          ...common,
          name: `${prefix}-fgt-avset`,
          platformFaultDomainCount: 2,
          platformUpdateDomainCount: 2,
          managed: true,
        });
    const shared: HaPairShared = {
      settings,
      net,
      loadBalancers,
      nsgs,
      licenses,
      zones,
      availabilitySetId: availabilitySet?.id,
      haPassword: {
        name: "ha_password",
        placeholder: `@@FORTIFLEX-HA-PASSWORD-${crypto.randomBytes(16).toString("hex")}@@`,
        reference: Fn.substr(Fn.sha256(Fn.join(":", ["fortigate-fgcp", props.haPassword ?? settings.adminPassword])), 0, 32),
      },
      agreement: marketplaceAgreement(this, settings),
    };
    this.unitA = haPairUnit(this, 0, shared);
    this.unitB = haPairUnit(this, 1, shared);
  }

  /** The cluster's public IP address (known after apply). */
  get publicIpAddress(): string {
    return this.publicIp.ipAddress;
  }

  /** HTTPS management URLs of unit A and unit B, on their own public IPs. */
  get managementUrls(): string[] {
    return [this.unitA, this.unitB].map((u) => `https://${u.managementIp.ipAddress}/`);
  }
}
