import { Token } from "cdktf";
import type { Construct } from "constructs";
import { Route } from "@cdktf/provider-azurerm/lib/route";
import { RouteTable } from "@cdktf/provider-azurerm/lib/route-table";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetRouteTableAssociation } from "@cdktf/provider-azurerm/lib/subnet-route-table-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Ipv4Cidr } from "./ipv4-cidr";
import { ValidationError } from "../validation-error";

/** One subnet of a FortiGate layout: where its CIDR came from (for errors), its Azure name and address. */
export interface PlannedSubnet {
  readonly field: string;
  readonly name: string;
  readonly cidr: Ipv4Cidr;
}

/** A subnet CIDR, checked: /29 or larger (Azure keeps 5 addresses of each subnet). */
export function subnetCidr(scope: Construct, field: string, text: string): Ipv4Cidr {
  const parsed = Ipv4Cidr.parse(text);
  if (typeof parsed === "string") throw new ValidationError(scope, field, text, parsed);
  if (parsed.prefix > 29) throw new ValidationError(scope, field, text, "a subnet of /29 or larger (Azure keeps 5 addresses; the FortiGate's start at .4)");
  return parsed;
}

export function vnetCidr(scope: Construct, field: string, text: string): Ipv4Cidr {
  const parsed = Ipv4Cidr.parse(text);
  if (typeof parsed === "string") throw new ValidationError(scope, field, text, parsed);
  return parsed;
}

/**
 * An Azure subnet id, in the characters Azure allows in each name: nothing Terraform would evaluate (`${`,
 * `%{`) or that could end a string.
 */
export const AZURE_SUBNET_ID =
  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[-\w.]{1,80}\/subnets\/[-\w.]{1,80}$/;

/** An existing subnet's Azure id (a reference is taken as is). */
export function existingSubnetId(scope: Construct, field: string, id: string): string {
  if (!Token.isUnresolved(id) && !(typeof id === "string" && AZURE_SUBNET_ID.test(id))) {
    throw new ValidationError(
      scope,
      field,
      id,
      "an Azure subnet resource id (/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>, " +
        "names of letters, digits, - _ . ( ))",
    );
  }
  return id;
}

/** Subnets must lie inside the virtual network and must not overlap one another. */
export function checkLayout(scope: Construct, subnets: readonly PlannedSubnet[], vnet: Ipv4Cidr, vnetField: string): void {
  for (const s of subnets) {
    if (!vnet.contains(s.cidr)) throw new ValidationError(scope, s.field, s.cidr.toString(), `a subnet inside ${vnetField} ${vnet}`);
  }
  subnets.forEach((s, i) => {
    for (const other of subnets.slice(i + 1)) {
      if (s.cidr.overlaps(other.cidr))
        throw new ValidationError(scope, other.field, other.cidr.toString(), `a subnet that does not overlap ${s.field} ${s.cidr}`);
    }
  });
}

/**
 * A new virtual network with the given subnets, and a route table on the protected subnet that sends the
 * virtual network and the internet through `nextHop` (the FortiGate's port2, or a pair's internal load
 * balancer). Returns the subnet ids by name.
 */
export function newFortiGateNetwork(
  scope: Construct,
  prefix: string,
  common: { resourceGroupName: string; location: string; tags: Record<string, string> },
  vnet: Ipv4Cidr,
  subnets: readonly PlannedSubnet[],
  protectedSubnet: PlannedSubnet,
  nextHop: string,
): Record<string, string> {
  const network = new VirtualNetwork(scope, "Vnet", { ...common, name: `${prefix}-vnet`, addressSpace: [vnet.toString()] });
  const make = (s: PlannedSubnet) =>
    new Subnet(scope, `${s.name[0].toUpperCase()}${s.name.slice(1).replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}Subnet`, {
      name: `${prefix}-snet-${s.name}`,
      resourceGroupName: common.resourceGroupName,
      virtualNetworkName: network.name,
      addressPrefixes: [s.cidr.toString()],
    });
  const ids = Object.fromEntries(subnets.map((s) => [s.name, make(s).id]));
  const protectedOne = make(protectedSubnet);
  const routes = new RouteTable(scope, "ProtectedRouteTable", { ...common, name: `${prefix}-rt-protected` });
  const route = (id: string, addressPrefix: string, nextHopType: string, nextHopInIpAddress?: string) =>
    new Route(scope, id, {
      name: id.replace(/^Route/, ""),
      resourceGroupName: common.resourceGroupName,
      routeTableName: routes.name,
      addressPrefix,
      nextHopType,
      nextHopInIpAddress,
    });
  route("RouteVirtualNetwork", vnet.toString(), "VirtualAppliance", nextHop);
  route("RouteSubnet", protectedSubnet.cidr.toString(), "VnetLocal");
  route("RouteDefault", "0.0.0.0/0", "VirtualAppliance", nextHop);
  new SubnetRouteTableAssociation(scope, "ProtectedRouteTableAssociation", { subnetId: protectedOne.id, routeTableId: routes.id });
  return ids;
}
