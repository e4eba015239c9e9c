import { LocalBackend, TerraformOutput, TerraformStack, type App } from "cdktf";
import { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { ManagedDisk } from "@cdktf/provider-azurerm/lib/managed-disk";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { NetworkInterfaceSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/network-interface-security-group-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Route } from "@cdktf/provider-azurerm/lib/route";
import { RouteTable } from "@cdktf/provider-azurerm/lib/route-table";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetRouteTableAssociation } from "@cdktf/provider-azurerm/lib/subnet-route-table-association";
import { VirtualMachineDataDiskAttachment } from "@cdktf/provider-azurerm/lib/virtual-machine-data-disk-attachment";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { syntheticCustomer } from "./synthetic-customers";

/**
 * The benchmark's baseline: the same Azure resources as a customer stack, declared directly with deep
 * imports, no constructs of this library, no validation and no FortiFlex resources.
 */
export function buildBaselineStack(app: App, i: number): void {
  const c = syntheticCustomer(i);
  const stack = new TerraformStack(app, c.id);
  new LocalBackend(stack, { path: "terraform.tfstate" });
  new AzurermProvider(stack, "azurerm", { features: [{}], subscriptionId: c.azure.subscriptionId });
  const common = { resourceGroupName: `${c.id}-fortigate-rg`, location: c.azure.location, tags: c.tags };
  const rg = new ResourceGroup(stack, "ResourceGroup", { name: common.resourceGroupName, location: common.location, tags: c.tags });
  const vnet = new VirtualNetwork(stack, "Vnet", { ...common, resourceGroupName: rg.name, name: `${c.id}-vnet`, addressSpace: [c.network.vnetCidr] });
  const subnet = (id: string, cidr: string) =>
    new Subnet(stack, id, { name: id, resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: [cidr] });
  const ext = subnet("External", c.network.externalSubnetCidr);
  const int = subnet("Internal", c.network.internalSubnetCidr);
  const prot = subnet("Protected", c.network.protectedSubnetCidr);
  const nsgExt = new NetworkSecurityGroup(stack, "ExternalNsg", { ...common, name: `${c.id}-ext-nsg` });
  const nsgInt = new NetworkSecurityGroup(stack, "InternalNsg", { ...common, name: `${c.id}-int-nsg` });
  const rule = (nsg: NetworkSecurityGroup, id: string, priority: number, direction: string, protocol: string, port: string, source: string) =>
    new NetworkSecurityRule(stack, id, {
      name: id,
      resourceGroupName: rg.name,
      networkSecurityGroupName: nsg.name,
      priority,
      direction,
      access: "Allow",
      protocol,
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: port,
      sourceAddressPrefix: source,
    });
  rule(nsgExt, "Admin", 100, "Inbound", "Tcp", "443", c.adminCidrs[0]);
  rule(nsgExt, "Ike", 200, "Inbound", "Udp", "500", "*");
  rule(nsgExt, "NatT", 201, "Inbound", "Udp", "4500", "*");
  rule(nsgExt, "ExtOut", 100, "Outbound", "*", "*", "*");
  rule(nsgInt, "VnetIn", 100, "Inbound", "*", "*", "VirtualNetwork");
  rule(nsgInt, "IntOut", 100, "Outbound", "*", "*", "*");
  const pip = new PublicIp(stack, "PublicIp", { ...common, name: `${c.id}-pip`, sku: "Standard", allocationMethod: "Static" });
  const nic = (id: string, subnetId: string, ip: string, publicIpAddressId?: string) =>
    new NetworkInterface(stack, id, {
      ...common,
      name: id,
      ipForwardingEnabled: true,
      acceleratedNetworkingEnabled: true,
      ipConfiguration: [{ name: "ipconfig1", subnetId, privateIpAddressAllocation: "Static", privateIpAddress: ip, publicIpAddressId }],
    });
  const port1 = nic("Port1", ext.id, c.network.externalSubnetCidr.replace(/0\/26$/, "4"), pip.id);
  const port2 = nic("Port2", int.id, c.network.internalSubnetCidr.replace(/64\/26$/, "68"));
  new NetworkInterfaceSecurityGroupAssociation(stack, "Port1Nsg", { networkInterfaceId: port1.id, networkSecurityGroupId: nsgExt.id });
  new NetworkInterfaceSecurityGroupAssociation(stack, "Port2Nsg", { networkInterfaceId: port2.id, networkSecurityGroupId: nsgInt.id });
  const rt = new RouteTable(stack, "RouteTable", { ...common, name: `${c.id}-rt` });
  for (const [id, prefix, hop] of [
    ["Vnet", c.network.vnetCidr, "VirtualAppliance"],
    ["Subnet", c.network.protectedSubnetCidr, "VnetLocal"],
    ["Default", "0.0.0.0/0", "VirtualAppliance"],
  ]) {
    new Route(stack, `Route${id}`, { name: id, resourceGroupName: rg.name, routeTableName: rt.name, addressPrefix: prefix, nextHopType: hop });
  }
  new SubnetRouteTableAssociation(stack, "RtAssoc", { subnetId: prot.id, routeTableId: rt.id });
  const vm = new LinuxVirtualMachine(stack, "Vm", {
    ...common,
    name: `${c.id}-fgt`,
    size: `Standard_D${c.fortigate.cpu}s_v5`,
    adminUsername: "fortiadmin",
    adminPassword: "${var.admin_password}",
    disablePasswordAuthentication: false,
    networkInterfaceIds: [port1.id, port2.id],
    sourceImageReference: { publisher: "fortinet", offer: "fortinet_fortigate-vm", sku: "fortinet_fg-vm_byol_76_g2", version: "latest" },
    plan: { name: "fortinet_fg-vm_byol_76_g2", product: "fortinet_fortigate-vm", publisher: "fortinet" },
    osDisk: { caching: "ReadWrite", storageAccountType: "StandardSSD_LRS" },
    customData: Buffer.from(`config system global\n    set hostname "${c.id}"\nend\n`).toString("base64"),
    bootDiagnostics: {},
    identity: { type: "SystemAssigned" },
    lifecycle: { ignoreChanges: ["custom_data"] },
  });
  const disk = new ManagedDisk(stack, "LogDisk", {
    ...common,
    name: `${c.id}-logdisk`,
    storageAccountType: "StandardSSD_LRS",
    createOption: "Empty",
    diskSizeGb: 30,
  });
  new VirtualMachineDataDiskAttachment(stack, "LogDiskAttachment", { managedDiskId: disk.id, virtualMachineId: vm.id, lun: 0, caching: "ReadWrite" });
  new TerraformOutput(stack, "management_url", { value: `https://${pip.ipAddress}/` });
  new TerraformOutput(stack, "public_ip", { value: pip.ipAddress });
}
