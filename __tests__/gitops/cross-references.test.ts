import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { crossReferences } from "../../gitops/cross-references";
import { DEFAULT_CUSTOMERS_FILE } from "../../stacks/customer-app";
import { CustomerStack } from "../../stacks/customer-stack";
import { parseCustomers } from "../../stacks/customers-file";
import { GitopsScripts } from "../helpers/gitops-scripts";

const A_SUB = "11111111-1111-4111-8111-111111111111";
const B_SUB = "22222222-2222-4222-8222-222222222222";
const HUB_SUB = "99999999-9999-4999-8999-999999999999";
const subnet = (subscription: string, group: string, name = "external") =>
  `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/${name}`;

/** A cdk.tf.json as CustomerStack writes one: the provider for the subscription, the resource group, and `resources`. */
const stack = (subscription: string, group: string, resources: Record<string, Record<string, unknown>> = {}) =>
  JSON.stringify({
    provider: { azurerm: [{ features: [{}], subscription_id: subscription }] },
    resource: { azurerm_resource_group: { ResourceGroup: { name: group, location: "westeurope" } }, ...resources },
  });
/** A network interface in the given subnet. */
const nic = (subnetId: string) => ({
  azurerm_network_interface: { Port1Nic: { name: "port1", ip_configuration: [{ name: "ipconfig1", subnet_id: subnetId }] } },
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-xref-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let outs = 0;
/** A synth output with the given stack files (text, written as is). */
const out = (stacks: Record<string, string>) => {
  const dir = path.join(tmp, `out${++outs}`);
  for (const [name, text] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), text);
  }
  return dir;
};

