import * as crypto from "node:crypto";
import { DataResource, Fn, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { LinuxVirtualMachine } from "@cdktf/provider-azurerm/lib/linux-virtual-machine";
import { ManagedDisk } from "@cdktf/provider-azurerm/lib/managed-disk";
import { MarketplaceAgreement } from "@cdktf/provider-azurerm/lib/marketplace-agreement";
import { NetworkInterface } from "@cdktf/provider-azurerm/lib/network-interface";
import { NetworkInterfaceSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/network-interface-security-group-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Route } from "@cdktf/provider-azurerm/lib/route";
import { RouteTable } from "@cdktf/provider-azurerm/lib/route-table";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetRouteTableAssociation } from "@cdktf/provider-azurerm/lib/subnet-route-table-association";
import { VirtualMachineDataDiskAttachment } from "@cdktf/provider-azurerm/lib/virtual-machine-data-disk-attachment";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { needsNvme, parseVmSize, sizeArchitectureProblem, supportsAcceleratedNetworking, type AzureVmSize } from "./azure-vm-size";
import { CUSTOM_DATA_LIMIT_BYTES, fortiGateCustomData, type BootstrapConfig } from "./fortigate-custom-data";
import { FortiGateArchitecture, fortiGateByolImage, FortiGateMarketplaceOffer, FortiOsVersion, type MarketplaceImage } from "./fortigate-image";
import { FortiGateLicense } from "./fortigate-license";
import { Ipv4Cidr } from "./ipv4-cidr";
import { LifecycleResourceType } from "./lifecycle-resource-type";
import { validateAzureTags } from "./azure-tags";
import { terraformLiterals } from "./terraform-literal";
import { ValidationError } from "./validation-error";

/** A new virtual network laid out like Fortinet's single-VM reference deployment. */
export interface FortiGateNewNetworkProps {
  /** @default "172.16.136.0/22" */
  readonly vnetCidr?: string;
  /** External subnet (port1, public side). @default "172.16.136.0/26" */
  readonly externalSubnetCidr?: string;
  /** Internal subnet (port2). @default "172.16.136.64/26" */
  readonly internalSubnetCidr?: string;
  /** Protected subnet for workloads, routed through the FortiGate. @default "172.16.137.0/24" */
  readonly protectedSubnetCidr?: string;
}

/** A subnet that already exists. */
export interface FortiGateExistingSubnet {
  /** Azure resource id of the subnet. */
  readonly id: string;
  /** Its address prefix (the FortiGate takes host .4). */
  readonly cidr: string;
}

/** Existing subnets for the FortiGate's two interfaces. */
export interface FortiGateExistingNetworkProps {
  readonly external: FortiGateExistingSubnet;
  readonly internal: FortiGateExistingSubnet;
  /** The virtual network's address space, routed through port2. */
  readonly vnetCidr: string;
}

/** A port the public IP accepts from anywhere (FortiGate policy decides what happens next). */
export interface FortiGatePublicPort {
  /** "Tcp" or "Udp". */
  readonly protocol: string;
  readonly port: number;
}

