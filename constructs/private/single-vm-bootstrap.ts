import type { BootstrapConfig } from "./fortigate-custom-data";
import type { FortiGateSettings } from "./fortigate-settings";
import type { SingleVmLayout } from "./single-vm-layout";

/** A single FortiGate's bootstrap: admin on port1 (its public side) from the trusted hosts; port2 routes the virtual network. */
export function singleVmBootstrap(settings: FortiGateSettings, net: SingleVmLayout, externalIp: string, internalIp: string): BootstrapConfig {
  const managementAccess = ["ping", "https", "ssh", ...(settings.fortiManager ? ["fgfm"] : [])];
  return {
    hostname: settings.hostname,
    interfaces: [
      { name: "port1", alias: "external", ip: externalIp, netmask: net.external.netmask, allowaccess: ["probe-response", ...managementAccess] },
      { name: "port2", alias: "internal", ip: internalIp, netmask: net.internal.netmask, allowaccess: ["probe-response", "ping"] },
    ],
    routes: [
      { gateway: net.external.host(1), device: "port1" },
      { dst: net.vnetCidr.toString(), gateway: net.internal.host(1), device: "port2" },
    ],
    adminUsername: settings.adminUsername,
    adminTrustedHosts: settings.adminCidrs.map((c) => `${c.host(0)} ${c.netmask}`),
    fortiManager: settings.fortiManager,
    additionalConfig: settings.additionalConfig,
    postLicenseConfig: settings.postLicenseConfig,
  };
}
