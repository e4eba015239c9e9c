import type { Construct } from "constructs";
import { Lb } from "@cdktf/provider-azurerm/lib/lb";
import { LbBackendAddressPool } from "@cdktf/provider-azurerm/lib/lb-backend-address-pool";
import { LbOutboundRule } from "@cdktf/provider-azurerm/lib/lb-outbound-rule";
import { LbProbe } from "@cdktf/provider-azurerm/lib/lb-probe";
import { LbRule } from "@cdktf/provider-azurerm/lib/lb-rule";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import type { FortiGateSettings } from "./fortigate-settings";
import type { HaLayout } from "./ha-pair-layout";

/** FortiOS answers the load balancers' probe here (`config system probe-response`, mode http-probe). */
export const HA_PROBE_PORT = 8008;

/** The pair's load balancers as the units join them. */
export interface HaLoadBalancers {
  /** The external load balancer's public IP. */
  readonly publicIp: PublicIp;
  /** The internal load balancer's frontend address. */
  readonly internalIp: string;
  readonly externalPool: LbBackendAddressPool;
  readonly internalPool: LbBackendAddressPool;
}

/**
 * The external Standard load balancer (public ports, outbound for both units) and the internal one (HA ports,
 * the protected subnets' next hop), both probing the port only the active unit answers. `zones`: the frontends
 * are zone-redundant when the units are in zones.
 */
export function haLoadBalancers(scope: Construct, settings: FortiGateSettings, net: HaLayout, zoned: boolean): HaLoadBalancers {
  const { prefix, common } = settings;
  const redundant = zoned ? { zones: ["1", "2", "3"] } : {};
  const internalIp = net.internal.host(4);
  const publicIp = new PublicIp(scope, "PublicIp", { ...common, name: `${prefix}-fgt-pip`, sku: "Standard", allocationMethod: "Static", ...redundant });
  const elb = new Lb(scope, "ExternalLb", {
    ...common,
    name: `${prefix}-fgt-elb`,
    sku: "Standard",
    frontendIpConfiguration: [{ name: "frontend", publicIpAddressId: publicIp.id }],
  });
  const ilb = new Lb(scope, "InternalLb", {
    ...common,
    name: `${prefix}-fgt-ilb`,
    sku: "Standard",
    frontendIpConfiguration: [
      {
        name: "frontend",
        subnetId: net.subnetIds.internal,
        privateIpAddressAllocation: "Static",
        privateIpAddress: internalIp,
        privateIpAddressVersion: "IPv4",
        ...redundant,
      },
    ],
  });
  const externalPool = new LbBackendAddressPool(scope, "ExternalLbBackend", { name: "fortigates", loadbalancerId: elb.id });
  const internalPool = new LbBackendAddressPool(scope, "InternalLbBackend", { name: "fortigates", loadbalancerId: ilb.id });
  const elbProbe = activeUnitProbe(scope, "ExternalLbProbe", elb);
  const ilbProbe = activeUnitProbe(scope, "InternalLbProbe", ilb);
  // Outbound for every protocol through the cluster's public IP, for both units (license activation,
  // FortiGuard, FortiManager): load-balancing rules only translate their own protocols.
  new LbOutboundRule(scope, "ExternalLbOutbound", {
    name: "fortigates-outbound",
    loadbalancerId: elb.id,
    protocol: "All",
    backendAddressPoolId: externalPool.id,
    frontendIpConfiguration: [{ name: "frontend" }],
  });
  publicPortRules(scope, settings, elb, externalPool, elbProbe);
  new LbRule(scope, "InternalLbHaPortsRule", {
    name: "ha-ports",
    loadbalancerId: ilb.id,
    protocol: "All",
    frontendPort: 0,
    backendPort: 0,
    frontendIpConfigurationName: "frontend",
    backendAddressPoolIds: [internalPool.id],
    probeId: ilbProbe.id,
    floatingIpEnabled: true,
    idleTimeoutInMinutes: 5,
  });
  return { publicIp, internalIp, externalPool, internalPool };
}

/** One load-balancing rule per public port, to the active unit. */
function publicPortRules(scope: Construct, settings: FortiGateSettings, elb: Lb, pool: LbBackendAddressPool, probe: LbProbe): void {
  settings.publicPorts.forEach((p) => {
    new LbRule(scope, `ExternalLbRule${p.protocol}${p.port}`, {
      name: `${p.protocol.toLowerCase()}-${p.port}`,
      loadbalancerId: elb.id,
      protocol: p.protocol,
      frontendPort: p.port,
      backendPort: p.port,
      frontendIpConfigurationName: "frontend",
      backendAddressPoolIds: [pool.id],
      probeId: probe.id,
      // Off: the active unit sees the traffic addressed to its port1, as a single FortiGate behind its public IP.
      floatingIpEnabled: p.floatingIp ?? false,
      // The outbound rule translates outgoing traffic.
      disableOutboundSnat: true,
      idleTimeoutInMinutes: 5,
    });
  });
}

/** Only the active unit answers: FGCP keeps probe-response down on the passive one. */
function activeUnitProbe(scope: Construct, id: string, lb: Lb): LbProbe {
  return new LbProbe(scope, id, {
    name: "fortigate-active",
    loadbalancerId: lb.id,
    protocol: "Tcp",
    port: HA_PROBE_PORT,
    intervalInSeconds: 5,
    numberOfProbes: 2,
    probeThreshold: 2,
  });
}