export interface FortiGateVmProps {
  readonly resourceGroupName: string;
  /** Azure region, e.g. "westeurope". */
  readonly location: string;
  /** Prefix of Azure resource names and the FortiGate hostname. @default - the construct id, lower case */
  readonly namePrefix?: string;
  /** The FortiFlex license token for the custom data. */
  readonly license: FortiGateLicense;
  /** Admin HTTPS/SSH is allowed only from these CIDRs (NSG and FortiOS trusted hosts; at most 10). */
  readonly adminCidrs: string[];
  /** Allow admin HTTPS/SSH from anywhere; needed to use 0.0.0.0/0. @default false */
  readonly allowAdminFromAnywhere?: boolean;
  /** @default "Standard_D2s_v5" */
  readonly vmSize?: string;
  /** @default FortiOsVersion.V7_6 */
  readonly fortiOsVersion?: FortiOsVersion;
  /** @default FortiGateArchitecture.X64_GEN2 */
  readonly architecture?: FortiGateArchitecture;
  /** @default FortiGateMarketplaceOffer.CURRENT */
  readonly marketplaceOffer?: FortiGateMarketplaceOffer;
  /** Exact image version, e.g. "7.6.6". @default "latest" */
  readonly imageVersion?: string;
  /** Accept the Marketplace terms for this image in the subscription (once per subscription; fails if already accepted). @default false */
  readonly acceptMarketplaceTerms?: boolean;
  /** A new network; ignored when `existingNetwork` is given. @default - Fortinet's reference layout */
  readonly network?: FortiGateNewNetworkProps;
  /** Existing subnets instead of a new network. @default - a new network */
  readonly existingNetwork?: FortiGateExistingNetworkProps;
  /** @default "fortiadmin" */
  readonly adminUsername?: string;
  /**
   * Admin password as a Terraform reference (never a literal: it would be in cdk.tf.json).
   * @default - a sensitive variable `<namePrefix>_admin_password` (set TF_VAR_<name>)
   */
  readonly adminPassword?: string;
  /** @default - where the size supports it (2+ vCPUs, not A/B families) */
  readonly acceleratedNetworking?: boolean;
  /** "1", "2" or "3". @default - no zone */
  readonly availabilityZone?: string;
  /** Size of the log disk in GB; 0 for none. @default 30 */
  readonly logDiskSizeGb?: number;
  /** Ports open on the public IP from anywhere. @default IPsec: UDP 500 and 4500 */
  readonly publicPorts?: FortiGatePublicPort[];
  /** FortiOS CLI appended to the bootstrap configuration. @default - none */
  readonly additionalConfig?: string;
  /** FortiOS CLI applied after the license. @default - none */
  readonly postLicenseConfig?: string;
  /**
   * Replace the VM whenever its custom data changes. Off by default: the license token is one-time, and a
   * running FortiGate ignores new custom data anyway; regenerating the entitlement's token rebuilds it.
   * @default false
   */
  readonly rebuildOnCustomDataChange?: boolean;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** Names Azure refuses as the admin user of a Linux VM. */
const RESERVED_USERNAMES = ["administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5"];

/**
 * A BYOL FortiGate VM on Azure that licenses itself at first boot: Marketplace image and plan, two NICs
 * with IP forwarding, a Standard static public IP, NSGs with admin access only from listed CIDRs, a route
 * table sending the protected subnet through the FortiGate, and custom data carrying the FortiFlex token.
 */
export class FortiGateVm extends Construct {
  readonly vm: LinuxVirtualMachine;
  readonly publicIp: PublicIp;
  readonly image: MarketplaceImage;
  readonly size: AzureVmSize;
  /** Private IP of port2: the next hop for protected subnets. */
  readonly internalIp: string;
  readonly license: FortiGateLicense;

