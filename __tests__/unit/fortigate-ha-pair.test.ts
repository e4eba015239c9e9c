import { TerraformVariable } from "cdktf";
import {
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiFlexVmEntitlement,
  FortiGateHaPair,
  FortiGateHaPairWithFortiFlex,
  FortiGateLicense,
  FortiGateMarketplaceOffer,
  FortiGateServicePackage,
  FortiGateWithFortiFlex,
  FortiOsVersion,
  type FortiGateHaPairProps,
  type FortiGateHaPairWithFortiFlexProps,
  type FortiGateOptions,
} from "../../constructs";
import { synthAzure, type Block, type Synth } from "../helpers/azure-synth";
import { parseMultipart, renderCustomData } from "../helpers/custom-data";

const TOKEN_A = "AAAAAAAAAAAAAAAAAAAA";

const synth = synthAzure;
const blocks = (s: Synth, type: string) => Object.entries(s.resource[type] ?? {});
const byName = (s: Synth, type: string, name: string) =>
  blocks(s, type).find(([, b]) => b.name === name)?.[1] ??
  (() => {
    throw new Error(`no ${type} named ${name}`);
  })();

const base: FortiGateHaPairWithFortiFlexProps = {
  name: "acme",
  programSerialNumber: "ELAVMS0000000518",
  accountId: 1525960,
  servicePackage: FortiGateServicePackage.UTP,
  cpu: 8,
  resourceGroupName: "acme-rg",
  location: "westeurope",
  adminCidrs: ["203.0.113.0/24"],
};
const pair = (extra: Partial<FortiGateHaPairWithFortiFlexProps> = {}) => synth((stack) => new FortiGateHaPairWithFortiFlex(stack, "Ha", { ...base, ...extra }));
/** The FortiOS bootstrap part of unit `letter`'s custom data. */
const bootstrapOf = (s: Synth, letter: "a" | "b") => {
  const vm = byName(s, "azurerm_linux_virtual_machine", `acme-fgt-${letter}`);
  return parseMultipart(renderCustomData(vm.custom_data as string, TOKEN_A, () => "<derived HA password>"));
};

