import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import {
  FortiFlexConfiguration,
  FortiFlexProduct,
  FortiFlexVmEntitlement,
  FortiGateArchitecture,
  FortiGateLicense,
  FortiGateMarketplaceOffer,
  FortiGateServicePackage,
  FortiGateVm,
  FortiGateWithFortiFlex,
  FortiOsVersion,
  type FortiGateVmProps,
  type FortiGateWithFortiFlexProps,
} from "../../constructs";
import { synthAzure, type Block, type Synth } from "../helpers/azure-synth";
import { fixedTriggers } from "../helpers/step-triggers";
import { parseMultipart, renderCustomData } from "../helpers/custom-data";
import { describeWithTerraform, Terraform } from "../helpers/terraform";

const TOKEN = "B07496A9C7717050DEE4";

const synth = synthAzure;

const blocks = (s: Synth, type: string) => Object.values(s.resource[type] ?? {});
const one = (s: Synth, type: string) => {
  const all = blocks(s, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, got ${all.length}`);
  return all[0];
};

/** A FortiGateVm licensed from a sensitive variable, with overridable props. */
function vmStack(extra: Partial<FortiGateVmProps> = {}): Synth {
  return synth((stack) => {
    const token = new TerraformVariable(stack, "license_token", { type: "string", sensitive: true });
    new FortiGateVm(stack, "Edge", {
      resourceGroupName: "acme-rg",
      location: "westeurope",
      license: FortiGateLicense.fromToken(token.stringValue),
      adminCidrs: ["203.0.113.0/24"],
      ...extra,
    });
  });
}

const customDataOf = (s: Synth) => parseMultipart(renderCustomData(one(s, "azurerm_linux_virtual_machine").custom_data as string, TOKEN));

describe("FortiGateVm: image, size and VM", () => {
  test.each([
    [
      FortiOsVersion.V7_6,
      FortiGateArchitecture.X64_GEN2,
      FortiGateMarketplaceOffer.CURRENT,
      "Standard_D2s_v5",
      "fortinet_fortigate-vm",
      "fortinet_fg-vm_byol_76_g2",
    ],
    [
      FortiOsVersion.V7_4,
      FortiGateArchitecture.X64_GEN1,
      FortiGateMarketplaceOffer.CURRENT,
      "Standard_F4s_v2",
      "fortinet_fortigate-vm",
      "fortinet_fg-vm_byol_74",
    ],
    [
      FortiOsVersion.V8_0,
      FortiGateArchitecture.ARM64,
      FortiGateMarketplaceOffer.CURRENT,
      "Standard_D4ps_v6",
      "fortinet_fortigate-vm",
      "fortinet_fg-vm_byol_80_arm64",
    ],
    [FortiOsVersion.V7_4, FortiGateArchitecture.X64_GEN2, FortiGateMarketplaceOffer.LEGACY, "Standard_D2s_v5", "fortinet_fortigate-vm_v5", "fortinet_fg-vm_g2"],
    [FortiOsVersion.V7_2, FortiGateArchitecture.X64_GEN1, FortiGateMarketplaceOffer.LEGACY, "Standard_F2s", "fortinet_fortigate-vm_v5", "fortinet_fg-vm"],
  ])("FortiOS %s %s (%s) on %s: image and matching plan", (fortiOsVersion, architecture, marketplaceOffer, vmSize, offer, sku) => {
    // The legacy offer's one SKU holds every FortiOS version, so it needs a pinned version.
    const version = marketplaceOffer === FortiGateMarketplaceOffer.LEGACY ? `${fortiOsVersion}.9` : "latest";
    const vm = one(vmStack({ fortiOsVersion, architecture, marketplaceOffer, vmSize, imageVersion: version }), "azurerm_linux_virtual_machine");
    expect(vm.source_image_reference).toEqual({ publisher: "fortinet", offer, sku, version });
    expect(vm.plan).toEqual({ publisher: "fortinet", product: offer, name: sku });
    expect(vm.size).toBe(vmSize);
  });

  test("Gen2 on an NVMe-only v6 size gets the NVMe disk controller; v5 does not", () => {
    expect(one(vmStack({ vmSize: "Standard_D4s_v6" }), "azurerm_linux_virtual_machine").disk_controller_type).toBe("NVMe");
    expect(one(vmStack({ vmSize: "Standard_D4s_v5" }), "azurerm_linux_virtual_machine").disk_controller_type).toBeUndefined();
  });

  test("VM basics: password auth from a sensitive variable, managed boot diagnostics, identity, zone, tags, log disk", () => {
    const s = vmStack({ availabilityZone: "2", tags: { customer: "acme" }, imageVersion: "7.6.6" });
    const vm = one(s, "azurerm_linux_virtual_machine");
    expect(vm).toEqual(
      expect.objectContaining({
        admin_username: "fortiadmin",
        admin_password: "${var.edge_admin_password}",
        disable_password_authentication: false,
        boot_diagnostics: {},
        identity: { type: "SystemAssigned" },
        zone: "2",
        tags: { customer: "acme" },
        name: "edge-fgt",
      }),
    );
    expect((vm.source_image_reference as Block).version).toBe("7.6.6");
    expect(s.variable?.edge_admin_password).toEqual(expect.objectContaining({ sensitive: true, type: "string" }));
    expect(one(s, "azurerm_managed_disk")).toEqual(expect.objectContaining({ disk_size_gb: 30, create_option: "Empty", zone: "2" }));
    expect(one(s, "azurerm_virtual_machine_data_disk_attachment")).toEqual(expect.objectContaining({ lun: 0, caching: "ReadWrite" }));
    expect(one(s, "azurerm_public_ip")).toEqual(expect.objectContaining({ sku: "Standard", allocation_method: "Static", zones: ["2"] }));
    expect(blocks(vmStack({ logDiskSizeGb: 0 }), "azurerm_managed_disk")).toEqual([]);
  });

  test("custom data changes do not replace the VM unless asked; marketplace terms are optional", () => {
    const s = vmStack();
    const vm = one(s, "azurerm_linux_virtual_machine");
    expect(vm.lifecycle).toEqual({ ignore_changes: ["custom_data"] });
    expect(blocks(s, "azurerm_marketplace_agreement")).toEqual([]);
    const rebuild = vmStack({ rebuildOnCustomDataChange: true, acceptMarketplaceTerms: true });
    expect(one(rebuild, "azurerm_linux_virtual_machine").lifecycle).toBeUndefined();
    expect(one(rebuild, "azurerm_marketplace_agreement")).toEqual(
      expect.objectContaining({ publisher: "fortinet", offer: "fortinet_fortigate-vm", plan: "fortinet_fg-vm_byol_76_g2" }),
    );
    expect(one(rebuild, "azurerm_linux_virtual_machine").depends_on).toEqual([expect.stringMatching(/^azurerm_marketplace_agreement\./)]);
  });
});

describe("FortiGateVm: network", () => {
  test("new network after Fortinet's reference layout, with a route table through port2", () => {
    const s = vmStack();
    expect(one(s, "azurerm_virtual_network").address_space).toEqual(["172.16.136.0/22"]);
    expect(blocks(s, "azurerm_subnet").map((b) => [b.name, b.address_prefixes])).toEqual([
      ["edge-snet-external", ["172.16.136.0/26"]],
      ["edge-snet-internal", ["172.16.136.64/26"]],
      ["edge-snet-protected", ["172.16.137.0/24"]],
    ]);
    const nics = blocks(s, "azurerm_network_interface");
    expect(nics.map((n) => [n.name, n.ip_forwarding_enabled, n.accelerated_networking_enabled, (n.ip_configuration as Block[])[0].private_ip_address])).toEqual(
      [
        ["edge-fgt-port1", true, true, "172.16.136.4"],
        ["edge-fgt-port2", true, true, "172.16.136.68"],
      ],
    );
    expect((nics[0].ip_configuration as Block[])[0]).toEqual(
      expect.objectContaining({ private_ip_address_allocation: "Static", public_ip_address_id: expect.stringMatching(/azurerm_public_ip/) }),
    );
    expect(blocks(s, "azurerm_route").map((r) => [r.name, r.address_prefix, r.next_hop_type, r.next_hop_in_ip_address])).toEqual([
      ["Default", "0.0.0.0/0", "VirtualAppliance", "172.16.136.68"],
      ["Subnet", "172.16.137.0/24", "VnetLocal", undefined],
      ["VirtualNetwork", "172.16.136.0/22", "VirtualAppliance", "172.16.136.68"],
    ]);
    expect(one(s, "azurerm_subnet_route_table_association").subnet_id).toMatch(/ProtectedSubnet/);
    expect(one(s, "azurerm_linux_virtual_machine").network_interface_ids).toEqual([expect.stringMatching(/Port1Nic/), expect.stringMatching(/Port2Nic/)]);
  });

  test("admin access only from the listed CIDRs; IPsec open; outbound open for license activation", () => {
    const rules = blocks(vmStack({ adminCidrs: ["203.0.113.0/24", "198.51.100.7/32"] }), "azurerm_network_security_rule");
    const nsgOf = (r: Block) => (String(r.network_security_group_name).includes("ExternalNsg") ? "external" : "internal");
    expect(
      rules
        .map((r) => [
          nsgOf(r),
          r.name,
          r.direction,
          r.priority,
          r.protocol,
          r.destination_port_range ?? r.destination_port_ranges,
          r.source_address_prefix ?? r.source_address_prefixes,
        ])
        .sort(),
    ).toEqual([
      ["external", "AllowAdminHttpsSsh", "Inbound", 100, "Tcp", ["443", "22"], ["203.0.113.0/24", "198.51.100.7/32"]],
      ["external", "AllowExternalOutbound", "Outbound", 100, "*", "*", "*"],
      ["external", "AllowPublicUdp4500", "Inbound", 201, "Udp", "4500", "*"],
      ["external", "AllowPublicUdp500", "Inbound", 200, "Udp", "500", "*"],
      ["internal", "AllowInternalOutbound", "Outbound", 100, "*", "*", "*"],
      ["internal", "AllowVnetInbound", "Inbound", 100, "*", "*", "VirtualNetwork"],
    ]);
    const open = blocks(vmStack({ adminCidrs: ["0.0.0.0/0"], allowAdminFromAnywhere: true }), "azurerm_network_security_rule").find(
      (r) => r.name === "AllowAdminHttpsSsh",
    )!;
    expect(open.source_address_prefix).toBe("*");
  });

  test("existing subnets: no network resources, the given subnet ids, addresses from the given CIDRs", () => {
    const ext = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/ext";
    const int = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/int";
    const s = vmStack({ existingNetwork: { vnetCidr: "10.0.0.0/16", external: { id: ext, cidr: "10.0.1.0/24" }, internal: { id: int, cidr: "10.0.2.0/24" } } });
    expect(blocks(s, "azurerm_virtual_network")).toEqual([]);
    expect(blocks(s, "azurerm_route_table")).toEqual([]);
    const nics = blocks(s, "azurerm_network_interface").map((n) => (n.ip_configuration as Block[])[0]);
    expect(nics.map((c) => [c.subnet_id, c.private_ip_address])).toEqual([
      [ext, "10.0.1.4"],
      [int, "10.0.2.4"],
    ]);
  });

  test("sizes without accelerated networking get none", () => {
    expect(
      blocks(vmStack({ vmSize: "Standard_B2s", architecture: FortiGateArchitecture.X64_GEN1 }), "azurerm_network_interface").map(
        (n) => n.accelerated_networking_enabled,
      ),
    ).toEqual([false, false]);
    expect(
      blocks(vmStack({ vmSize: "Standard_F1s", architecture: FortiGateArchitecture.X64_GEN1 }), "azurerm_network_interface").map(
        (n) => n.accelerated_networking_enabled,
      ),
    ).toEqual([false, false]);
  });
});

describe("FortiGateVm: custom data", () => {
  test("MIME parts in FortiOS order: bootstrap config, then the license token", () => {
    const doc = customDataOf(vmStack({ adminCidrs: ["203.0.113.0/24", "198.51.100.0/25"] }));
    expect(doc.headers).toEqual({ "Content-Type": 'multipart/mixed; boundary="==FORTIFLEX-CDKTF=="', "MIME-Version": "1.0" });
    expect(doc.parts.map((p) => p.headers["Content-Disposition"])).toEqual(['attachment; filename="config"', 'attachment; filename="license"']);
    for (const p of doc.parts)
      expect(p.headers).toEqual(
        expect.objectContaining({ "Content-Type": 'text/plain; charset="us-ascii"', "Content-Transfer-Encoding": "7bit", "MIME-Version": "1.0" }),
      );
    expect(doc.parts[1].body).toBe(`LICENSE-TOKEN:${TOKEN}`);
    const cli = doc.parts[0].body;
    expect(cli).toContain('set hostname "edge-fgt"');
    expect(cli).toMatch(/edit "port1"[\s\S]*set ip 172\.16\.136\.4 255\.255\.255\.192[\s\S]*set allowaccess probe-response ping https ssh/);
    expect(cli).toMatch(/edit "port2"[\s\S]*set ip 172\.16\.136\.68 255\.255\.255\.192/);
    expect(cli).toMatch(/edit 1\n\s+set gateway 172\.16\.136\.1\n\s+set device "port1"/);
    expect(cli).toMatch(/set dst 172\.16\.136\.0\/22\n\s+set gateway 172\.16\.136\.65/);
    expect(cli).toMatch(/edit "fortiadmin"\n\s+set trusthost1 203\.0\.113\.0 255\.255\.255\.0\n\s+set trusthost2 198\.51\.100\.0 255\.255\.255\.128/);
  });

  test("user config goes at the end of the bootstrap part; post-license config gets its own third part", () => {
    const doc = customDataOf(
      vmStack({ additionalConfig: "config system dns\n    set primary 1.1.1.1\nend\n", postLicenseConfig: "config firewall policy\nend" }),
    );
    expect(doc.parts[0].body.endsWith("config system dns\n    set primary 1.1.1.1\nend")).toBe(true);
    expect(doc.parts.map((p) => p.headers["Content-Disposition"])).toEqual([
      'attachment; filename="config"',
      'attachment; filename="license"',
      'attachment; filename="post-config"',
    ]);
    expect(doc.parts[2].body).toBe("config firewall policy\nend");
  });

  test("text with ${ survives Terraform's templating", () => {
    const doc = customDataOf(vmStack({ additionalConfig: 'config system replacemsg\n    set buffer "${x} %{y}"\nend' }));
    expect(doc.parts[0].body).toContain('set buffer "${x} %{y}"');
  });

  describeWithTerraform("custom data evaluated by terraform console", () => {
    test("Terraform's own evaluation of the expression gives the same document, template syntax kept literal", () => {
      // Template syntax, and backslash escapes that would end the string literal or spell a MIME boundary.
      const hostile =
        'config system global\n    set post-login-banner "%{ if true }EVALUATED%{ endif } ${not} ' +
        '@@FORTIFLEX-LICENSE-TOKEN@@"\n    set alias "x\\", tonumber(file("/etc/hostname")) /*"\n    set ' +
        'buffer "C:\\temp \\\\ \\u002d\\u002d==FORTIFLEX-CDKTF=="\nend';
      const expression = one(vmStack({ additionalConfig: hostile }), "azurerm_linux_virtual_machine").custom_data as string;
      const hcl = expression.slice(2, -1).replace("var.license_token", `"${TOKEN}"`);
      const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-console-"));
      const res = spawnSync("terraform", ["console"], { input: `base64decode(${hcl})\n`, encoding: "utf8", cwd });
      Terraform.commandsRun++;
      fs.rmSync(cwd, { recursive: true, force: true });
      expect({ status: res.status, stderr: res.status ? res.stderr : "" }).toEqual({ status: 0, stderr: "" });
      const fromTerraform = res.stdout.trim().replace(/^<<EOT\n|\nEOT$/g, "");
      expect(fromTerraform.trimEnd()).toBe(renderCustomData(expression, TOKEN).trimEnd());
      expect(fromTerraform).toContain('"%{ if true }EVALUATED%{ endif } ${not} @@FORTIFLEX-LICENSE-TOKEN@@"');
      expect(fromTerraform).toContain(hostile);
      expect(fromTerraform).toContain(`LICENSE-TOKEN:${TOKEN}`);
    });
  });
});

describe("FortiGateWithFortiFlex pattern", () => {
  const pattern = (extra: Partial<FortiGateWithFortiFlexProps> = {}) =>
    synth((stack) => {
      new FortiGateWithFortiFlex(stack, "Edge", {
        name: "acme",
        programSerialNumber: "ELAVMS0000000518",
        accountId: 1525960,
        servicePackage: FortiGateServicePackage.UTP,
        cpu: 4,
        resourceGroupName: "acme-rg",
        location: "westeurope",
        adminCidrs: ["203.0.113.0/24"],
        ...extra,
      });
    });
  const configSettings = (s: Synth) => fixedTriggers(s, s.resource.null_resource.Edge_FortiFlexConfig_Settings).fixed;

  test("the VM's vCPUs and the configuration's CPU are one value", () => {
    const s = pattern();
    expect(one(s, "azurerm_linux_virtual_machine").size).toBe("Standard_D4s_v5");
    expect(configSettings(s).parameters).toMatch(/^1=4,2=UTP,/);
    const arm = pattern({ cpu: undefined, vmSize: "Standard_D8ps_v6", architecture: FortiGateArchitecture.ARM64 });
    expect(configSettings(arm).parameters).toMatch(/^1=8,/);
    expect((one(arm, "azurerm_linux_virtual_machine").plan as Block).name).toBe("fortinet_fg-vm_byol_76_arm64");
  });

  test("the VM boots with the token read after its boot step, and is replaced whenever that step is", () => {
    const s = pattern({ tokenGeneration: 3 });
    const vm = one(s, "azurerm_linux_virtual_machine");
    // The entitlement's state, read after every step of it, the boot step included.
    expect(vm.custom_data).toContain('sensitive(data.external.Edge_Entitlement_State.result["token"])');
    expect(vm.lifecycle).toEqual({ ignore_changes: ["custom_data"], replace_triggered_by: ["null_resource.Edge_FortiGate_LicenseBoot"] });
    const [id, boot] = Object.entries(s.resource.null_resource).find(([id]) => id.includes("LicenseBoot"))!;
    // Triggered by the entitlement itself, the token generation and every argument that makes Azure build a new VM.
    expect(boot.triggers).toEqual({
      lifecycle: "${null_resource.Edge_Entitlement_Lifecycle.id}",
      token_generation: "3",
      name: "acme-fgt",
      location: "westeurope",
      resource_group_name: "acme-rg",
      computer_name: "acme-fgt",
      admin_username: "fortiadmin",
      admin_password_sha256: "${sha256(var.acme_admin_password)}",
      disable_password_authentication: "false",
      zone: "",
      availability_set_id: "",
      platform_fault_domain: "",
      secure_boot_enabled: "false",
      vtpm_enabled: "false",
      image: "fortinet:fortinet_fortigate-vm:fortinet_fg-vm_byol_76_g2:latest",
      plan: "fortinet:fortinet_fortigate-vm:fortinet_fg-vm_byol_76_g2",
      os_disk: "acme-fgt-osdisk:StandardSSD_LRS",
      // The bootstrap is recorded; it rebuilds the VM only with rebuildOnCustomDataChange.
      custom_data_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(boot.lifecycle).toEqual({ ignore_changes: ['triggers["custom_data_sha256"]'] });
    expect((boot.provisioner as { "local-exec": { command: string } }[])[0]["local-exec"].command).toBe("prepare-boot");
    const state = Object.entries((s as unknown as { data: Record<string, Record<string, Block>> }).data.external).find(([name]) =>
      name.startsWith("Edge_Entitlement_State"),
    )![1];
    expect(state.depends_on).toEqual(expect.arrayContaining([`null_resource.${id}`]));
    // No terraform_data unless asked for: it makes cdktf run `terraform version` at synth.
    expect(s.resource.terraform_data).toBeUndefined();
  });

  test("changing the CPU count changes things in place only: same VM identity, new configuration settings", () => {
    const before = pattern({ cpu: 2 });
    const after = pattern({ cpu: 4 });
    const lifecycle = (s: Synth) =>
      Object.entries(s.resource.null_resource)
        .filter(([id]) => id.includes("Lifecycle"))
        .map(([, b]) => b.triggers);
    expect(lifecycle(after)).toEqual(lifecycle(before));
    expect(configSettings(before).parameters).not.toBe(configSettings(after).parameters);
    const vmBefore = one(before, "azurerm_linux_virtual_machine");
    const vmAfter = one(after, "azurerm_linux_virtual_machine");
    // Only `size` differs (resized in place); every ForceNew attribute stays.
    const differing = Object.keys(vmAfter).filter((k) => JSON.stringify(vmAfter[k]) !== JSON.stringify(vmBefore[k]));
    expect(differing).toEqual(["size"]);
  });

  test("a mismatch between cpu and vmSize is an error", () => {
    expect(() => pattern({ cpu: 4, vmSize: "Standard_D8s_v5" })).toThrow(
      "acme/Edge: invalid cpu 4: the vCPUs of vmSize Standard_D8s_v5 (8); the FortiFlex configuration and the VM must agree",
    );
    expect(() => pattern({ cpu: 6 })).toThrow(/invalid cpu 6: one of 2, 4, 8, 16, 32, 48, 64, 96 for a default VM size, or give vmSize/);
  });

  test("snapshot of a full stack (resource addresses and settings show in review)", () => {
    const text = JSON.stringify(pattern(), null, 1).replace(/assets\/([\w]+)\/[0-9A-F]{32}\//g, "assets/$1/<handler hash>/");
    const stack = JSON.parse(text);
    // The azurerm version is the provider package's (CDKTF and CDK Terrain pin different ones: frameworks.test.ts).
    stack.terraform.required_providers.azurerm.version = "<azurerm version of the provider package>";
    expect(stack).toMatchSnapshot();
  });
});

describe("FortiGateVm validation", () => {
  const bad = (extra: Partial<FortiGateVmProps> | ((stack: TerraformStack) => Partial<FortiGateVmProps>), message: RegExp | string) => {
    const stack = new TerraformStack(new App({ outdir: "/tmp/ffx-never-written" }), "acme");
    const token = new TerraformVariable(stack, "t", { sensitive: true });
    const more = typeof extra === "function" ? extra(stack) : extra;
    expect(
      () =>
        new FortiGateVm(stack, "Edge", {
          resourceGroupName: "acme-rg",
          location: "westeurope",
          license: FortiGateLicense.fromToken(token.stringValue),
          adminCidrs: ["203.0.113.0/24"],
          ...more,
        }),
    ).toThrow(message);
  };

  test.each<[string, Partial<FortiGateVmProps>, RegExp | string]>([
    [
      "admin from anywhere without opt-in",
      { adminCidrs: ["0.0.0.0/0"] },
      'acme/Edge: invalid adminCidrs[0] "0.0.0.0/0": admin access from the whole internet needs allowAdminFromAnywhere: true',
    ],
    ["no admin CIDR", { adminCidrs: [] }, /invalid adminCidrs \[\]: at least one management CIDR/],
    ["malformed admin CIDR", { adminCidrs: ["10.0.0/24"] }, /invalid adminCidrs\[0\] "10\.0\.0\/24": not an IPv4 CIDR/],
    ["admin CIDR with host bits", { adminCidrs: ["10.0.0.5/24"] }, /host bits are set; the network is 10\.0\.0\.0\/24/],
    ["11 admin CIDRs", { adminCidrs: Array.from({ length: 11 }, (_, i) => `10.0.${i}.0/24`) }, /at most 10 CIDRs/],
    [
      "subnet outside the VNet",
      { network: { externalSubnetCidr: "10.9.0.0/26" } },
      /invalid network\.externalSubnetCidr "10\.9\.0\.0\/26": a subnet inside network\.vnetCidr 172\.16\.136\.0\/22/,
    ],
    [
      "overlapping subnets",
      { network: { internalSubnetCidr: "172.16.136.32/27" } },
      /invalid network\.internalSubnetCidr "172\.16\.136\.32\/27": a subnet that does not overlap network\.externalSubnetCidr/,
    ],
    ["subnet too small", { network: { externalSubnetCidr: "172.16.136.0/30" } }, /a subnet of \/29 or larger/],
    ["malformed VNet", { network: { vnetCidr: "172.16.136.0/33" } }, /invalid network\.vnetCidr/],
    ["reserved admin username", { adminUsername: "admin" }, /invalid adminUsername "admin": .*not a name Azure reserves/],
    ["reserved admin username (case)", { adminUsername: "Administrator" }, /invalid adminUsername "Administrator"/],
    ["literal password", { adminPassword: "Sup3r-secret-pw" }, 'acme/Edge: invalid adminPassword "<a literal password>": a Terraform reference'],
    [
      "ARM64 image on an x64 size",
      { architecture: FortiGateArchitecture.ARM64, vmSize: "Standard_D4s_v5" },
      /invalid vmSize "Standard_D4s_v5": ARM64 images need an ARM64 size/,
    ],
    ["x64 image on an ARM64 size", { vmSize: "Standard_D4ps_v6" }, /Standard_D4ps_v6 is an ARM64 size/],
    [
      "Gen1 image on an NVMe-only size",
      { architecture: FortiGateArchitecture.X64_GEN1, vmSize: "Standard_D4s_v6" },
      /NVMe-only and needs a generation 2 image/,
    ],
    ["unknown size", { vmSize: "D4s" }, /invalid vmSize "D4s"/],
    ["FortiOS 7.0 Gen2", { fortiOsVersion: FortiOsVersion.V7_0 }, /FortiOS 7\.0 is published for x64 only/],
    ["image version of another release", { imageVersion: "7.4.1" }, /image version must be "latest" or 7\.6\.<patch>/],
    ["bad zone", { availabilityZone: "4" }, /invalid availabilityZone "4"/],
    ["bad location", { location: "West Europe" }, /invalid location "West Europe"/],
    ["resource group name ending in a period", { resourceGroupName: "acme." }, /invalid resourceGroupName "acme\.": 1-90 letters/],
    ["resource group name with a template", { resourceGroupName: "rg-${var.x}" }, /invalid resourceGroupName "rg-\$\{var\.x\}"/],
    ["resource group name of 91 characters", { resourceGroupName: "r".repeat(91) }, /invalid resourceGroupName/],
    ["admin port in public ports", { publicPorts: [{ protocol: "Tcp", port: 443 }] }, /admin ports 443 and 22 are opened through adminCidrs only/],
    ["non-ASCII config", { additionalConfig: 'set alias "café"' }, /invalid additionalConfig .*printable ASCII/],
    ["custom data over 64 KiB", { additionalConfig: "# padding\n".repeat(7000) }, /custom data must fit in 65535 bytes/],
    ["negative log disk", { logDiskSizeGb: -1 }, /invalid logDiskSizeGb -1/],
    [
      "accelerated networking on a small size",
      { vmSize: "Standard_F1s", architecture: FortiGateArchitecture.X64_GEN1, acceleratedNetworking: true },
      /does not support accelerated networking/,
    ],
  ])("%s", (_, extra, message) => bad(extra, message));

  test("resource group names Azure allows are accepted: one character, any script", () => {
    for (const resourceGroupName of ["g", "rg_(prod)-1", "grupo-de-recursos-ñ", "r".repeat(90)]) {
      const stack = new TerraformStack(new App({ outdir: "/tmp/ffx-never-written" }), "acme");
      const token = new TerraformVariable(stack, "t", { sensitive: true });
      expect(
        () =>
          new FortiGateVm(stack, "Edge", {
            resourceGroupName,
            location: "westeurope",
            license: FortiGateLicense.fromToken(token.stringValue),
            adminCidrs: ["203.0.113.0/24"],
          }),
      ).not.toThrow();
    }
  });

  test("a literal license token is refused (it would be in cdk.tf.json)", () => {
    bad(
      { license: FortiGateLicense.fromToken(TOKEN) },
      'acme/Edge: invalid license "<a literal token>": a Terraform reference such as a sensitive TerraformVariable',
    );
    bad({ license: FortiGateLicense.fromToken("not-a-token") }, /invalid license "not-a-token": a FortiFlex license token/);
  });

  test("the synthesized JSON never holds the token, only a sensitive reference", () => {
    const s = synth((stack) => {
      const config = new FortiFlexConfiguration(stack, "C", {
        programSerialNumber: "ELAVMS0000000518",
        name: "c",
        product: FortiFlexProduct.fortiGateVmBundle({ cpu: 2, servicePackage: FortiGateServicePackage.UTP }),
      });
      const e = new FortiFlexVmEntitlement(stack, "E", { configuration: config });
      new FortiGateVm(stack, "Edge", {
        resourceGroupName: "acme-rg",
        location: "westeurope",
        license: FortiGateLicense.fromEntitlement(e),
        adminCidrs: ["203.0.113.0/24"],
      });
    });
    expect(one(s, "azurerm_linux_virtual_machine").custom_data).toContain('LICENSE-TOKEN:", sensitive(data.external.E_State.result["token"])');
    expect(JSON.stringify(s)).not.toMatch(/LICENSE-TOKEN:[A-F0-9]/);
  });
});