  constructor(scope: Construct, id: string, props: FortiGateVmProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? id.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    if (!/^[a-z0-9][a-z0-9-]{0,40}$/i.test(prefix)) throw new ValidationError(this, "namePrefix", prefix, "1-41 letters, digits or hyphens, starting with a letter or digit");
    if (!Token.isUnresolved(props.location) && !/^[a-z][a-z0-9]+$/.test(props.location ?? "")) throw new ValidationError(this, "location", props.location, 'an Azure region name such as "westeurope"');
    if (!Token.isUnresolved(props.resourceGroupName) && !/^[-\w.()]{1,89}[-\w()]$/.test(props.resourceGroupName ?? "")) {
      throw new ValidationError(this, "resourceGroupName", props.resourceGroupName, "1-90 letters, digits, - _ . ( ), not ending in a period");
    }
    if (!(props.license instanceof FortiGateLicense)) throw new ValidationError(this, "license", props.license, "FortiGateLicense.fromEntitlement(...) or FortiGateLicense.fromToken(<sensitive reference>)");
    if (!Token.isUnresolved(props.license.token)) {
      const looksLikeToken = /^[A-F0-9]{20}$/.test(props.license.token);
      throw new ValidationError(this, "license", looksLikeToken ? "<a literal token>" : props.license.token, looksLikeToken
        ? "a Terraform reference such as a sensitive TerraformVariable's value; a literal token would be written in plain text to cdk.tf.json"
        : "a FortiFlex license token (20 hex characters) passed as a Terraform reference");
    }
    this.license = props.license;

    const architecture = props.architecture ?? FortiGateArchitecture.X64_GEN2;
    const image = fortiGateByolImage(props.fortiOsVersion ?? FortiOsVersion.V7_6, architecture, props.marketplaceOffer ?? FortiGateMarketplaceOffer.CURRENT, props.imageVersion ?? "latest");
    if (typeof image === "string") throw new ValidationError(this, "image", { fortiOsVersion: props.fortiOsVersion, architecture, marketplaceOffer: props.marketplaceOffer, imageVersion: props.imageVersion }, image);
    this.image = image;
    const size = parseVmSize(props.vmSize ?? "Standard_D2s_v5");
    if (!size) throw new ValidationError(this, "vmSize", props.vmSize, 'an Azure VM size name such as "Standard_D2s_v5"');
    const sizeProblem = sizeArchitectureProblem(size, architecture);
    if (sizeProblem) throw new ValidationError(this, "vmSize", props.vmSize, sizeProblem);
    this.size = size;

    const adminUsername = props.adminUsername ?? "fortiadmin";
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(adminUsername) || RESERVED_USERNAMES.includes(adminUsername.toLowerCase())) {
      throw new ValidationError(this, "adminUsername", adminUsername, `1-64 letters, digits, _ . -, starting with a letter or _, and not a name Azure reserves (${RESERVED_USERNAMES.slice(0, 6).join(", ")}, ...)`);
    }
    if (props.adminPassword !== undefined && !Token.isUnresolved(props.adminPassword)) {
      throw new ValidationError(this, "adminPassword", "<a literal password>", "a Terraform reference (e.g. a sensitive TerraformVariable or a Key Vault secret); a literal would be written in plain text to cdk.tf.json");
    }
    const adminCidrs = this.validateAdminCidrs(props);
    if (props.availabilityZone !== undefined && !["1", "2", "3"].includes(props.availabilityZone)) throw new ValidationError(this, "availabilityZone", props.availabilityZone, '"1", "2" or "3"');
    const logDisk = props.logDiskSizeGb ?? 30;
    if (!Number.isInteger(logDisk) || logDisk < 0 || logDisk > 32767) throw new ValidationError(this, "logDiskSizeGb", props.logDiskSizeGb, "0 (no log disk) or 1-32767");
    const publicPorts = props.publicPorts ?? [{ protocol: "Udp", port: 500 }, { protocol: "Udp", port: 4500 }];
    publicPorts.forEach((p, i) => {
      if (!["Tcp", "Udp"].includes(p.protocol) || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new ValidationError(this, `publicPorts[${i}]`, p, 'protocol "Tcp" or "Udp" and a port 1-65535');
      if (p.protocol === "Tcp" && (p.port === 443 || p.port === 22)) throw new ValidationError(this, `publicPorts[${i}]`, p, "admin ports 443 and 22 are opened through adminCidrs only");
    });
    if (props.acceleratedNetworking && !supportsAcceleratedNetworking(size)) throw new ValidationError(this, "acceleratedNetworking", true, `${size.name} does not support accelerated networking`);
    for (const [field, text] of [["additionalConfig", props.additionalConfig], ["postLicenseConfig", props.postLicenseConfig]] as const) {
      if (text !== undefined && /[^\x09\x0a\x0d\x20-\x7e]/.test(text)) throw new ValidationError(this, field, text.slice(0, 40), "printable ASCII FortiOS CLI (the MIME part is 7-bit us-ascii)");
      if (text?.includes("--==")) throw new ValidationError(this, field, text.slice(0, 40), "FortiOS CLI without MIME boundary lines");
    }

    validateAzureTags(this, props.tags);
    const tags = terraformLiterals(props.tags ?? {});
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags };
    const net = this.network(prefix, props, common);

