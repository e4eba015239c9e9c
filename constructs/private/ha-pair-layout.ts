import type { Construct } from "constructs";
import type { FortiGateHaNetworkProps, FortiGateHaPairProps } from "../fortigate-ha-pair";
import { ValidationError } from "../validation-error";
import type { FortiGateSettings } from "./fortigate-settings";
import { checkLayout, existingSubnetId, newFortiGateNetwork, subnetCidr, vnetCidr, type PlannedSubnet } from "./fortigate-network";
import type { Ipv4Cidr } from "./ipv4-cidr";

/** The pair's four subnets (external, internal, HA sync, HA management) and the virtual network. */
export interface HaLayout {
  readonly vnet: Ipv4Cidr;
  readonly external: Ipv4Cidr;
  readonly internal: Ipv4Cidr;
  readonly haSync: Ipv4Cidr;
  readonly haManagement: Ipv4Cidr;
  readonly subnetIds: { external: string; internal: string; haSync: string; haManagement: string };
}

/** Existing subnets, checked; or a new network laid out like Fortinet's reference deployment. */
export function haPairLayout(scope: Construct, settings: FortiGateSettings, props: FortiGateHaPairProps): HaLayout {
  if (props.existingNetwork) {
    if (props.network) throw new ValidationError(scope, "network", props.network, "network or existingNetwork, not both");
    const e = props.existingNetwork;
    for (const name of ["external", "internal", "haSync", "haManagement"] as const) {
      if (!e[name])
        throw new ValidationError(
          scope,
          `existingNetwork.${name}`,
          undefined,
          "an existing subnet { id, cidr }: a pair needs external, internal, haSync and haManagement",
        );
    }
    const vnet = vnetCidr(scope, "existingNetwork.vnetCidr", e.vnetCidr);
    const planned = (["external", "internal", "haSync", "haManagement"] as const).map((name): PlannedSubnet => ({
      field: `existingNetwork.${name}.cidr`,
      name,
      cidr: subnetCidr(scope, `existingNetwork.${name}.cidr`, e[name]?.cidr),
    }));
    checkLayout(scope, planned, vnet, "existingNetwork.vnetCidr");
    const id = (name: "external" | "internal" | "haSync" | "haManagement") => existingSubnetId(scope, `existingNetwork.${name}.id`, e[name].id);
    return haLayout(vnet, planned, [id("external"), id("internal"), id("haSync"), id("haManagement")]);
  }
  const n = props.network ?? {};
  const vnet = vnetCidr(scope, "network.vnetCidr", n.vnetCidr ?? "172.16.136.0/22");
  const subnet = (field: keyof FortiGateHaNetworkProps, name: string, fallback: string): PlannedSubnet => ({
    field: `network.${field}`,
    name,
    cidr: subnetCidr(scope, `network.${field}`, n[field] ?? fallback),
  });
  const planned = [
    subnet("externalSubnetCidr", "external", "172.16.136.0/26"),
    subnet("internalSubnetCidr", "internal", "172.16.136.64/26"),
    subnet("haSyncSubnetCidr", "ha-sync", "172.16.136.128/26"),
    subnet("haManagementSubnetCidr", "ha-mgmt", "172.16.136.192/26"),
  ];
  const protectedSubnet = subnet("protectedSubnetCidr", "protected", "172.16.137.0/24");
  checkLayout(scope, [...planned, protectedSubnet], vnet, "network.vnetCidr");
  const ids = newFortiGateNetwork(scope, settings.prefix, settings.common, vnet, planned, protectedSubnet, planned[1].cidr.host(4));
  return haLayout(
    vnet,
    planned,
    planned.map((p) => ids[p.name]),
  );
}

/** The pair's layout from its four subnets (external, internal, HA sync, HA management) and their ids, in that order. */
function haLayout(vnet: Ipv4Cidr, subnets: readonly PlannedSubnet[], ids: readonly string[]): HaLayout {
  const [external, internal, haSync, haManagement] = subnets.map((p) => p.cidr);
  return { vnet, external, internal, haSync, haManagement, subnetIds: { external: ids[0], internal: ids[1], haSync: ids[2], haManagement: ids[3] } };
}
