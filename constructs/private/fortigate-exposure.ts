import type { Construct } from "constructs";
import type { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import type { FortiGateSettings } from "./fortigate-settings";

/**
 * NSG rules of a FortiGate's external and internal side (and management side, in a pair): admin HTTPS/SSH
 * only from the admin CIDRs, the public ports from anywhere, the virtual network on the inside, outbound open.
 */
export function exposureRules(
  scope: Construct,
  settings: FortiGateSettings,
  nsgs: { external: NetworkSecurityGroup; internal: NetworkSecurityGroup; management?: NetworkSecurityGroup },
): void {
  const { external: externalNsg, internal: internalNsg, management } = nsgs;
  const rule = (nsg: NetworkSecurityGroup, id: string, priority: number, direction: string, protocol: string, ports: string[], sources: string[]) =>
    new NetworkSecurityRule(scope, id, {
      name: id,
      resourceGroupName: settings.common.resourceGroupName,
      networkSecurityGroupName: nsg.name,
      priority,
      direction,
      access: "Allow",
      protocol,
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports }),
      ...(sources.length === 1 ? { sourceAddressPrefix: sources[0] } : { sourceAddressPrefixes: sources }),
    });
  const admins = settings.adminCidrs.length ? settings.adminCidrs.map(String) : ["*"];
  rule(management ?? externalNsg, "AllowAdminHttpsSsh", 100, "Inbound", "Tcp", ["443", "22"], admins);
  if (management) rule(management, "AllowManagementOutbound", 100, "Outbound", "*", ["*"], ["*"]);
  settings.publicPorts.forEach((p, i) => rule(externalNsg, `AllowPublic${p.protocol}${p.port}`, 200 + i, "Inbound", p.protocol, [String(p.port)], ["*"]));
  rule(externalNsg, "AllowExternalOutbound", 100, "Outbound", "*", ["*"], ["*"]);
  rule(internalNsg, "AllowVnetInbound", 100, "Inbound", "*", ["*"], ["VirtualNetwork"]);
  rule(internalNsg, "AllowInternalOutbound", 100, "Outbound", "*", ["*"], ["*"]);
}