    // Security groups (rules as separate resources, so each change shows as its own plan line): admin only
    // from the listed CIDRs; the internal side trusts the virtual network; outbound is open because the
    // FortiGate reaches FortiGuard (TCP 443) to activate its license.
    const externalNsg = new NetworkSecurityGroup(this, "ExternalNsg", { ...common, name: `${prefix}-fgt-external-nsg` });
    const internalNsg = new NetworkSecurityGroup(this, "InternalNsg", { ...common, name: `${prefix}-fgt-internal-nsg` });
    const rule = (nsg: NetworkSecurityGroup, id: string, priority: number, direction: string, protocol: string, ports: string[], sources: string[]) =>
      new NetworkSecurityRule(this, id, {
        name: id,
        resourceGroupName: props.resourceGroupName,
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
    rule(externalNsg, "AllowAdminHttpsSsh", 100, "Inbound", "Tcp", ["443", "22"], adminCidrs.length ? adminCidrs.map(String) : ["*"]);
    publicPorts.forEach((p, i) => rule(externalNsg, `AllowPublic${p.protocol}${p.port}`, 200 + i, "Inbound", p.protocol, [String(p.port)], ["*"]));
    rule(externalNsg, "AllowExternalOutbound", 100, "Outbound", "*", ["*"], ["*"]);
    rule(internalNsg, "AllowVnetInbound", 100, "Inbound", "*", ["*"], ["VirtualNetwork"]);
    rule(internalNsg, "AllowInternalOutbound", 100, "Outbound", "*", ["*"], ["*"]);

    this.publicIp = new PublicIp(this, "PublicIp", {
      ...common,
      name: `${prefix}-fgt-pip`,
      sku: "Standard",
      allocationMethod: "Static",
      ...(props.availabilityZone ? { zones: [props.availabilityZone] } : {}),
    });
    const accelerated = props.acceleratedNetworking ?? supportsAcceleratedNetworking(size);
    const externalIp = net.external.host(4);
    this.internalIp = net.internal.host(4);
    const port1 = new NetworkInterface(this, "Port1Nic", {
      ...common,
      name: `${prefix}-fgt-port1`,
      ipForwardingEnabled: true,
      acceleratedNetworkingEnabled: accelerated,
      ipConfiguration: [{ name: "ipconfig1", subnetId: net.externalSubnetId, privateIpAddressAllocation: "Static", privateIpAddress: externalIp, publicIpAddressId: this.publicIp.id, primary: true }],
    });
    const port2 = new NetworkInterface(this, "Port2Nic", {
      ...common,
      name: `${prefix}-fgt-port2`,
      ipForwardingEnabled: true,
      acceleratedNetworkingEnabled: accelerated,
      ipConfiguration: [{ name: "ipconfig1", subnetId: net.internalSubnetId, privateIpAddressAllocation: "Static", privateIpAddress: this.internalIp }],
    });
    new NetworkInterfaceSecurityGroupAssociation(this, "Port1NsgAssociation", { networkInterfaceId: port1.id, networkSecurityGroupId: externalNsg.id });
    new NetworkInterfaceSecurityGroupAssociation(this, "Port2NsgAssociation", { networkInterfaceId: port2.id, networkSecurityGroupId: internalNsg.id });

    const bootstrap: BootstrapConfig = {
      hostname: `${prefix}-fgt`,
      port1: { ip: externalIp, netmask: net.external.netmask, gateway: net.external.host(1) },
      port2: { ip: this.internalIp, netmask: net.internal.netmask, gateway: net.internal.host(1) },
      vnetCidr: net.vnetCidr.toString(),
      adminUsername,
      adminTrustedHosts: adminCidrs.map((c) => `${c.host(0)} ${c.netmask}`),
      additionalConfig: props.additionalConfig,
      postLicenseConfig: props.postLicenseConfig,
    };
    const sizeAtSynth = Buffer.byteLength(fortiGateCustomData(bootstrap, "0".repeat(20)), "utf8");
    if (sizeAtSynth > CUSTOM_DATA_LIMIT_BYTES) {
      throw new ValidationError(this, "additionalConfig", `<${sizeAtSynth} bytes of custom data>`, `custom data must fit in ${CUSTOM_DATA_LIMIT_BYTES} bytes (Azure's limit); move configuration to FortiManager or a post-boot step`);
    }

    const agreement = props.acceptMarketplaceTerms
      ? new MarketplaceAgreement(this, "MarketplaceAgreement", { publisher: image.publisher, offer: image.offer, plan: image.sku })
      : undefined;
    // Regenerating the entitlement's token bumps this value, which rebuilds the VM with the new token. Same
    // resource type as the entitlement's: terraform_data makes cdktf run `terraform version` at synth.
    const entitlement = props.license.entitlement;
    const generation = entitlement ? { token_generation: String(entitlement.tokenGeneration) } : undefined;
    const licenseGeneration = !entitlement || !generation
      ? undefined
      : entitlement.configuration.lifecycleResourceType === LifecycleResourceType.TERRAFORM_DATA
        ? new DataResource(this, "LicenseGeneration", { input: generation })
        : new NullResource(this, "LicenseGeneration", { triggers: generation });

    const password = props.adminPassword ?? this.passwordVariable(prefix).stringValue;
    this.vm = new LinuxVirtualMachine(this, "Vm", {
      ...common,
      name: `${prefix}-fgt`,
      computerName: `${prefix}-fgt`.slice(0, 64),
      size: size.name,
      adminUsername,
      adminPassword: password,
      disablePasswordAuthentication: false,
      networkInterfaceIds: [port1.id, port2.id],
      sourceImageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version },
      plan: { name: image.sku, product: image.offer, publisher: image.publisher },
      osDisk: { name: `${prefix}-fgt-osdisk`, caching: "ReadWrite", storageAccountType: "StandardSSD_LRS" },
      customData: customDataExpression(bootstrap, props.license.token),
      bootDiagnostics: {},
      identity: { type: "SystemAssigned" },
      ...(needsNvme(size, architecture) ? { diskControllerType: "NVMe" } : {}),
      ...(props.availabilityZone ? { zone: props.availabilityZone } : {}),
      ...(agreement ? { dependsOn: [agreement] } : {}),
      ...(props.rebuildOnCustomDataChange && !licenseGeneration
        ? {}
        : {
            lifecycle: {
              ...(props.rebuildOnCustomDataChange ? {} : { ignoreChanges: ["custom_data"] }),
              ...(licenseGeneration ? { replaceTriggeredBy: [licenseGeneration] } : {}),
            },
          }),
    });

    if (logDisk > 0) {
      const disk = new ManagedDisk(this, "LogDisk", {
        ...common,
        name: `${prefix}-fgt-logdisk`,
        storageAccountType: "StandardSSD_LRS",
        createOption: "Empty",
        diskSizeGb: logDisk,
        ...(props.availabilityZone ? { zone: props.availabilityZone } : {}),
      });
      new VirtualMachineDataDiskAttachment(this, "LogDiskAttachment", { managedDiskId: disk.id, virtualMachineId: this.vm.id, lun: 0, caching: "ReadWrite" });
    }
  }

