import type { FortiGateArchitecture, FortiGateMarketplaceOffer, FortiOsVersion } from "./fortigate-image";

/** A subnet that already exists. */
export interface FortiGateExistingSubnet {
  /** Azure resource id of the subnet. */
  readonly id: string;
  /** Its address prefix. */
  readonly cidr: string;
}

/** A port the public side accepts from anywhere (FortiGate policy decides what happens next). */
export interface FortiGatePublicPort {
  /** "Tcp" or "Udp". */
  readonly protocol: string;
  /** 1-65535. */
  readonly port: number;
  /**
   * Pair only: keep the load balancer's public IP as the destination (floating IP), for FortiGate VIPs on that
   * address that survive a failover. Off, the active unit sees the traffic addressed to its port1. @default false
   */
  readonly floatingIp?: boolean;
}

/** Central management by FortiManager: the FortiGate registers itself and opens the FGFM tunnel (TCP 541). */
export interface FortiManagerProps {
  /** IP address or host name of the FortiManager. */
  readonly address: string;
  /** The FortiManager's serial number (e.g. "FMG-VM0000000001"); the FortiGate then trusts only that one. @default - any */
  readonly serialNumber?: string;
}

/**
 * Everything about a FortiGate on Azure that does not depend on the deployment pattern: shared by the
 * single VM and the active-passive pair, and by their FortiFlex-licensed forms, so no option is lost on the
 * way through.
 */
export interface FortiGateOptions {
  /** The Azure resource group (a name or a reference). */
  readonly resourceGroupName: string;
  /** Azure region, e.g. "westeurope". */
  readonly location: string;
  /** Prefix of Azure resource names. @default - the construct id, lower case */
  readonly namePrefix?: string;
  /** FortiOS hostname (at most 35 characters; a pair's units add "-a" and "-b"). @default - "<namePrefix>-fgt", shortened to fit */
  readonly hostname?: string;
  /** Admin HTTPS/SSH is allowed only from these CIDRs (NSG and FortiOS trusted hosts; at most 10). */
  readonly adminCidrs: string[];
  /** Allow admin HTTPS/SSH from anywhere; needed to use 0.0.0.0/0. @default false */
  readonly allowAdminFromAnywhere?: boolean;
  /** @default "Standard_D2s_v5" */
  readonly vmSize?: string;
  /** @default FortiOsVersion.V7_6 */
  readonly fortiOsVersion?: FortiOsVersion;
  /** @default FortiGateArchitecture.X64_GEN2 */
  readonly architecture?: FortiGateArchitecture;
  /** @default FortiGateMarketplaceOffer.CURRENT */
  readonly marketplaceOffer?: FortiGateMarketplaceOffer;
  /** Exact image version, e.g. "7.6.6"; the legacy offer needs one. @default "latest" (newest patch of fortiOsVersion) */
  readonly imageVersion?: string;
  /** Accept the Marketplace terms for this image in the subscription (once per subscription; fails if already accepted). @default false */
  readonly acceptMarketplaceTerms?: boolean;
  /** @default "fortiadmin" */
  readonly adminUsername?: string;
  /**
   * Admin password as a Terraform reference (never a literal: it would be in cdk.tf.json). Changing it
   * rebuilds the VM(s), each with a new license token.
   * @default - a sensitive variable `<namePrefix>_admin_password`, hyphens as underscores (set `TF_VAR_` + that name)
   */
  readonly adminPassword?: string;
  /** @default - where the size supports it (2+ vCPUs, not A/B families) */
  readonly acceleratedNetworking?: boolean;
  /** Size of the log disk in GB; 0 for none. @default 30 */
  readonly logDiskSizeGb?: number;
  /** Ports open on the public side from anywhere. @default IPsec: UDP 500 and 4500 */
  readonly publicPorts?: FortiGatePublicPort[];
  /** FortiOS CLI appended to the bootstrap configuration. @default - none */
  readonly additionalConfig?: string;
  /** FortiOS CLI applied after the license. @default - none */
  readonly postLicenseConfig?: string;
  /**
   * Rebuild the VM(s) when the bootstrap configuration changes (a running FortiGate ignores new custom data).
   * Each rebuild boots with a new license token. @default false
   */
  readonly rebuildOnCustomDataChange?: boolean;
  /** Register with this FortiManager at first boot. @default - no central management */
  readonly fortiManager?: FortiManagerProps;
  /** @default {} */
  readonly tags?: Record<string, string>;
}
