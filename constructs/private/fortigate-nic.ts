import type { Construct } from "constructs";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import type { FortiGateSettings } from "./fortigate-settings";

/** One FortiGate port: IP forwarding on (the FortiGate routes), a static address, accelerated networking per the settings. */
export function fortiGateNic(
  scope: Construct,
  id: string,
  settings: FortiGateSettings,
  port: { readonly name: string; readonly subnetId: string; readonly ip: string; readonly primary?: boolean; readonly publicIpAddressId?: string },
): NetworkInterface {
  return new NetworkInterface(scope, id, {
    ...settings.common,
    name: port.name,
    ipForwardingEnabled: true,
    acceleratedNetworkingEnabled: settings.acceleratedNetworking,
    ipConfiguration: [
      {
        name: "ipconfig1",
        subnetId: port.subnetId,
        privateIpAddressAllocation: "Static",
        privateIpAddress: port.ip,
        ...(port.primary ? { primary: true } : {}),
        ...(port.publicIpAddressId ? { publicIpAddressId: port.publicIpAddressId } : {}),
      },
    ],
  });
}