  /** The public IP address (known after apply). */
  get publicIpAddress(): string {
    return this.publicIp.ipAddress;
  }

  /** HTTPS management URL on the public IP. */
  get managementUrl(): string {
    return `https://${this.publicIp.ipAddress}/`;
  }

  /** vCPUs of the VM size. */
  get vcpus(): number {
    return this.size.vcpus;
  }

  private validateAdminCidrs(props: FortiGateVmProps): Ipv4Cidr[] {
    if (!Array.isArray(props.adminCidrs)) throw new ValidationError(this, "adminCidrs", props.adminCidrs, "a list of IPv4 CIDRs allowed to reach HTTPS/SSH admin");
    const cidrs = props.adminCidrs.map((text, i) => {
      const parsed = Ipv4Cidr.parse(text);
      if (typeof parsed === "string") throw new ValidationError(this, `adminCidrs[${i}]`, text, parsed);
      if (parsed.prefix === 0 && !props.allowAdminFromAnywhere) {
        throw new ValidationError(this, `adminCidrs[${i}]`, text, "admin access from the whole internet needs allowAdminFromAnywhere: true; list your management networks instead");
      }
      return parsed;
    });
    if (props.allowAdminFromAnywhere) return cidrs.filter((c) => c.prefix > 0).length ? cidrs : [];
    if (!cidrs.length) throw new ValidationError(this, "adminCidrs", [], "at least one management CIDR (or allowAdminFromAnywhere: true)");
    if (cidrs.length > 10) throw new ValidationError(this, "adminCidrs", props.adminCidrs, "at most 10 CIDRs (FortiOS has 10 trusted-host slots per admin)");
    return cidrs;
  }