describe("FortiGateHaPair: Fortinet's active-passive ELB/ILB layout", () => {
  const s = pair();

  test("two VMs with four NICs each, in an availability set with 2 fault domains when no zones are given", () => {
    const vms = blocks(s, "azurerm_linux_virtual_machine").map(([, b]) => b);
    expect(vms.map((v) => [v.name, v.size, v.zone])).toEqual([
      ["acme-fgt-a", "Standard_D8s_v5", undefined],
      ["acme-fgt-b", "Standard_D8s_v5", undefined],
    ]);
    const set = Object.values(s.resource.azurerm_availability_set);
    expect(set).toEqual([expect.objectContaining({ name: "acme-fgt-avset", platform_fault_domain_count: 2, platform_update_domain_count: 2, managed: true })]);
    for (const vm of vms) {
      expect(vm.availability_set_id).toMatch(/^\$\{azurerm_availability_set\.Ha_FortiGatePair_AvailabilitySet_\w+\.id\}$/);
      expect(vm.network_interface_ids).toHaveLength(4);
    }
    const nics = blocks(s, "azurerm_network_interface").map(([, b]) => [
      b.name,
      (b.ip_configuration as Block[])[0].private_ip_address,
      b.ip_forwarding_enabled,
    ]);
    expect(nics).toEqual([
      ["acme-fgt-a-port1", "172.16.136.4", true],
      ["acme-fgt-a-port2", "172.16.136.69", true],
      ["acme-fgt-a-port3", "172.16.136.132", true],
      ["acme-fgt-a-port4", "172.16.136.196", true],
      ["acme-fgt-b-port1", "172.16.136.5", true],
      ["acme-fgt-b-port2", "172.16.136.70", true],
      ["acme-fgt-b-port3", "172.16.136.133", true],
      ["acme-fgt-b-port4", "172.16.136.197", true],
    ]);
    // Each unit's own management address on port4; the cluster address on the external load balancer.
    const pips = blocks(s, "azurerm_public_ip").map(([, b]) => b.name);
    expect(pips).toEqual(["acme-fgt-pip", "acme-fgt-a-mgmt-pip", "acme-fgt-b-mgmt-pip"]);
    expect((byName(s, "azurerm_network_interface", "acme-fgt-a-port4").ip_configuration as Block[])[0].public_ip_address_id).toMatch(/UnitA_ManagementIp/);
  });

  test("two zones when asked: unit A in the first, unit B in the second, zone-redundant frontends, no availability set", () => {
    const z = pair({ availabilityZones: ["1", "3"] });
    expect(blocks(z, "azurerm_linux_virtual_machine").map(([, b]) => b.zone)).toEqual(["1", "3"]);
    expect(z.resource.azurerm_availability_set).toBeUndefined();
    expect(byName(z, "azurerm_public_ip", "acme-fgt-pip").zones).toEqual(["1", "2", "3"]);
    expect(byName(z, "azurerm_public_ip", "acme-fgt-b-mgmt-pip").zones).toEqual(["3"]);
    expect((byName(z, "azurerm_lb", "acme-fgt-ilb").frontend_ip_configuration as Block[])[0].zones).toEqual(["1", "2", "3"]);
  });

  test("load balancers: public ports through the external one, HA ports through the internal one, both probing TCP 8008", () => {
    const elb = byName(s, "azurerm_lb", "acme-fgt-elb");
    const ilb = byName(s, "azurerm_lb", "acme-fgt-ilb");
    expect(elb.sku).toBe("Standard");
    expect((elb.frontend_ip_configuration as Block[])[0].public_ip_address_id).toMatch(/azurerm_public_ip\.Ha_FortiGatePair_PublicIp_/);
    expect((ilb.frontend_ip_configuration as Block[])[0]).toEqual(
      expect.objectContaining({ private_ip_address: "172.16.136.68", private_ip_address_allocation: "Static" }),
    );
    const probes = blocks(s, "azurerm_lb_probe").map(([, b]) => [b.protocol, b.port, b.interval_in_seconds, b.probe_threshold]);
    expect(probes).toEqual([
      ["Tcp", 8008, 5, 2],
      ["Tcp", 8008, 5, 2],
    ]);
    const rules = blocks(s, "azurerm_lb_rule").map(([, b]) => [b.name, b.protocol, b.frontend_port, b.backend_port, b.floating_ip_enabled]);
    expect(rules).toEqual(
      expect.arrayContaining([
        ["udp-500", "Udp", 500, 500, false],
        ["udp-4500", "Udp", 4500, 4500, false],
        ["ha-ports", "All", 0, 0, true],
      ]),
    );
    expect(rules).toHaveLength(3);
    const members = blocks(s, "azurerm_network_interface_backend_address_pool_association").map(([id, b]) => [
      id.replace(/_\w{8}$/, ""),
      String(b.backend_address_pool_id).replace(/_\w{8}\.id\}$/, ""),
    ]);
    expect(members).toEqual([
      ["Ha_FortiGatePair_UnitA_ExternalLbMembership", "${azurerm_lb_backend_address_pool.Ha_FortiGatePair_ExternalLbBackend"],
      ["Ha_FortiGatePair_UnitA_InternalLbMembership", "${azurerm_lb_backend_address_pool.Ha_FortiGatePair_InternalLbBackend"],
      ["Ha_FortiGatePair_UnitB_ExternalLbMembership", "${azurerm_lb_backend_address_pool.Ha_FortiGatePair_ExternalLbBackend"],
      ["Ha_FortiGatePair_UnitB_InternalLbMembership", "${azurerm_lb_backend_address_pool.Ha_FortiGatePair_InternalLbBackend"],
    ]);
  });

  test("outbound for every protocol through the cluster's public IP, for both units; the rules leave translation to it", () => {
    expect(Object.values(s.resource.azurerm_lb_outbound_rule)).toEqual([
      expect.objectContaining({
        protocol: "All",
        frontend_ip_configuration: [{ name: "frontend" }],
        backend_address_pool_id: expect.stringMatching(/ExternalLbBackend/),
      }),
    ]);
    expect(
      blocks(s, "azurerm_lb_rule")
        .filter(([, b]) => b.name !== "ha-ports")
        .every(([, b]) => b.disable_outbound_snat === true),
    ).toBe(true);
  });

  test("public ports on a pair: HTTPS may be published (admin is on port4), floating IP per port for VIPs on the cluster address", () => {
    const p = pair({
      publicPorts: [
        { protocol: "Tcp", port: 443, floatingIp: true },
        { protocol: "Udp", port: 4500 },
      ],
    });
    expect(
      blocks(p, "azurerm_lb_rule")
        .map(([, b]) => [b.name, b.floating_ip_enabled])
        .sort(),
    ).toEqual([
      ["ha-ports", true],
      ["tcp-443", true],
      ["udp-4500", false],
    ]);
    expect(() =>
      synth((stack) => new FortiGateWithFortiFlex(stack, "One", { ...base, cpu: 2, publicPorts: [{ protocol: "Tcp", port: 8443, floatingIp: true }] })),
    ).toThrow(/invalid publicPorts\[0\] .*: floatingIp applies to an active-passive pair's load balancer/);
  });

  test("each unit has 4 NICs: a size that takes 2 is refused", () => {
    expect(() => pair({ cpu: 4 })).toThrow(
      'acme/Ha/FortiGatePair: invalid vmSize "Standard_D4s_v5": a size that takes 4 NICs (each unit has ' +
        "port1-port4); Standard_D4s_v5 takes 2: use 8 vCPUs or more (e.g. Standard_D8s_v5)",
    );
  });

  test("failover routes: the protected subnet reaches the internet and the virtual network through the internal frontend", () => {
    const routes = blocks(s, "azurerm_route").map(([, b]) => [b.address_prefix, b.next_hop_type, b.next_hop_in_ip_address]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ["172.16.136.0/22", "VirtualAppliance", "172.16.136.68"],
        ["172.16.137.0/24", "VnetLocal", undefined],
        ["0.0.0.0/0", "VirtualAppliance", "172.16.136.68"],
      ]),
    );
    expect(routes).toHaveLength(3);
    expect(
      blocks(s, "azurerm_subnet")
        .map(([, b]) => [b.name, b.address_prefixes])
        .sort(),
    ).toEqual([
      ["acme-snet-external", ["172.16.136.0/26"]],
      ["acme-snet-ha-mgmt", ["172.16.136.192/26"]],
      ["acme-snet-ha-sync", ["172.16.136.128/26"]],
      ["acme-snet-internal", ["172.16.136.64/26"]],
      ["acme-snet-protected", ["172.16.137.0/24"]],
    ]);
  });

  test("admin only on the management NICs and only from the admin CIDRs; public ports on the external side", () => {
    const rules = blocks(s, "azurerm_network_security_rule").map(([, b]) => [
      b.name,
      String(b.network_security_group_name).replace(/^\$\{azurerm_network_security_group\.Ha_FortiGatePair_(\w+)_\w{8}\.name\}$/, "$1"),
      b.source_address_prefix ?? b.source_address_prefixes,
    ]);
    expect(rules).toEqual(
      expect.arrayContaining([
        ["AllowAdminHttpsSsh", "ManagementNsg", "203.0.113.0/24"],
        ["AllowPublicUdp500", "ExternalNsg", "*"],
        ["AllowVnetInbound", "InternalNsg", "VirtualNetwork"],
      ]),
    );
    expect(rules.filter(([name]) => name === "AllowAdminHttpsSsh")).toHaveLength(1);
  });

  test("each unit's bootstrap: FGCP active-passive, unicast heartbeat to the other unit over port3, session pickup, probe routes", () => {
    const [a, b] = [bootstrapOf(s, "a"), bootstrapOf(s, "b")];
    const cliA = a.parts[0].body;
    const cliB = b.parts[0].body;
    for (const [cli, priority, peer, host] of [
      [cliA, 255, "172.16.136.133", "acme-fgt-a"],
      [cliB, 1, "172.16.136.132", "acme-fgt-b"],
    ] as const) {
      expect(cli).toContain(`set hostname "${host}"`);
      expect(cli).toContain(
        [
          "config system ha",
          '    set group-name "AzureHA"',
          "    set mode a-p",
          '    set hbdev "port3" 100',
          "    set session-pickup enable",
          "    set session-pickup-connectionless enable",
          "    set ha-mgmt-status enable",
          "    config ha-mgmt-interfaces",
          "        edit 1",
          '            set interface "port4"',
          "            set gateway 172.16.136.193",
          "        next",
          "    end",
          "    set override disable",
          `    set priority ${priority}`,
          "    set unicast-hb enable",
          `    set unicast-hb-peerip ${peer}`,
          '    set password "<derived HA password>"',
          "end",
        ].join("\n"),
      );
      // The load balancers' probe comes from 168.63.129.16: answered on the interface it arrived on.
      expect(cli).toMatch(/edit 3\n {8}set dst 168\.63\.129\.16\/32\n {8}set gateway 172\.16\.136\.65\n {8}set device "port2"/);
      expect(cli).toMatch(/edit 4\n {8}set dst 168\.63\.129\.16\/32\n {8}set gateway 172\.16\.136\.1\n {8}set device "port1"/);
      expect(cli).toMatch(
        /edit "port4"\n {8}set alias "hamgmt"\n {8}set mode static\n {8}set ip 172\.16\.136\.19[67] 255\.255\.255\.192\n {8}set allowaccess ping https ssh/,
      );
    }
    expect(a.parts[1].body).toBe(`LICENSE-TOKEN:${TOKEN_A}`);
  });

  test("the HA password is derived (hex) from the admin password or the given reference; never a literal", () => {
    const vm = byName(s, "azurerm_linux_virtual_machine", "acme-fgt-a");
    expect(vm.custom_data).toContain('substr(sha256(join(":", ["fortigate-fgcp", var.acme_admin_password])), 0, 32)');
    const own = synth((stack) => {
      const secret = new TerraformVariable(stack, "ha_secret", { type: "string", sensitive: true });
      new FortiGateHaPairWithFortiFlex(stack, "Ha", { ...base, haPassword: secret.stringValue });
    });
    expect(byName(own, "azurerm_linux_virtual_machine", "acme-fgt-b").custom_data).toContain('sha256(join(":", ["fortigate-fgcp", var.ha_secret]))');
    expect(() => pair({ haPassword: "hunter2-hunter2" })).toThrow('acme/Ha/FortiGatePair: invalid haPassword "<a literal password>": a Terraform reference');
  });

  test("one FortiFlex configuration, one entitlement per unit, each unit booting from its own", () => {
    const steps = Object.entries(s.resource.null_resource);
    const lifecycles = steps
      .filter(([id]) => /_Lifecycle$/.test(id))
      .map(([, b]) => (b.triggers as Block).key)
      .sort();
    expect(lifecycles).toEqual(["acme/Ha/EntitlementA", "acme/Ha/EntitlementB", "acme/Ha/FortiFlexConfig"]);
    const boots = steps.filter(([id]) => /_LicenseBoot$/.test(id)).map(([id, b]) => [id, (b.triggers as Block).lifecycle, (b.triggers as Block).name]);
    expect(boots).toEqual([
      ["Ha_FortiGatePair_UnitA_LicenseBoot", "${null_resource.Ha_EntitlementA_Lifecycle.id}", "acme-fgt-a"],
      ["Ha_FortiGatePair_UnitB_LicenseBoot", "${null_resource.Ha_EntitlementB_Lifecycle.id}", "acme-fgt-b"],
    ]);
    for (const letter of ["a", "b"]) {
      const vm = byName(s, "azurerm_linux_virtual_machine", `acme-fgt-${letter}`);
      expect(vm.custom_data).toContain(`sensitive(data.external.Ha_Entitlement${letter.toUpperCase()}_State.result["token"])`);
      expect((vm.lifecycle as Block).replace_triggered_by).toEqual([`null_resource.Ha_FortiGatePair_Unit${letter.toUpperCase()}_LicenseBoot`]);
    }
  });

  test.each<[string, Partial<FortiGateHaPairProps>, string | RegExp]>([
    ["one license", { licenses: [] }, "invalid licenses []: two licenses: unit A's, then unit B's"],
    ["the same zone twice", { availabilityZones: ["1", "1"] }, /invalid availabilityZones \["1","1"\]: two different zones/],
    ["a zone that does not exist", { availabilityZones: ["1", "4"] }, /invalid availabilityZones/],
    [
      "an HA subnet overlapping another",
      { network: { haSyncSubnetCidr: "172.16.136.64/27" } },
      'invalid network.haSyncSubnetCidr "172.16.136.64/27": a subnet that does not overlap network.internalSubnetCidr 172.16.136.64/26',
    ],
    [
      "a single FortiGate's zone",
      { availabilityZone: "1" } as Partial<FortiGateHaPairProps>,
      /invalid availabilityZone "1": not an option here \(a single FortiGate's option; a pair takes availabilityZones\)/,
    ],
    [
      "both a new and an existing network",
      { network: {}, existingNetwork: { vnetCidr: "10.0.0.0/16" } as never },
      /invalid network \{\}: network or existingNetwork, not both/,
    ],
    [
      "an existing network without its HA subnets",
      { existingNetwork: { vnetCidr: "10.0.0.0/16", external: { id: "x", cidr: "10.0.0.0/26" }, internal: { id: "x", cidr: "10.0.0.64/26" } } as never },
      /invalid existingNetwork\.haSync \(missing\): an existing subnet \{ id, cidr \}: a pair needs external, internal, haSync and haManagement/,
    ],
    [
      "a hostname too long for the unit suffix",
      { hostname: "a".repeat(34) },
      /invalid hostname "a{34}": 1-33 letters, digits, _ or - starting with a letter or digit \(FortiOS allows 35 characters; each unit adds "-a"\)/,
    ],
  ])("refused at synth: %s", (_, extra, message) => {
    expect(() =>
      synth((stack) => {
        const token = new TerraformVariable(stack, "t", { type: "string", sensitive: true });
        new FortiGateHaPair(stack, "Ha", {
          resourceGroupName: "rg",
          location: "westeurope",
          vmSize: "Standard_D8s_v5",
          adminCidrs: ["203.0.113.0/24"],
          licenses: [FortiGateLicense.fromToken(token.stringValue), FortiGateLicense.fromToken(token.stringValue)],
          ...extra,
        } as FortiGateHaPairProps);
      }),
    ).toThrow(message);
  });

  test("one entitlement cannot license two VMs (one token, one FortiGate)", () => {
    expect(() =>
      synth((stack) => {
        const config = new FortiFlexConfiguration(stack, "C", {
          programSerialNumber: "ELAVMS0000000518",
          name: "c",
          product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
        });
        const e = new FortiFlexVmEntitlement(stack, "E", { configuration: config });
        new FortiGateHaPair(stack, "Ha", {
          resourceGroupName: "rg",
          location: "westeurope",
          vmSize: "Standard_D8s_v5",
          adminCidrs: ["203.0.113.0/24"],
          licenses: [FortiGateLicense.fromEntitlement(e), FortiGateLicense.fromEntitlement(e)],
        });
      }),
    ).toThrow('acme/Ha: invalid licenses[1] "acme/E": another entitlement than unit A\'s (one token, one FortiGate)');
  });
});

