import type { Construct } from "constructs";
import type { FortiGateVmProps } from "../fortigate-vm";
import { ValidationError } from "../validation-error";
import { checkLayout, existingSubnetId, newFortiGateNetwork, subnetCidr, vnetCidr, type PlannedSubnet } from "./fortigate-network";
import type { FortiGateSettings } from "./fortigate-settings";
import type { Ipv4Cidr } from "./ipv4-cidr";

/** A single FortiGate's two subnets (port1 external, port2 internal) and the virtual network. */
export interface SingleVmLayout {
  readonly vnetCidr: Ipv4Cidr;
  readonly external: Ipv4Cidr;
  readonly internal: Ipv4Cidr;
  readonly externalSubnetId: string;
  readonly internalSubnetId: string;
}

/** Existing subnets, checked; or a new network laid out like Fortinet's single-VM reference deployment. */
export function singleVmLayout(scope: Construct, settings: FortiGateSettings, props: FortiGateVmProps): SingleVmLayout {
  if (props.existingNetwork) {
    if (props.network) throw new ValidationError(scope, "network", props.network, "network or existingNetwork, not both");
    const e = props.existingNetwork;
    const vnet = vnetCidr(scope, "existingNetwork.vnetCidr", e.vnetCidr);
    const subnets: PlannedSubnet[] = [
      { field: "existingNetwork.external.cidr", name: "external", cidr: subnetCidr(scope, "existingNetwork.external.cidr", e.external?.cidr) },
      { field: "existingNetwork.internal.cidr", name: "internal", cidr: subnetCidr(scope, "existingNetwork.internal.cidr", e.internal?.cidr) },
    ];
    checkLayout(scope, subnets, vnet, "existingNetwork.vnetCidr");
    return {
      vnetCidr: vnet,
      external: subnets[0].cidr,
      internal: subnets[1].cidr,
      externalSubnetId: existingSubnetId(scope, "existingNetwork.external.id", e.external.id),
      internalSubnetId: existingSubnetId(scope, "existingNetwork.internal.id", e.internal.id),
    };
  }
  const n = props.network ?? {};
  const vnet = vnetCidr(scope, "network.vnetCidr", n.vnetCidr ?? "172.16.136.0/22");
  const subnets: PlannedSubnet[] = [
    {
      field: "network.externalSubnetCidr",
      name: "external",
      cidr: subnetCidr(scope, "network.externalSubnetCidr", n.externalSubnetCidr ?? "172.16.136.0/26"),
    },
    {
      field: "network.internalSubnetCidr",
      name: "internal",
      cidr: subnetCidr(scope, "network.internalSubnetCidr", n.internalSubnetCidr ?? "172.16.136.64/26"),
    },
  ];
  const protectedSubnet: PlannedSubnet = {
    field: "network.protectedSubnetCidr",
    name: "protected",
    cidr: subnetCidr(scope, "network.protectedSubnetCidr", n.protectedSubnetCidr ?? "172.16.137.0/24"),
  };
  checkLayout(scope, [...subnets, protectedSubnet], vnet, "network.vnetCidr");
  const ids = newFortiGateNetwork(scope, settings.prefix, settings.common, vnet, subnets, protectedSubnet, subnets[1].cidr.host(4));
  return { vnetCidr: vnet, external: subnets[0].cidr, internal: subnets[1].cidr, externalSubnetId: ids.external, internalSubnetId: ids.internal };
}
