import { Construct } from "constructs";
import type { MarketplaceAgreement } from "@cdktf/provider-azurerm/lib/marketplace-agreement";
import type { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { NetworkInterfaceBackendAddressPoolAssociation } from "@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association";
import { NetworkInterfaceSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/network-interface-security-group-association";
import type { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import type { FortiGateHaUnit } from "../fortigate-ha-pair";
import type { FortiGateLicense } from "../fortigate-license";
import type { FortiOsInterface } from "./fortigate-custom-data";
import { fortiGateMachine, type MachineSecret } from "./fortigate-machine";
import { fortiGateNic } from "./fortigate-nic";
import type { FortiGateSettings } from "./fortigate-settings";
import type { HaLayout } from "./ha-pair-layout";
import type { HaLoadBalancers } from "./ha-load-balancers";

/** The Azure health probe's source address: its replies must leave by the interface it came in on. */
const AZURE_PROBE_SOURCE = "168.63.129.16/32";

/** What both units share. */
export interface HaPairShared {
  readonly settings: FortiGateSettings;
  readonly net: HaLayout;
  readonly loadBalancers: HaLoadBalancers;
  readonly nsgs: { readonly external: NetworkSecurityGroup; readonly internal: NetworkSecurityGroup; readonly management: NetworkSecurityGroup };
  readonly licenses: readonly FortiGateLicense[];
  readonly zones?: readonly string[];
  readonly availabilitySetId?: string;
  /** The FGCP password: its placeholder in the bootstrap configuration and the Terraform expression it stands for. */
  readonly haPassword: MachineSecret;
  readonly agreement: MarketplaceAgreement[];
}

/** Unit A (`index` 0, meant to be active) or unit B (1): its management IP, four NICs and VM, in scope `UnitA`/`UnitB`. */
export function haPairUnit(pair: Construct, index: 0 | 1, shared: HaPairShared): FortiGateHaUnit {
  const { settings, net, zones } = shared;
  const { prefix, common } = settings;
  const letter = index === 0 ? "a" : "b";
  const own = unitAddresses(net, index);
  const peer = unitAddresses(net, index === 0 ? 1 : 0);
  const scope = new Construct(pair, index === 0 ? "UnitA" : "UnitB");
  const managementIp = new PublicIp(scope, "ManagementIp", {
    ...common,
    name: `${prefix}-fgt-${letter}-mgmt-pip`,
    sku: "Standard",
    allocationMethod: "Static",
    ...(zones ? { zones: [zones[index]] } : {}),
  });
  const nics = unitNics(scope, shared, letter, own, managementIp.id);
  const vm = fortiGateMachine(scope, {
    settings,
    vmName: `${prefix}-fgt-${letter}`,
    networkInterfaceIds: nics.map((n) => n.id),
    license: shared.licenses[index],
    zone: zones?.[index],
    availabilitySetId: shared.availabilitySetId,
    secrets: [shared.haPassword],
    dependsOn: shared.agreement,
    bootstrap: {
      hostname: `${settings.hostname.slice(0, -2)}-${letter}`,
      interfaces: unitInterfaces(settings, net, own),
      routes: [
        { gateway: net.external.host(1), device: "port1" },
        { dst: net.vnet.toString(), gateway: net.internal.host(1), device: "port2" },
        { dst: AZURE_PROBE_SOURCE, gateway: net.internal.host(1), device: "port2" },
        { dst: AZURE_PROBE_SOURCE, gateway: net.external.host(1), device: "port1" },
      ],
      ha: {
        groupName: "AzureHA",
        priority: index === 0 ? 255 : 1,
        heartbeatInterface: "port3",
        peerIp: peer.port3,
        managementInterface: "port4",
        managementGateway: net.haManagement.host(1),
        password: shared.haPassword.placeholder,
      },
      adminUsername: settings.adminUsername,
      adminTrustedHosts: settings.adminCidrs.map((c) => `${c.host(0)} ${c.netmask}`),
      fortiManager: settings.fortiManager,
      additionalConfig: settings.additionalConfig,
      postLicenseConfig: settings.postLicenseConfig,
    },
  });
  return { vm, managementIp };
}

/** port1-port4 with their security groups; port1 and port2 join the external and internal load balancers. */
function unitNics(scope: Construct, shared: HaPairShared, letter: string, own: UnitAddresses, managementIpId: string): NetworkInterface[] {
  const { settings, net } = shared;
  const nic = (n: number, subnetId: string, ip: string, nsg: NetworkSecurityGroup, publicIpAddressId?: string) => {
    const name = `${settings.prefix}-fgt-${letter}-port${n}`;
    const created = fortiGateNic(scope, `Port${n}Nic`, settings, { name, subnetId, ip, primary: n === 1, publicIpAddressId });
    new NetworkInterfaceSecurityGroupAssociation(scope, `Port${n}NsgAssociation`, { networkInterfaceId: created.id, networkSecurityGroupId: nsg.id });
    return created;
  };
  const port1 = nic(1, net.subnetIds.external, own.port1, shared.nsgs.external);
  const port2 = nic(2, net.subnetIds.internal, own.port2, shared.nsgs.internal);
  const port3 = nic(3, net.subnetIds.haSync, own.port3, shared.nsgs.internal);
  const port4 = nic(4, net.subnetIds.haManagement, own.port4, shared.nsgs.management, managementIpId);
  new NetworkInterfaceBackendAddressPoolAssociation(scope, "ExternalLbMembership", {
    networkInterfaceId: port1.id,
    ipConfigurationName: "ipconfig1",
    backendAddressPoolId: shared.loadBalancers.externalPool.id,
  });
  new NetworkInterfaceBackendAddressPoolAssociation(scope, "InternalLbMembership", {
    networkInterfaceId: port2.id,
    ipConfigurationName: "ipconfig1",
    backendAddressPoolId: shared.loadBalancers.internalPool.id,
  });
  return [port1, port2, port3, port4];
}

interface UnitAddresses {
  readonly port1: string;
  readonly port2: string;
  readonly port3: string;
  readonly port4: string;
}

/** Unit A takes host .4 of each subnet (.5 on the internal one, whose .4 is the load balancer), unit B the next. */
function unitAddresses(net: HaLayout, index: number): UnitAddresses {
  return {
    port1: net.external.host(4 + index),
    port2: net.internal.host(5 + index),
    port3: net.haSync.host(4 + index),
    port4: net.haManagement.host(4 + index),
  };
}

/** The unit's four FortiOS interfaces: both data ports answer the probe; port4 is for management only. */
function unitInterfaces(settings: FortiGateSettings, net: HaLayout, own: UnitAddresses): FortiOsInterface[] {
  const fgfm = settings.fortiManager ? ["fgfm"] : [];
  return [
    { name: "port1", alias: "external", ip: own.port1, netmask: net.external.netmask, allowaccess: ["probe-response", ...fgfm] },
    { name: "port2", alias: "internal", ip: own.port2, netmask: net.internal.netmask, allowaccess: ["probe-response", ...fgfm] },
    { name: "port3", alias: "hasync", ip: own.port3, netmask: net.haSync.netmask, allowaccess: [] },
    { name: "port4", alias: "hamgmt", ip: own.port4, netmask: net.haManagement.netmask, allowaccess: ["ping", "https", "ssh", ...fgfm] },
  ];
}