describe("references between customer stacks", () => {
  test("no references: each stack's ids in its own resource group, or in a group of its subscription that no stack owns", () => {
    const dir = out({
      a: stack(A_SUB, "a-rg", nic(subnet(A_SUB, "a-rg"))),
      b: stack(B_SUB, "b-rg", {
        ...nic(subnet(B_SUB, "shared-hub")),
        azurerm_route: { R: { next_hop_in_ip_address: "10.0.0.4", route_table_name: "${azurerm_route_table.T.name}" } },
      }),
    });
    expect(crossReferences(dir)).toEqual([]);
    expect(crossReferences(path.join(tmp, "no-such-output"))).toEqual([]);
  });

  test("an id in another stack's resource group, wherever it is written, in the same subscription too", () => {
    const dir = out({
      a: stack(A_SUB, "a-rg"),
      b: stack(A_SUB, "b-rg", {
        ...nic(subnet(A_SUB, "a-rg")),
        azurerm_linux_virtual_machine: { Vm: { custom_data: `#cloud-config\nnote: peer ${subnet(A_SUB, "a-rg", "internal")}.\n` } },
      }),
    });
    expect(crossReferences(dir)).toEqual([
      {
        stack: "b",
        references: [
          { otherStack: "a", id: subnet(A_SUB, "a-rg"), where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" },
          { otherStack: "a", id: `${subnet(A_SUB, "a-rg", "internal")}.`, where: "azurerm_linux_virtual_machine.Vm.custom_data" },
        ],
      },
    ]);
  });

  test("a stack with another subscription: any id in another stack's subscription, and a provider block there", () => {
    const dir = out({
      a: stack(A_SUB, "a-rg"),
      b: JSON.stringify({
        provider: {
          azurerm: [
            { features: [{}], subscription_id: B_SUB },
            { alias: "peer", features: [{}], subscription_id: A_SUB },
          ],
        },
        resource: { azurerm_resource_group: { ResourceGroup: { name: "b-rg", location: "westeurope" } }, ...nic(subnet(A_SUB, "not-a-stacks-rg")) },
        data: { azurerm_role_definition: { Reader: { scope: `/subscriptions/${A_SUB}` } } },
        output: { hub: { value: subnet(HUB_SUB, "hub") } },
      }),
      // Owns its resource group in the subscription of the provider block it names.
      c: JSON.stringify({
        provider: {
          azurerm: [
            { features: [{}], subscription_id: HUB_SUB },
            { alias: "spoke", features: [{}], subscription_id: B_SUB },
          ],
        },
        resource: { azurerm_resource_group: { Spoke: { provider: "azurerm.spoke", name: "c-spoke-rg", location: "westeurope" } } },
      }),
    });
    // b's id in the hub's subscription is in c's; c's second provider block is in b's subscription.
    const cToB = { stack: "c", references: [{ otherStack: "b", id: B_SUB, where: "provider.azurerm[1].subscription_id" }] };
    expect(crossReferences(dir)).toEqual([
      {
        stack: "b",
        references: [
          { otherStack: "a", id: A_SUB, where: "provider.azurerm[1].subscription_id" },
          { otherStack: "a", id: subnet(A_SUB, "not-a-stacks-rg"), where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" },
          { otherStack: "a", id: `/subscriptions/${A_SUB}`, where: "data.azurerm_role_definition.Reader.scope" },
          { otherStack: "c", id: subnet(HUB_SUB, "hub"), where: "output.hub.value" },
        ],
      },
      cToB,
    ]);
    // An id in c's spoke group (subscription B, b's own): the group makes it c's.
    const spoke = out({ b: stack(B_SUB, "b-rg", nic(subnet(B_SUB, "c-spoke-rg"))), c: fs.readFileSync(path.join(dir, "stacks", "c", "cdk.tf.json"), "utf8") });
    expect(crossReferences(spoke)).toEqual([
      {
        stack: "b",
        references: [{ otherStack: "c", id: subnet(B_SUB, "c-spoke-rg"), where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" }],
      },
      cToB,
    ]);
  });

  test("case differences: Azure's ids compare without regard to case", () => {
    const upper = `/SUBSCRIPTIONS/${A_SUB.toUpperCase()}/RESOURCEGROUPS/A-RG/providers/Microsoft.Network/virtualNetworks/vnet/subnets/external`;
    const dir = out({ a: stack(A_SUB.toUpperCase(), "A-Rg"), b: stack(A_SUB, "b-rg", nic(upper)), c: stack(A_SUB, "c-rg", nic(subnet(A_SUB, "B-RG"))) });
    expect(crossReferences(dir)).toEqual([
      { stack: "b", references: [{ otherStack: "a", id: upper, where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" }] },
      { stack: "c", references: [{ otherStack: "b", id: subnet(A_SUB, "B-RG"), where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" }] },
    ]);
  });

  test("a repeated key hides nothing: Terraform reads every definition, JSON.parse only the last", () => {
    const text =
      `{"resource": ${JSON.stringify(nic(subnet(A_SUB, "a-rg")))}, "resource": {"azurerm_resource_group": ` +
      `{"G": {"name": "b-rg"}}}, "provider": {"azurerm": [{"subscription_id": "${A_SUB}"}]}}`;
    expect(JSON.stringify(JSON.parse(text))).not.toContain("a-rg");
    expect(crossReferences(out({ a: stack(A_SUB, "a-rg"), b: text }))).toEqual([
      { stack: "b", references: [{ otherStack: "a", id: subnet(A_SUB, "a-rg"), where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" }] },
    ]);
  });

  test("garbage input: never a throw; unreadable stacks are listed as unchecked, odd shapes own nothing", () => {
    const deep = `${"[".repeat(200_000)}"${subnet(A_SUB, "a-rg")}"${"]".repeat(200_000)}`;
    const dir = out({
      a: stack(A_SUB, "a-rg"),
      "bad-json": `{"resource": {"x": {"y": "${subnet(A_SUB, "a-rg")}"}`,
      "bad-escape": '{"a": "\\u12"}',
      "control-character": '{"a": "line\nbreak"}',
      "trailing-text": "{} {}",
      deep,
      // Shapes that own nothing: a provider without a GUID, a group named by an expression, non-string values.
      odd: JSON.stringify({
        provider: { azurerm: { subscription_id: 42 } },
        resource: { azurerm_resource_group: { G: { name: "${var.group}" }, H: null, I: [1, true, null, { name: { nested: "x" } }] } },
      }),
      "number-only": "12.5e3",
      empty: "",
    });
    fs.mkdirSync(path.join(dir, "stacks", "hcl"));
    fs.writeFileSync(path.join(dir, "stacks", "hcl", "cdk.tf"), 'resource "x" "y" {}');
    fs.mkdirSync(path.join(dir, "stacks", "linked"));
    fs.symlinkSync(path.join(dir, "stacks", "a", "cdk.tf.json"), path.join(dir, "stacks", "linked", "cdk.tf.json"));
    fs.symlinkSync(path.join(dir, "stacks", "a"), path.join(dir, "stacks", "linked-dir"));
    fs.mkdirSync(path.join(dir, "stacks", "not-a-stack"));
    fs.writeFileSync(path.join(dir, "stacks", "stray-file"), "");
    expect(crossReferences(dir)).toEqual([
      { stack: "bad-escape", references: [], unchecked: "not JSON (a bad escape in a string at character 12)" },
      { stack: "bad-json", references: [], unchecked: expect.stringMatching(/^not JSON \(a missing "," or "}" at character \d+\)$/) },
      { stack: "control-character", references: [], unchecked: "not JSON (an unterminated string at character 6)" },
      { stack: "deep", references: [{ otherStack: "a", id: subnet(A_SUB, "a-rg"), where: `${"[0]".repeat(100)}...` }] },
      { stack: "empty", references: [], unchecked: "not JSON (an unexpected character at character 0)" },
      { stack: "hcl", references: [], unchecked: "only cdk.tf (HCL) was synthesized; cross-references reads cdk.tf.json" },
      { stack: "linked", references: [], unchecked: "cdk.tf.json is not a plain file (a link, directory or device)" },
      { stack: "linked-dir", references: [], unchecked: "the stack directory is a symbolic link; only plain directories are read" },
      { stack: "trailing-text", references: [], unchecked: "not JSON (text after the end at character 3)" },
    ]);
  });

  test("addresses of odd keys are quoted, and a stack's list stops at 100 references with the rest counted", () => {
    const many = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`N${i}`, { subnet_id: subnet(A_SUB, "a-rg") }]));
    const dir = out({
      a: stack(A_SUB, "a-rg"),
      b: stack(B_SUB, "b-rg", { azurerm_thing: many, azurerm_tagged: { T: { tags: { 'odd key\n"x"': subnet(A_SUB, "a-rg") } } } }),
    });
    const [b] = crossReferences(dir);
    expect(b.references).toHaveLength(100);
    expect(b.omitted).toBe(51);
    expect(b.references[99].where).toBe("azurerm_thing.N99.subnet_id");
    const tagged = crossReferences(
      out({ a: stack(A_SUB, "a-rg"), b: stack(B_SUB, "b-rg", { azurerm_tagged: { T: { tags: { 'odd key\n"x"': subnet(A_SUB, "a-rg") } } } }) }),
    );
    expect(tagged[0].references[0].where).toBe('azurerm_tagged.T.tags["odd key\\n\\"x\\""]');
  });

  test("stacks as CustomerStack synthesizes them: fabrikam placed in contoso's network (with its consent) is named, nothing else", () => {
    const doc = parseYaml(fs.readFileSync(DEFAULT_CUSTOMERS_FILE, "utf8")) as { customers: Record<string, unknown>[] };
    const contosoSubnet = (name: string) => subnet(A_SUB, "contoso-fortigate-rg", name);
    delete doc.customers[1].network;
    doc.customers[1].existingNetwork = {
      vnetCidr: "10.10.0.0/22",
      subscriptionId: A_SUB,
      sharedWith: ["contoso"],
      external: { id: contosoSubnet("outside"), cidr: "10.10.0.0/26" },
      internal: { id: contosoSubnet("inside"), cidr: "10.10.0.64/26" },
    };
    const customers = parseCustomers(doc, "customers.yaml").slice(0, 3);
    const dir = out(Object.fromEntries(customers.map((c) => [c.id, Testing.synth(new CustomerStack(Testing.app(), c.id, { customer: c }))])));
    expect(crossReferences(dir)).toEqual([
      {
        stack: "fabrikam",
        references: [
          {
            otherStack: "contoso",
            id: contosoSubnet("outside"),
            where: expect.stringMatching(/^azurerm_network_interface\.FortiGate_Port1Nic_\w+\.ip_configuration\[0\]\.subnet_id$/),
          },
          {
            otherStack: "contoso",
            id: contosoSubnet("inside"),
            where: expect.stringMatching(/^azurerm_network_interface\.FortiGate_Port2Nic_\w+\.ip_configuration\[0\]\.subnet_id$/),
          },
        ],
      },
    ]);
  });

  test("the command line, as a workflow step runs it: JSON on stdout; exit 2 on bad usage", () => {
    const scripts = new GitopsScripts();
    try {
      const dir = out({ a: stack(A_SUB, "a-rg"), b: stack(B_SUB, "b-rg", nic(subnet(A_SUB, "a-rg"))) });
      const res = scripts.run("cross-references", [dir]);
      expect(res).toEqual({
        status: 0,
        stderr: "",
        stdout: `${JSON.stringify([
          {
            stack: "b",
            references: [{ otherStack: "a", id: subnet(A_SUB, "a-rg"), where: "azurerm_network_interface.Port1Nic.ip_configuration[0].subnet_id" }],
          },
        ])}\n`,
      });
      expect(scripts.run("cross-references", [out({ a: stack(A_SUB, "a-rg") })])).toEqual({ status: 0, stderr: "", stdout: "[]\n" });
      const usage = { status: 2, stdout: "", stderr: "usage: cross-references <cdktf.out>\n" };
      expect(scripts.run("cross-references", [])).toEqual(usage);
      expect(scripts.run("cross-references", [dir, dir])).toEqual(usage);
      expect(scripts.run("cross-references", [path.join(dir, "stacks", "a", "cdk.tf.json")])).toEqual(usage);
    } finally {
      scripts.remove();
    }
  });
});