  private network(prefix: string, props: FortiGateVmProps, common: { resourceGroupName: string; location: string; tags: Record<string, string> }) {
    const parse = (field: string, text: string) => {
      const parsed = Ipv4Cidr.parse(text);
      if (typeof parsed === "string") throw new ValidationError(this, field, text, parsed);
      if (parsed.prefix > 29 && field !== "vnetCidr") throw new ValidationError(this, field, text, "a subnet of /29 or larger (Azure keeps 5 addresses; the FortiGate takes .4)");
      return parsed;
    };
    if (props.existingNetwork) {
      const e = props.existingNetwork;
      const vnetCidr = parse("existingNetwork.vnetCidr", e.vnetCidr);
      const external = parse("existingNetwork.external.cidr", e.external.cidr);
      const internal = parse("existingNetwork.internal.cidr", e.internal.cidr);
      for (const [field, id] of [["existingNetwork.external.id", e.external.id], ["existingNetwork.internal.id", e.internal.id]]) {
        if (!Token.isUnresolved(id) && !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(id)) {
          throw new ValidationError(this, field, id, "an Azure subnet resource id (/subscriptions/.../virtualNetworks/<vnet>/subnets/<subnet>)");
        }
      }
      this.checkLayout({ "existingNetwork.external.cidr": external, "existingNetwork.internal.cidr": internal }, vnetCidr, "existingNetwork.vnetCidr");
      return { vnetCidr, external, internal, externalSubnetId: e.external.id, internalSubnetId: e.internal.id };
    }
    const n = props.network ?? {};
    const vnetCidr = parse("network.vnetCidr", n.vnetCidr ?? "172.16.136.0/22");
    const external = parse("network.externalSubnetCidr", n.externalSubnetCidr ?? "172.16.136.0/26");
    const internal = parse("network.internalSubnetCidr", n.internalSubnetCidr ?? "172.16.136.64/26");
    const protectedNet = parse("network.protectedSubnetCidr", n.protectedSubnetCidr ?? "172.16.137.0/24");
    this.checkLayout({ "network.externalSubnetCidr": external, "network.internalSubnetCidr": internal, "network.protectedSubnetCidr": protectedNet }, vnetCidr, "network.vnetCidr");

    const vnet = new VirtualNetwork(this, "Vnet", { ...common, name: `${prefix}-vnet`, addressSpace: [vnetCidr.toString()] });
    const subnet = (id: string, name: string, cidr: Ipv4Cidr) =>
      new Subnet(this, id, { name: `${prefix}-snet-${name}`, resourceGroupName: common.resourceGroupName, virtualNetworkName: vnet.name, addressPrefixes: [cidr.toString()] });
    const externalSubnet = subnet("ExternalSubnet", "external", external);
    const internalSubnet = subnet("InternalSubnet", "internal", internal);
    const protectedSubnet = subnet("ProtectedSubnet", "protected", protectedNet);
    const port2Ip = internal.host(4);
    const routes = new RouteTable(this, "ProtectedRouteTable", { ...common, name: `${prefix}-rt-protected` });
    const route = (id: string, addressPrefix: string, nextHopType: string, nextHopInIpAddress?: string) =>
      new Route(this, id, { name: id.replace(/^Route/, ""), resourceGroupName: common.resourceGroupName, routeTableName: routes.name, addressPrefix, nextHopType, nextHopInIpAddress });
    route("RouteVirtualNetwork", vnetCidr.toString(), "VirtualAppliance", port2Ip);
    route("RouteSubnet", protectedNet.toString(), "VnetLocal");
    route("RouteDefault", "0.0.0.0/0", "VirtualAppliance", port2Ip);
    new SubnetRouteTableAssociation(this, "ProtectedRouteTableAssociation", { subnetId: protectedSubnet.id, routeTableId: routes.id });
    return { vnetCidr, external, internal, externalSubnetId: externalSubnet.id, internalSubnetId: internalSubnet.id };
  }