describe("options reach every VM of both patterns", () => {
  /** Every option of FortiGateOptions set away from its default, and what each must change in the synthesized stack. */
  const options: Partial<FortiGateOptions> = {
    namePrefix: "edge",
    hostname: "gw",
    allowAdminFromAnywhere: false,
    fortiOsVersion: FortiOsVersion.V7_4,
    marketplaceOffer: FortiGateMarketplaceOffer.LEGACY,
    imageVersion: "7.4.9",
    acceptMarketplaceTerms: true,
    adminUsername: "netops",
    acceleratedNetworking: false,
    logDiskSizeGb: 0,
    publicPorts: [{ protocol: "Tcp", port: 8443 }],
    additionalConfig: "config system dns\n    set primary 1.1.1.1\nend",
    postLicenseConfig: "config system fortiguard\nend",
    rebuildOnCustomDataChange: true,
    fortiManager: { address: "fmg.example.net", serialNumber: "FMG-VM0000000001" },
    tags: { owner: "noc" },
  };
  const checks = (s: Synth, hostnames: string[]) => {
    const vms = blocks(s, "azurerm_linux_virtual_machine").map(([, b]) => b);
    for (const [i, vm] of vms.entries()) {
      expect(vm.admin_username).toBe("netops");
      expect(vm.source_image_reference).toEqual({ publisher: "fortinet", offer: "fortinet_fortigate-vm_v5", sku: "fortinet_fg-vm_g2", version: "7.4.9" });
      expect(vm.tags).toEqual({ owner: "noc" });
      // The VM always ignores its custom data; with rebuildOnCustomDataChange its boot step rebuilds it.
      expect(vm.lifecycle).toEqual({ ignore_changes: ["custom_data"], replace_triggered_by: [expect.any(String)] });
      expect(vm.depends_on).toEqual([expect.stringMatching(/^azurerm_marketplace_agreement\./)]);
      expect(String(vm.name)).toMatch(/^edge-fgt/);
      const doc = parseMultipart(renderCustomData(vm.custom_data as string, TOKEN_A, () => "pw"));
      expect(doc.parts.map((p) => p.headers["Content-Disposition"])).toEqual([
        'attachment; filename="config"',
        'attachment; filename="license"',
        'attachment; filename="post-config"',
      ]);
      expect(doc.parts[0].body).toContain(`set hostname "${hostnames[i]}"`);
      expect(doc.parts[0].body).toContain(
        'config system central-management\n    set type fortimanager\n    set fmg "fmg.example.net"\n    set serial-number "FMG-VM0000000001"\nend',
      );
      expect(doc.parts[0].body).toMatch(/set allowaccess [\w -]*fgfm/);
      expect(doc.parts[0].body).toContain('edit "netops"');
      expect(doc.parts[0].body.endsWith("config system dns\n    set primary 1.1.1.1\nend")).toBe(true);
    }
    expect(s.resource.azurerm_managed_disk).toBeUndefined();
    const nics = blocks(s, "azurerm_network_interface");
    expect(nics.length).toBeGreaterThan(0);
    expect(nics.filter(([, b]) => b.accelerated_networking_enabled !== false)).toEqual([]);
    expect(blocks(s, "azurerm_network_security_rule").map(([, b]) => b.name)).toContain("AllowPublicTcp8443");
    expect(Object.keys(s.resource.azurerm_marketplace_agreement)).toHaveLength(1);
    // The rebuild causes include the bootstrap document when custom data changes rebuild the VM.
    for (const [, boot] of Object.entries(s.resource.null_resource).filter(([id]) => id.includes("LicenseBoot"))) {
      expect((boot.triggers as Block).custom_data_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(boot.lifecycle).toBeUndefined();
    }
  };
  const flex = {
    programSerialNumber: "ELAVMS0000000518",
    servicePackage: FortiGateServicePackage.UTP,
    cpu: 2,
    resourceGroupName: "rg",
    location: "westeurope",
    adminCidrs: ["203.0.113.0/24"],
  };

  test("FortiGateWithFortiFlex", () => {
    checks(
      synth((stack) => new FortiGateWithFortiFlex(stack, "One", { name: "edge", ...flex, ...options })),
      ["gw"],
    );
  });

  test("FortiGateHaPairWithFortiFlex", () => {
    const s = synth((stack) => new FortiGateHaPairWithFortiFlex(stack, "Two", { name: "edge", ...flex, cpu: 8, ...options }));
    checks(s, ["gw-a", "gw-b"]);
    expect(blocks(s, "azurerm_lb_rule").map(([, b]) => b.name)).toContain("tcp-8443");
  });

  test("hostnames: the default is shortened to FortiOS's 35 characters; a longer explicit one is refused", () => {
    const long = "a".repeat(40);
    const s = synth((stack) => new FortiGateWithFortiFlex(stack, "One", { name: long, ...flex }));
    const doc = parseMultipart(renderCustomData(blocks(s, "azurerm_linux_virtual_machine")[0][1].custom_data as string, TOKEN_A));
    expect(doc.parts[0].body).toContain(`set hostname "${"a".repeat(35)}"`);
    const ha = synth((stack) => new FortiGateHaPairWithFortiFlex(stack, "Two", { name: long, ...flex, cpu: 8 }));
    const hosts = blocks(ha, "azurerm_linux_virtual_machine").map(
      ([, b]) => /set hostname "([^"]+)"/.exec(renderCustomData(b.custom_data as string, TOKEN_A, () => "pw"))![1],
    );
    expect(hosts).toEqual([`${"a".repeat(33)}-a`, `${"a".repeat(33)}-b`]);
    expect(() => synth((stack) => new FortiGateWithFortiFlex(stack, "One", { name: "x", ...flex, hostname: "h".repeat(36) }))).toThrow(
      /acme\/One\/FortiGate: invalid hostname "h{36}": 1-35 letters/,
    );
  });

  test.each([
    ["an address with a quote", { address: 'fmg"; exec', serialNumber: undefined }, /invalid fortiManager\.address/],
    ["a bare word", { address: "fortimanager" }, /invalid fortiManager\.address "fortimanager": an IPv4 address or a fully qualified host name/],
    ["a serial that is not FortiManager's", { address: "10.0.0.5", serialNumber: "FGVM000001" }, /invalid fortiManager\.serialNumber "FGVM000001"/],
  ])("FortiManager refused at synth: %s", (_, fortiManager, message) => {
    expect(() => synth((stack) => new FortiGateWithFortiFlex(stack, "One", { name: "x", ...flex, fortiManager }))).toThrow(message);
  });

  test("the legacy offer needs a pinned image version: its one SKU holds every FortiOS", () => {
    expect(() =>
      synth((stack) => new FortiGateWithFortiFlex(stack, "One", { name: "x", ...flex, marketplaceOffer: FortiGateMarketplaceOffer.LEGACY })),
    ).toThrow(/the legacy offer has one SKU for every FortiOS version; pin imageVersion \(7\.6\.<patch>\)/);
  });
});
