import * as crypto from "node:crypto";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { AvailabilitySet } from "@cdktf/provider-azurerm/lib/availability-set";
import { Lb } from "@cdktf/provider-azurerm/lib/lb";
import { LbBackendAddressPool } from "@cdktf/provider-azurerm/lib/lb-backend-address-pool";
import { LbProbe } from "@cdktf/provider-azurerm/lib/lb-probe";
import { LbOutboundRule } from "@cdktf/provider-azurerm/lib/lb-outbound-rule";
import { LbRule } from "@cdktf/provider-azurerm/lib/lb-rule";
import type { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { NetworkInterfaceBackendAddressPoolAssociation } from "@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association";
import { NetworkInterfaceSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/network-interface-security-group-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import type { FortiOsInterface } from "./private/fortigate-custom-data";
import type { FortiGateLicense } from "./fortigate-license";
import { fortiGateMachine } from "./private/fortigate-machine";
import {
  checkLayout,
  existingSubnetId,
  newFortiGateNetwork,
  subnetCidr,
  vnetCidr,
  type FortiGateExistingSubnet,
  type PlannedSubnet,
} from "./private/fortigate-network";
import { refuseProps, resolveFortiGateOptions, type FortiGateOptions, type FortiGateSettings } from "./fortigate-options";
import { exposureRules } from "./private/fortigate-exposure";
import { marketplaceAgreement } from "./fortigate-image";
import { checkLicense } from "./fortigate-license";
import { maxNetworkInterfaces } from "./private/azure-vm-size";
import type { Ipv4Cidr } from "./private/ipv4-cidr";
import { ValidationError } from "./validation-error";
import { checkFramework } from "./private/framework";

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

/** The Azure health probe's source address: its replies must leave by the interface it came in on. */
const AZURE_PROBE_SOURCE = "168.63.129.16/32";
/** FortiOS answers the load balancers' probe here (`config system probe-response`, mode http-probe). */
export const HA_PROBE_PORT = 8008;

interface HaLayout {
  readonly vnet: Ipv4Cidr;
  readonly external: Ipv4Cidr;
  readonly internal: Ipv4Cidr;
  readonly haSync: Ipv4Cidr;
  readonly haManagement: Ipv4Cidr;
  readonly subnetIds: { external: string; internal: string; haSync: string; haManagement: string };
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
  /** The options as checked and resolved. */
  readonly settings: FortiGateSettings;

  constructor(scope: Construct, id: string, props: FortiGateHaPairProps) {
    super(scope, id);
    checkFramework(this, "FortiGateHaPair");
    const settings = resolveFortiGateOptions(this, id, props, { hostnameSuffix: "-a", adminOnPublicSide: false });
    this.settings = settings;
    refuseProps(this, props, {
      availabilityZone: "a single FortiGate's option; a pair takes availabilityZones",
      license: "a single FortiGate's option; a pair takes licenses",
    });
    const nics = maxNetworkInterfaces(settings.size);
    if (nics !== undefined && nics < 4) {
      throw new ValidationError(
        this,
        "vmSize",
        settings.size.name,
        `a size that takes 4 NICs (each unit has port1-port4); ${settings.size.name} takes ${nics}: use 8 vCPUs or more (e.g. Standard_D8s_v5)`,
      );
    }
    if (!Array.isArray(props.licenses) || props.licenses.length !== 2)
      throw new ValidationError(this, "licenses", props.licenses, "two licenses: unit A's, then unit B's");
    const licenses = props.licenses.map((l, i) => checkLicense(this, l, `licenses[${i}]`));
    if (licenses[0].entitlement && licenses[0].entitlement === licenses[1].entitlement) {
      throw new ValidationError(this, "licenses[1]", licenses[1].entitlement.node.path, "another entitlement than unit A's (one token, one FortiGate)");
    }
    const zones = props.availabilityZones;
    if (zones !== undefined && (!Array.isArray(zones) || zones.length !== 2 || zones.some((z) => !["1", "2", "3"].includes(z)) || zones[0] === zones[1])) {
      throw new ValidationError(this, "availabilityZones", zones, 'two different zones of "1", "2", "3", e.g. ["1", "2"] (or none for an availability set)');
    }
    if (props.haPassword !== undefined && !Token.isUnresolved(props.haPassword)) {
      throw new ValidationError(
        this,
        "haPassword",
        "<a literal password>",
        "a Terraform reference (e.g. a sensitive TerraformVariable); a literal would be written in plain text to cdk.tf.json",
      );
    }
    const { prefix, common } = settings;
    const net = this.layout(settings, props);
    const ilbIp = net.internal.host(4);
    this.internalLoadBalancerIp = ilbIp;
    const redundant = zones ? { zones: ["1", "2", "3"] } : {};

    const externalNsg = new NetworkSecurityGroup(this, "ExternalNsg", { ...common, name: `${prefix}-fgt-external-nsg` });
    const internalNsg = new NetworkSecurityGroup(this, "InternalNsg", { ...common, name: `${prefix}-fgt-internal-nsg` });
    const managementNsg = new NetworkSecurityGroup(this, "ManagementNsg", { ...common, name: `${prefix}-fgt-management-nsg` });
    exposureRules(this, settings, { external: externalNsg, internal: internalNsg, management: managementNsg });

    this.publicIp = new PublicIp(this, "PublicIp", { ...common, name: `${prefix}-fgt-pip`, sku: "Standard", allocationMethod: "Static", ...redundant });
    const elb = new Lb(this, "ExternalLb", {
      ...common,
      name: `${prefix}-fgt-elb`,
      sku: "Standard",
      frontendIpConfiguration: [{ name: "frontend", publicIpAddressId: this.publicIp.id }],
    });
    const ilb = new Lb(this, "InternalLb", {
      ...common,
      name: `${prefix}-fgt-ilb`,
      sku: "Standard",
      frontendIpConfiguration: [
        {
          name: "frontend",
          subnetId: net.subnetIds.internal,
          privateIpAddressAllocation: "Static",
          privateIpAddress: ilbIp,
          privateIpAddressVersion: "IPv4",
          ...redundant,
        },
      ],
    });
    const elbPool = new LbBackendAddressPool(this, "ExternalLbBackend", { name: "fortigates", loadbalancerId: elb.id });
    const ilbPool = new LbBackendAddressPool(this, "InternalLbBackend", { name: "fortigates", loadbalancerId: ilb.id });
    // Only the active unit answers: FGCP keeps probe-response down on the passive one.
    const probe = (id: string, lb: Lb) =>
      new LbProbe(this, id, {
        name: "fortigate-active",
        loadbalancerId: lb.id,
        protocol: "Tcp",
        port: HA_PROBE_PORT,
        intervalInSeconds: 5,
        numberOfProbes: 2,
        probeThreshold: 2,
      });
    const elbProbe = probe("ExternalLbProbe", elb);
    const ilbProbe = probe("InternalLbProbe", ilb);
    // Outbound for every protocol through the cluster's public IP, for both units (license activation,
    // FortiGuard, FortiManager): load-balancing rules only translate their own protocols.
    new LbOutboundRule(this, "ExternalLbOutbound", {
      name: "fortigates-outbound",
      loadbalancerId: elb.id,
      protocol: "All",
      backendAddressPoolId: elbPool.id,
      frontendIpConfiguration: [{ name: "frontend" }],
    });
    settings.publicPorts.forEach((p) => {
      new LbRule(this, `ExternalLbRule${p.protocol}${p.port}`, {
        name: `${p.protocol.toLowerCase()}-${p.port}`,
        loadbalancerId: elb.id,
        protocol: p.protocol,
        frontendPort: p.port,
        backendPort: p.port,
        frontendIpConfigurationName: "frontend",
        backendAddressPoolIds: [elbPool.id],
        probeId: elbProbe.id,
        // Off: the active unit sees the traffic addressed to its port1, as a single FortiGate behind its public IP.
        floatingIpEnabled: p.floatingIp ?? false,
        // The outbound rule translates outgoing traffic.
        disableOutboundSnat: true,
        idleTimeoutInMinutes: 5,
      });
    });
    new LbRule(this, "InternalLbHaPortsRule", {
      name: "ha-ports",
      loadbalancerId: ilb.id,
      protocol: "All",
      frontendPort: 0,
      backendPort: 0,
      frontendIpConfigurationName: "frontend",
      backendAddressPoolIds: [ilbPool.id],
      probeId: ilbProbe.id,
      floatingIpEnabled: true,
      idleTimeoutInMinutes: 5,
    });
    const availabilitySet = zones
      ? undefined
      : new AvailabilitySet(this, "AvailabilitySet", {
          ...common,
          name: `${prefix}-fgt-avset`,
          platformFaultDomainCount: 2,
          platformUpdateDomainCount: 2,
          managed: true,
        });

    const address = (i: number) => ({
      port1: net.external.host(4 + i),
      port2: net.internal.host(5 + i),
      port3: net.haSync.host(4 + i),
      port4: net.haManagement.host(4 + i),
    });
    const haPasswordPlaceholder = `@@FORTIFLEX-HA-PASSWORD-${crypto.randomBytes(16).toString("hex")}@@`;
    const haPassword = Fn.substr(Fn.sha256(Fn.join(":", ["fortigate-fgcp", props.haPassword ?? settings.adminPassword])), 0, 32);
    const agreement = marketplaceAgreement(this, settings);
    const hostnameStem = settings.hostname.slice(0, -2);
    const unit = (i: number): FortiGateHaUnit => {
      const letter = i === 0 ? "a" : "b";
      const own = address(i);
      const peer = address(1 - i);
      const scope = new Construct(this, i === 0 ? "UnitA" : "UnitB");
      const managementIp = new PublicIp(scope, "ManagementIp", {
        ...common,
        name: `${prefix}-fgt-${letter}-mgmt-pip`,
        sku: "Standard",
        allocationMethod: "Static",
        ...(zones ? { zones: [zones[i]] } : {}),
      });
      const nic = (n: number, subnetId: string, ip: string, nsg: NetworkSecurityGroup, publicIpAddressId?: string) => {
        const created = new NetworkInterface(scope, `Port${n}Nic`, {
          ...common,
          name: `${prefix}-fgt-${letter}-port${n}`,
          ipForwardingEnabled: true,
          acceleratedNetworkingEnabled: settings.acceleratedNetworking,
          ipConfiguration: [
            {
              name: "ipconfig1",
              subnetId,
              privateIpAddressAllocation: "Static",
              privateIpAddress: ip,
              ...(n === 1 ? { primary: true } : {}),
              ...(publicIpAddressId ? { publicIpAddressId } : {}),
            },
          ],
        });
        new NetworkInterfaceSecurityGroupAssociation(scope, `Port${n}NsgAssociation`, { networkInterfaceId: created.id, networkSecurityGroupId: nsg.id });
        return created;
      };
      const port1 = nic(1, net.subnetIds.external, own.port1, externalNsg);
      const port2 = nic(2, net.subnetIds.internal, own.port2, internalNsg);
      const port3 = nic(3, net.subnetIds.haSync, own.port3, internalNsg);
      const port4 = nic(4, net.subnetIds.haManagement, own.port4, managementNsg, managementIp.id);
      new NetworkInterfaceBackendAddressPoolAssociation(scope, "ExternalLbMembership", {
        networkInterfaceId: port1.id,
        ipConfigurationName: "ipconfig1",
        backendAddressPoolId: elbPool.id,
      });
      new NetworkInterfaceBackendAddressPoolAssociation(scope, "InternalLbMembership", {
        networkInterfaceId: port2.id,
        ipConfigurationName: "ipconfig1",
        backendAddressPoolId: ilbPool.id,
      });

      const fgfm = settings.fortiManager ? ["fgfm"] : [];
      const interfaces: FortiOsInterface[] = [
        { name: "port1", alias: "external", ip: own.port1, netmask: net.external.netmask, allowaccess: ["probe-response", ...fgfm] },
        { name: "port2", alias: "internal", ip: own.port2, netmask: net.internal.netmask, allowaccess: ["probe-response", ...fgfm] },
        { name: "port3", alias: "hasync", ip: own.port3, netmask: net.haSync.netmask, allowaccess: [] },
        { name: "port4", alias: "hamgmt", ip: own.port4, netmask: net.haManagement.netmask, allowaccess: ["ping", "https", "ssh", ...fgfm] },
      ];
      const vm = fortiGateMachine(scope, {
        settings,
        vmName: `${prefix}-fgt-${letter}`,
        networkInterfaceIds: [port1.id, port2.id, port3.id, port4.id],
        license: licenses[i],
        zone: zones?.[i],
        availabilitySetId: availabilitySet?.id,
        secrets: [{ name: "ha_password", placeholder: haPasswordPlaceholder, reference: haPassword }],
        dependsOn: agreement,
        bootstrap: {
          hostname: `${hostnameStem}-${letter}`,
          interfaces,
          routes: [
            { gateway: net.external.host(1), device: "port1" },
            { dst: net.vnet.toString(), gateway: net.internal.host(1), device: "port2" },
            { dst: AZURE_PROBE_SOURCE, gateway: net.internal.host(1), device: "port2" },
            { dst: AZURE_PROBE_SOURCE, gateway: net.external.host(1), device: "port1" },
          ],
          ha: {
            groupName: "AzureHA",
            priority: i === 0 ? 255 : 1,
            heartbeatInterface: "port3",
            peerIp: peer.port3,
            managementInterface: "port4",
            managementGateway: net.haManagement.host(1),
            password: haPasswordPlaceholder,
          },
          adminUsername: settings.adminUsername,
          adminTrustedHosts: settings.adminCidrs.map((c) => `${c.host(0)} ${c.netmask}`),
          fortiManager: settings.fortiManager,
          additionalConfig: settings.additionalConfig,
          postLicenseConfig: settings.postLicenseConfig,
        },
      });
      return { vm, managementIp };
    };
    this.unitA = unit(0);
    this.unitB = unit(1);
  }

  /** The cluster's public IP address (known after apply). */
  get publicIpAddress(): string {
    return this.publicIp.ipAddress;
  }

  /** HTTPS management URLs of unit A and unit B, on their own public IPs. */
  get managementUrls(): string[] {
    return [this.unitA, this.unitB].map((u) => `https://${u.managementIp.ipAddress}/`);
  }

  private layout(settings: FortiGateSettings, props: FortiGateHaPairProps): HaLayout {
    if (props.existingNetwork) {
      if (props.network) throw new ValidationError(this, "network", props.network, "network or existingNetwork, not both");
      const e = props.existingNetwork;
      for (const name of ["external", "internal", "haSync", "haManagement"] as const) {
        if (!e[name])
          throw new ValidationError(
            this,
            `existingNetwork.${name}`,
            undefined,
            "an existing subnet { id, cidr }: a pair needs external, internal, haSync and haManagement",
          );
      }
      const vnet = vnetCidr(this, "existingNetwork.vnetCidr", e.vnetCidr);
      const planned = (["external", "internal", "haSync", "haManagement"] as const).map((name): PlannedSubnet => ({
        field: `existingNetwork.${name}.cidr`,
        name,
        cidr: subnetCidr(this, `existingNetwork.${name}.cidr`, e[name]?.cidr),
      }));
      checkLayout(this, planned, vnet, "existingNetwork.vnetCidr");
      const id = (name: "external" | "internal" | "haSync" | "haManagement") => existingSubnetId(this, `existingNetwork.${name}.id`, e[name].id);
      return haLayout(vnet, planned, [id("external"), id("internal"), id("haSync"), id("haManagement")]);
    }
    const n = props.network ?? {};
    const vnet = vnetCidr(this, "network.vnetCidr", n.vnetCidr ?? "172.16.136.0/22");
    const subnet = (field: keyof FortiGateHaNetworkProps, name: string, fallback: string): PlannedSubnet => ({
      field: `network.${field}`,
      name,
      cidr: subnetCidr(this, `network.${field}`, n[field] ?? fallback),
    });
    const planned = [
      subnet("externalSubnetCidr", "external", "172.16.136.0/26"),
      subnet("internalSubnetCidr", "internal", "172.16.136.64/26"),
      subnet("haSyncSubnetCidr", "ha-sync", "172.16.136.128/26"),
      subnet("haManagementSubnetCidr", "ha-mgmt", "172.16.136.192/26"),
    ];
    const protectedSubnet = subnet("protectedSubnetCidr", "protected", "172.16.137.0/24");
    checkLayout(this, [...planned, protectedSubnet], vnet, "network.vnetCidr");
    const ids = newFortiGateNetwork(this, settings.prefix, settings.common, vnet, planned, protectedSubnet, planned[1].cidr.host(4));
    return haLayout(
      vnet,
      planned,
      planned.map((p) => ids[p.name]),
    );
  }
}

/** The pair's layout from its four subnets (external, internal, HA sync, HA management) and their ids, in that order. */
function haLayout(vnet: Ipv4Cidr, subnets: readonly PlannedSubnet[], ids: readonly string[]): HaLayout {
  const [external, internal, haSync, haManagement] = subnets.map((p) => p.cidr);
  return { vnet, external, internal, haSync, haManagement, subnetIds: { external: ids[0], internal: ids[1], haSync: ids[2], haManagement: ids[3] } };
}