  /** Subnets must lie inside the virtual network and must not overlap one another. */
  private checkLayout(subnets: Record<string, Ipv4Cidr>, vnet: Ipv4Cidr, vnetField: string): void {
    const entries = Object.entries(subnets);
    for (const [field, cidr] of entries) {
      if (!vnet.contains(cidr)) throw new ValidationError(this, field, cidr.toString(), `a subnet inside ${vnetField} ${vnet}`);
    }
    entries.forEach(([field, cidr], i) => {
      for (const [otherField, other] of entries.slice(i + 1)) {
        if (cidr.overlaps(other)) throw new ValidationError(this, otherField, other.toString(), `a subnet that does not overlap ${field} ${cidr}`);
      }
    });
  }

  private passwordVariable(prefix: string): TerraformVariable {
    const name = `${prefix.replace(/-/g, "_")}_admin_password`;
    const ref = `var.${name}`;
    const variable = new TerraformVariable(TerraformStack.of(this), `${this.node.path}/AdminPassword`.replace(/\//g, "_"), {
      type: "string",
      sensitive: true,
      description: `Admin password of FortiGate ${prefix}-fgt (12-72 characters, 3 of: lower case, upper case, digit, symbol). Set TF_VAR_${name}.`,
      validation: [
        {
          condition: `\${length(${ref}) >= 12 && length(${ref}) <= 72 && (length(regexall("[a-z]", ${ref})) > 0 ? 1 : 0) + (length(regexall("[A-Z]", ${ref})) > 0 ? 1 : 0) + (length(regexall("[0-9]", ${ref})) > 0 ? 1 : 0) + (length(regexall("[^a-zA-Z0-9]", ${ref})) > 0 ? 1 : 0) >= 3}`,
          errorMessage: "The FortiGate admin password needs 12-72 characters and 3 of: lower case, upper case, digit, symbol.",
        },
      ],
    });
    variable.overrideLogicalId(name);
    return variable;
  }
}


/**
 * Base64 of the custom data, assembled by Terraform: the document is fixed text around the token, which is
 * only known at apply (and stays a sensitive value).
 */
function customDataExpression(bootstrap: BootstrapConfig, token: string): string {
  // A marker no user text can contain, so the token lands exactly in the license part.
  const marker = `@@FORTIFLEX-LICENSE-TOKEN-${crypto.randomBytes(16).toString("hex")}@@`;
  const [before, after] = fortiGateCustomData(bootstrap, marker).split(marker);
  // rawString escapes ${ but not the %{ of Terraform's template directives.
  const literal = (text: string) => Fn.rawString(text.replace(/%\{/g, () => "%%{"));
  return Fn.base64encode(Fn.join("", [literal(before), token, literal(after)]));
}
