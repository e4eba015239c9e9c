import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { FortiFlexOnlyStack } from "../../examples/fortiflex-only-stack";
import { FortiGateOnAzureStack } from "../../examples/fortigate-on-azure-stack";
import { buildCustomerStacks, DEFAULT_CUSTOMERS_FILE, selectedCustomers } from "../../stacks/customer-app";
import { CustomerStack } from "../../stacks/customer-stack";
import { CustomersFileError, loadCustomersFile, parseCustomers } from "../../stacks/customers-file";
import { parseMultipart, renderCustomData } from "../helpers/custom-data";
import { frameworkNodeArgs } from "../helpers/framework";
import { joinedRegExp } from "../helpers/joined-regexp";
import { fixedTriggers } from "../helpers/step-triggers";

type Block = Record<string, unknown>;
const example = () => parseYaml(fs.readFileSync(DEFAULT_CUSTOMERS_FILE, "utf8")) as { defaults: Block; customers: Block[] };

describe("customers file", () => {
  test("the shipped example has four valid customers, with defaults applied", () => {
    const customers = loadCustomersFile(DEFAULT_CUSTOMERS_FILE);
    expect(customers.map((c) => c.id)).toEqual(["contoso", "fabrikam", "northwind", "woodgrove"]);
    expect(customers[0].fortiflex.programSerialNumber).toBe("ELAVMS0000000518");
    expect(customers[0].azure.location).toBe("westeurope");
    expect(customers[1].azure.location).toBe("northeurope");
    expect(customers[1].adminCidrs).toEqual(["203.0.113.0/24", "198.51.100.32/28"]);
  });

  const SUBNET_ID = "/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/fgt";
  /** Replace one field of the second customer (fabrikam) and expect the problem text. */
  const withChange = (change: (c: Block, all: Block[]) => void): string => {
    const doc = example();
    change(doc.customers[1], doc.customers);
    try {
      parseCustomers(doc, "customers.yaml");
    } catch (e) {
      expect(e).toBeInstanceOf(CustomersFileError);
      return (e as Error).message;
    }
    throw new Error("expected the file to be rejected");
  };
  const set = (pathText: string, value: unknown) => (c: Block) => {
    const keys = pathText.split(".");
    let node = c;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Block;
    node[keys[keys.length - 1]] = value;
  };

  test.each<[string, (c: Block, all: Block[]) => void, string | RegExp]>([
    ["CPU 97", set("fortigate.cpu", 97), 'customer "fabrikam" (customers[1]): fortigate.cpu = 97: value 97 is out of range (allowed: 1-96)'],
    ["CPU 3.5", set("fortigate.cpu", 3.5), "fortigate.cpu = 3.5: a whole number such as 2"],
    [
      "package UTM",
      set("fortigate.servicePackage", "UTM"),
      /fortigate\.servicePackage = "UTM": value "UTM" \(UTM\) is no longer available \(allowed: FC, UTP, ENT, ATP\)/,
    ],
    ["negative account", set("fortiflex.accountId", -3), /fortiflex\.accountId = -3: a positive FortiCloud member account id/],
    ["bad program", set("fortiflex.programSerialNumber", "ELAV123"), /fortiflex\.programSerialNumber = "ELAV123": a FortiFlex program serial number/],
    ["bad subscription", set("azure.subscriptionId", "not-a-guid"), /azure\.subscriptionId = "not-a-guid": a subscription id \(GUID\)/],
    ["bad region", set("azure.location", "North Europe"), /azure\.location = "North Europe": an Azure region name/],
    ["malformed CIDR", set("network.vnetCidr", "10.20.0/22"), /network\.vnetCidr = "10\.20\.0\/22": an IPv4 CIDR like 10\.0\.0\.0\/24/],
    ["no admin CIDR", set("adminCidrs", []), /adminCidrs = \[\]: at least one management CIDR/],
    ["unknown field", set("fortigate.cpus", 4), 'fortigate: unknown field "cpus"; did you mean "cpu"?'],
    [
      "unknown field in backend.azurerm",
      set("backend", { azurerm: { resourceGroupName: "rg", storageAcountName: "x", containerName: "tf" } }),
      'backend.azurerm: unknown field "storageAcountName"; did you mean "storageAccountName"?',
    ],
    [
      "unknown field in fortiflex.endpoints",
      set("fortiflex.endpoints", { apiURL: "x", authUrl: "y" }),
      'fortiflex.endpoints: unknown field "apiURL"; did you mean "apiUrl"?',
    ],
    [
      "unknown top-level customer field",
      set("owner", "x"),
      /customer "fabrikam" \(customers\[1\]\): unknown field "owner" \(allowed here: id, name, fortiflex, azure, fortigate, network, /,
    ],
    [
      "a missing required field",
      (c) => delete (c.fortiflex as Block).accountId,
      'customer "fabrikam" (customers[1]): fortiflex.accountId: required: the customer\'s FortiCloud member account id',
    ],
    [
      "text where a number goes",
      set("fortiflex.accountId", "1525961"),
      'fortiflex.accountId = "1525961": a number such as 2 (the customer\'s FortiCloud member account id)',
    ],
    ["a number where text goes", set("tags", { "cost-center": 4711 }), 'tags.cost-center = 4711: text; write it in quotes: "4711"'],
    ["a version written as a number", set("fortigate.fortiOsVersion", 7.6), 'fortigate.fortiOsVersion = 7.6: write it in quotes: "7.6" (allowed: '],
    ["admin from anywhere", set("adminCidrs", ["0.0.0.0/0"]), 'adminCidrs[0] = "0.0.0.0/0": a management network, not the whole internet'],
    ["missing network", (c) => delete c.network, /network = \(missing\): give network \(a new virtual network\) or existingNetwork \(subnets that exist\)/],
    [
      "both networks",
      set("existingNetwork", {
        vnetCidr: "10.20.0.0/22",
        external: { id: SUBNET_ID, cidr: "10.20.0.0/26" },
        internal: { id: SUBNET_ID, cidr: "10.20.0.64/26" },
      }),
      /network = .*: give network or existingNetwork, not both/,
    ],
    ["unknown deployment", set("fortigate.deployment", "active-active"), 'fortigate.deployment = "active-active": allowed: single, active-passive'],
    [
      "a pair without HA subnets",
      set("fortigate.deployment", "active-passive"),
      /network\.haSyncSubnetCidr = \(missing\): an active-passive pair needs its HA sync and HA management subnets/,
    ],
    [
      "HA subnets on a single FortiGate",
      set("network.haSyncSubnetCidr", "10.20.0.128/26"),
      /network\.haSyncSubnetCidr = "10\.20\.0\.128\/26": only an active-passive pair \(fortigate\.deployment: active-passive\) has HA subnets/,
    ],
    [
      "one zone for a pair",
      (c) => Object.assign(c.fortigate as Block, { deployment: "active-passive", availabilityZone: "1" }),
      /fortigate\.availabilityZone = "1": an active-passive pair takes availabilityZones/,
    ],
    [
      "two zones for a single FortiGate",
      set("fortigate.availabilityZones", ["1", "2"]),
      /fortigate\.availabilityZones = \["1","2"\]: availabilityZones is for deployment: active-passive/,
    ],
    [
      "the same zone twice",
      (c) => Object.assign(c.fortigate as Block, { deployment: "active-passive", availabilityZones: ["2", "2"] }),
      /fortigate\.availabilityZones = \["2","2"\]: two different zones/,
    ],
    [
      "a retired FortiGuard code",
      set("fortigate.fortiGuardServices", ["FGTAVDB", "FURL"]),
      /fortigate\.fortiGuardServices\[1\] = "FURL": value "FURL" is not allowed \(allowed: FGTAVDB, FGTFAIS, FGTISSS, FGTDLDB, FGTFGSA, FGTFCSS, NONE\)/,
    ],
    [
      "support upgrade misspelt",
      set("fortigate.supportService", "ELITE"),
      /fortigate\.supportService = "ELITE": value "ELITE" is not allowed \(allowed: NONE, FGTFCELU\)/,
    ],
    [
      "an image version that is not one",
      set("fortigate.imageVersion", "7.6"),
      /fortigate\.imageVersion = "7\.6": "latest" or a FortiOS version such as "7\.6\.6"/,
    ],
    ["a hostname too long", set("fortigate.hostname", "h".repeat(36)), /fortigate\.hostname = "h{36}": 1-35 letters, digits, _ or -/],
    ["a public port out of range", set("fortigate.publicPorts", [{ protocol: "Tcp", port: 70000 }]), "fortigate.publicPorts[0].port = 70000: at most 65535"],
    [
      "non-ASCII in FortiOS CLI",
      set("fortigate.additionalConfig", 'config system global\n  set alias "Zürich"\nend'),
      /fortigate\.additionalConfig = .*: printable ASCII FortiOS CLI/,
    ],
    [
      "an existing subnet that is no subnet id",
      (c) => {
        delete c.network;
        c.existingNetwork = {
          vnetCidr: "10.20.0.0/22",
          external: { id: "/subscriptions/x/vnet", cidr: "10.20.0.0/26" },
          internal: { id: SUBNET_ID, cidr: "10.20.0.64/26" },
        };
      },
      /existingNetwork\.external\.id = "\/subscriptions\/x\/vnet": an Azure subnet resource id/,
    ],
    ["neither cpu nor size", (c) => delete (c.fortigate as Block).cpu, /fortigate\.cpu = \(missing\): give cpu, vmSize or both/],
    ["bad id", set("id", "Fabrikam Inc"), /id = "Fabrikam Inc": 2-32 lower-case letters, digits or hyphens/],
    ["duplicate id", (c) => (c.id = "contoso"), 'customer "contoso": id "contoso" is already used by customer "contoso"; each customer needs its own'],
    [
      "same resource group in one subscription",
      (c, all) => {
        (c.azure as Block).subscriptionId = (all[0].azure as Block).subscriptionId;
        (c.azure as Block).resourceGroup = "contoso-fortigate-rg";
      },
      /customer "fabrikam": Azure resource group "11111111-1111-4111-8111-111111111111\/contoso-fortigate-rg" is already used by customer "contoso"/,
    ],
    [
      "same state key",
      (c, all) => {
        c.backend = all[2].backend;
        (c.backend as { azurerm: Block }).azurerm = { ...(all[2].backend as { azurerm: Block }).azurerm, key: "northwind.tfstate" };
      },
      'customer "northwind": state key "msspterraformstate/customers/northwind.tfstate" is already used by customer "fabrikam"',
    ],
    [
      "bad storage account",
      set("backend", { azurerm: { resourceGroupName: "rg", storageAccountName: "Bad_Name", containerName: "tf" } }),
      /backend\.azurerm\.storageAccountName = "Bad_Name": 3-24 lower-case letters or digits/,
    ],
  ])("%s", (_, change, message) => {
    const text = withChange(change);
    expect(text).toMatch(/^customers\.yaml: \d+ problem\(s\); nothing was synthesized:/);
    expect(text).toEqual(typeof message === "string" ? expect.stringContaining(message) : expect.stringMatching(message));
  });

  describe("whose network existing subnets are in", () => {
    // Contoso (customers[0]) has subscription 1111... and resource group contoso-fortigate-rg; fabrikam's is 2222...
    const CONTOSO_SUB = "11111111-1111-4111-8111-111111111111";
    const FABRIKAM_SUB = "22222222-2222-4222-8222-222222222222";
    const HUB_SUB = "99999999-9999-4999-8999-999999999999";
    const subnetIn =
      (subscription: string, group: string, vnet = "hub") =>
      (name: string) =>
        `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${name}`;
    /** Fabrikam on existing subnets named by `subnet`, with further existingNetwork fields. */
    const onSubnets =
      (subnet: (name: string) => string, more: Block = {}) =>
      (c: Block) => {
        delete c.network;
        c.existingNetwork = {
          vnetCidr: "10.20.0.0/22",
          external: { id: subnet("outside"), cidr: "10.20.0.0/26" },
          internal: { id: subnet("inside"), cidr: "10.20.0.64/26" },
          ...more,
        };
      };
    const fabrikamWith = (change: (c: Block, all: Block[]) => void) => {
      const doc = example();
      change(doc.customers[1], doc.customers);
      return parseCustomers(doc, "customers.yaml")[1];
    };
    const contosoNetwork = subnetIn(CONTOSO_SUB, "contoso-fortigate-rg", "contoso-fortigate-vnet");

    test("the cross-customer subnet: fabrikam's FortiGate placed in contoso's subnets is refused, naming both subnets and what is allowed", () => {
      const text = withChange(onSubnets(contosoNetwork));
      for (const field of ["external", "internal"]) {
        expect(text).toContain(
          `customer "fabrikam" (customers[1]): existingNetwork.${field}.id = "/subscriptions/${CONTOSO_SUB}/resourc... (` +
            `${contosoNetwork(field === "external" ? "outside" : "inside").length + 2} characters): in ` +
            `subscription ${CONTOSO_SUB}; allowed: the customer's own subscription ${FABRIKAM_SUB} ` +
            `(azure.subscriptionId), or another one named in existingNetwork.subscriptionId`,
        );
      }
    });

    test("naming contoso's subscription is not enough: its resource group needs contoso in sharedWith", () => {
      const text = withChange(onSubnets(contosoNetwork, { subscriptionId: CONTOSO_SUB }));
      expect(text).toMatch(/^customers\.yaml: 2 problem\(s\)/);
      expect(text).toContain(
        `customer "fabrikam": existingNetwork.external.id = "/subscriptions/${CONTOSO_SUB}/resourc... ` +
          `(${contosoNetwork("outside").length + 2} characters): in customer "contoso"'s resource group ` +
          `contoso-fortigate-rg (subscription ${CONTOSO_SUB}); allowed: a resource group of no other customer, ` +
          `or add "contoso" to existingNetwork.sharedWith if fabrikam's FortiGate belongs in contoso's network`,
      );
      expect(text).toContain('customer "fabrikam": existingNetwork.internal.id = ');
    });

    test("customers sharing one subscription: another customer's resource group is refused all the same, whatever the case of the id", () => {
      const text = withChange((c, all) => {
        (c.azure as Block).subscriptionId = (all[0].azure as Block).subscriptionId;
        onSubnets(subnetIn(CONTOSO_SUB.toUpperCase(), "Contoso-FortiGate-RG"))(c);
      });
      expect(text).toMatch(/^customers\.yaml: 2 problem\(s\)/);
      expect(text).toMatch(/customer "fabrikam": existingNetwork\.external\.id = .*: in customer "contoso"'s resource group contoso-fortigate-rg/);
    });

    test("with sharedWith the consent is explicit, and the stack uses contoso's subnets", () => {
      const customer = fabrikamWith(onSubnets(contosoNetwork, { subscriptionId: CONTOSO_SUB, sharedWith: ["contoso"] }));
      expect(customer.existingNetwork).toEqual(expect.objectContaining({ subscriptionId: CONTOSO_SUB, sharedWith: ["contoso"] }));
      const s = JSON.parse(Testing.synth(new CustomerStack(Testing.app(), customer.id, { customer }))) as Record<string, Record<string, Record<string, Block>>>;
      expect(Object.values(s.resource.azurerm_network_interface).map((n) => (n.ip_configuration as Block[])[0].subnet_id)).toEqual([
        contosoNetwork("outside"),
        contosoNetwork("inside"),
      ]);
    });

    test("another subscription that is no customer's: refused unless existingNetwork.subscriptionId names it, then every subnet must be in it", () => {
      const hub = subnetIn(HUB_SUB, "mssp-hub");
      expect(withChange(onSubnets(hub))).toMatch(
        joinedRegExp(
          /existingNetwork\.external\.id = .*: in subscription 99999999-9999-4999-8999-999999999999; allowed: the customer's own subscription /,
          /22222222-2222-4222-8222-222222222222 \(azure\.subscriptionId\), or another one named in existingNetwork\.subscriptionId/,
        ),
      );
      expect(fabrikamWith(onSubnets(hub, { subscriptionId: HUB_SUB.toUpperCase() })).existingNetwork?.external.id).toBe(hub("outside"));
      const mixed = withChange((c) => {
        onSubnets(hub, { subscriptionId: HUB_SUB })(c);
        (c.existingNetwork as { internal: Block }).internal.id = subnetIn(FABRIKAM_SUB, "mssp-hub")("inside");
      });
      expect(mixed).toMatch(/^customers\.yaml: 1 problem\(s\)/);
      expect(mixed).toMatch(
        joinedRegExp(
          /existingNetwork\.internal\.id = .*: in subscription 22222222-2222-4222-8222-222222222222; allowed: subscription /,
          /99999999-9999-4999-8999-999999999999 \(existingNetwork\.subscriptionId\), the one all of this customer's subnets are in/,
        ),
      );
    });

    test("the customer's own subscription needs no field, in any case; all subnets in one virtual network", () => {
      expect(fabrikamWith(onSubnets(subnetIn(FABRIKAM_SUB.toUpperCase(), "Net", "HUB"))).existingNetwork?.subscriptionId).toBeUndefined();
      const text = withChange((c) => {
        onSubnets(subnetIn(FABRIKAM_SUB, "net"))(c);
        (c.existingNetwork as { internal: Block }).internal.id = subnetIn(FABRIKAM_SUB, "net", "spoke")("inside");
      });
      expect(text).toContain(
        'customer "fabrikam" (customers[1]): existingNetwork.internal.id = ' +
          '"/subscriptions/22222222-2222-4222-8222-222222222222/resourc... (137 characters): in virtual ' +
          "network spoke of resource group net; allowed: the external subnet's, hub of resource group net (a " +
          "VM's network interfaces are all in one virtual network)",
      );
      // The same network written in other letter cases is one network.
      const internal = subnetIn(FABRIKAM_SUB, "NET", "Hub")("inside");
      expect(
        fabrikamWith((c) => {
          onSubnets(subnetIn(FABRIKAM_SUB, "net"))(c);
          (c.existingNetwork as { internal: Block }).internal.id = internal;
        }).existingNetwork?.internal.id,
      ).toBe(internal);
    });

    test.each<[string, Block, string]>([
      [
        "a customer that does not exist",
        { sharedWith: ["contoso", "tailspin"] },
        'customer "fabrikam": existingNetwork.sharedWith[1] = "tailspin": not a customer of this file; ' +
          "allowed: ids of its other customers (contoso, northwind, woodgrove)",
      ],
      [
        "its own id",
        { sharedWith: ["contoso", "fabrikam"] },
        'customer "fabrikam": existingNetwork.sharedWith[1] = "fabrikam": the customer\'s own id; list other ' +
          "customers whose resource groups hold these subnets",
      ],
      [
        "a consent no subnet uses",
        { sharedWith: ["contoso", "northwind"] },
        'customer "fabrikam": existingNetwork.sharedWith[1] = "northwind": no subnet of this entry is in customer "northwind"\'s resource group; remove it',
      ],
      ["an empty list", { sharedWith: [] }, "existingNetwork.sharedWith = []: at least one customer id (or leave sharedWith out)"],
      ["a subscription that is no GUID", { subscriptionId: "contoso" }, 'existingNetwork.subscriptionId = "contoso": a subscription id (GUID)'],
    ])("sharedWith and subscriptionId: %s is refused", (_, more, message) => {
      const text = withChange(onSubnets(contosoNetwork, { subscriptionId: CONTOSO_SUB, ...more }));
      expect(text).toContain(message);
    });

    test("a consent naming a customer whose own entry is invalid adds no error of its own", () => {
      const text = withChange((c, all) => {
        onSubnets(contosoNetwork, { subscriptionId: CONTOSO_SUB, sharedWith: ["contoso"] })(c);
        (all[0].fortigate as Block).cpu = 0;
      });
      expect(text).toMatch(/^customers\.yaml: 1 problem\(s\); nothing was synthesized:\n  - customer "contoso" \(customers\[0\]\): fortigate\.cpu = 0: /);
    });

    test("subscriptionId and sharedWith are said per entry, never in defaults", () => {
      const doc = example();
      doc.defaults.existingNetwork = { subscriptionId: CONTOSO_SUB, sharedWith: ["contoso"] };
      expect(() => parseCustomers(doc, "customers.yaml")).toThrow(
        "customers.yaml: 2 problem(s); nothing was synthesized:\n" +
          "  - defaults.existingNetwork.subscriptionId: not allowed in defaults; a subscription other than the " +
          "customer's own is named on each entry that uses one\n" +
          "  - defaults.existingNetwork.sharedWith: not allowed in defaults; consent to use another customer's network is given on each entry that uses it",
      );
    });
  });

  test("every problem of the file is reported at once", () => {
    const doc = example();
    set("fortigate.cpu", 0)(doc.customers[0]);
    set("azure.location", "")(doc.customers[2]);
    expect(() => parseCustomers(doc, "f.yaml")).toThrow(/2 problem\(s\)[\s\S]*"contoso"[\s\S]*"northwind"/);
  });

  test("unreadable, non-YAML and empty files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-cust-"));
    expect(() => loadCustomersFile(path.join(dir, "missing.yaml"))).toThrow(/cannot read the file \(ENOENT\); set FORTIFLEX_CUSTOMERS_FILE/);
    fs.writeFileSync(path.join(dir, "bad.yaml"), "customers: [\n");
    expect(() => loadCustomersFile(path.join(dir, "bad.yaml"))).toThrow(/not valid YAML/);
    fs.writeFileSync(path.join(dir, "empty.yaml"), "customers: []\n");
    expect(() => loadCustomersFile(path.join(dir, "empty.yaml"))).toThrow(/customers = \[\]: at least one customer/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("CustomerStack", () => {
  const customers = loadCustomersFile(DEFAULT_CUSTOMERS_FILE);
  const synth = (i: number) =>
    JSON.parse(Testing.synth(new CustomerStack(Testing.app(), customers[i].id, { customer: customers[i] }))) as Record<
      string,
      Record<string, Record<string, Block>>
    >;

  test("provider for the customer's subscription, resource group, FortiGate, outputs, local state outside the synth output", () => {
    const app = Testing.app();
    const s = JSON.parse(Testing.synth(new CustomerStack(app, customers[0].id, { customer: customers[0] }))) as Record<
      string,
      Record<string, Record<string, Block>>
    >;
    expect(s.provider.azurerm).toEqual([{ features: [{}], subscription_id: "11111111-1111-4111-8111-111111111111" }]);
    const statePath = (s.terraform.backend.local as unknown as { path: string }).path;
    expect(path.isAbsolute(statePath)).toBe(false);
    expect(path.resolve(app.outdir, "stacks", "contoso", statePath)).toBe(path.resolve("terraform-state", "contoso.tfstate"));
    expect(Object.values(s.resource.azurerm_resource_group)[0]).toEqual(
      expect.objectContaining({
        name: "contoso-fortigate-rg",
        location: "westeurope",
        tags: { customer: "contoso", "managed-by": "fortiflex-cdktf", "managed-by-mssp": "true" },
      }),
    );
    expect(Object.keys(s.output).sort()).toEqual(["entitlement_serial_number", "management_url", "public_ip"]);
    const vm = Object.values(s.resource.azurerm_linux_virtual_machine)[0];
    expect(vm).toEqual(expect.objectContaining({ size: "Standard_D2s_v5", resource_group_name: expect.stringContaining("azurerm_resource_group.") }));
    const lifecycle = Object.entries(s.resource.null_resource)
      .filter(([id]) => id.includes("Lifecycle"))
      .map(([, b]) => (b.triggers as Block).key);
    expect(lifecycle.sort()).toEqual(["contoso/FortiGate/Entitlement", "contoso/FortiGate/FortiFlexConfig"]);
  });

  test("an active-passive customer: the pair, one entitlement per unit, every FortiFlex and FortiGate option from the file", () => {
    const s = synth(3);
    expect(Object.keys(s.output).sort()).toEqual(["entitlement_serial_numbers", "management_urls", "public_ip"]);
    const vms = Object.values(s.resource.azurerm_linux_virtual_machine);
    expect(vms.map((v) => [v.name, v.zone, v.size, (v.source_image_reference as Block).version])).toEqual([
      ["woodgrove-fgt-a", "1", "Standard_D8s_v5", "7.6.6"],
      ["woodgrove-fgt-b", "2", "Standard_D8s_v5", "7.6.6"],
    ]);
    const keys = Object.entries(s.resource.null_resource)
      .filter(([id]) => id.includes("Lifecycle"))
      .map(([, b]) => (b.triggers as Block).key)
      .sort();
    expect(keys).toEqual(["woodgrove/FortiGatePair/EntitlementA", "woodgrove/FortiGatePair/EntitlementB", "woodgrove/FortiGatePair/FortiFlexConfig"]);
    const settings = fixedTriggers(s, s.resource.null_resource.FortiGatePair_FortiFlexConfig_Settings).fixed;
    expect(settings.parameters).toBe("1=8,2=ATP,10=2,43=FGTAVDB,43=FGTFAIS,44=FGTFAZC,45=FGTFCELU");
    expect(
      Object.values(s.resource.azurerm_lb_rule)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ha-ports", "tcp-10443", "udp-4500", "udp-500"]);
    for (const vm of vms) {
      const cli = parseMultipart(renderCustomData(vm.custom_data as string, "AAAAAAAAAAAAAAAAAAAA", () => "pw")).parts[0].body;
      expect(cli).toContain('set fmg "fmg.mssp.example.net"');
      expect(cli).toContain("config system dns\n    set primary 168.63.129.16\nend");
    }
  });

  test("a pair's public port with floating IP from the file reaches its load balancer rule; a single FortiGate refuses it by name", () => {
    const doc = example();
    (doc.customers[3].fortigate as Block).publicPorts = [{ protocol: "Tcp", port: 443, floatingIp: true }];
    const pair = parseCustomers(doc, "customers.yaml")[3];
    const s = JSON.parse(Testing.synth(new CustomerStack(Testing.app(), pair.id, { customer: pair }))) as Record<string, Record<string, Record<string, Block>>>;
    expect(
      Object.values(s.resource.azurerm_lb_rule)
        .map((r) => [r.name, r.floating_ip_enabled])
        .sort(),
    ).toEqual([
      ["ha-ports", true],
      ["tcp-443", true],
    ]);
    (doc.customers[0].fortigate as Block).publicPorts = [{ protocol: "Udp", port: 500, floatingIp: true }];
    expect(() => new CustomerStack(Testing.app(), "contoso", { customer: parseCustomers(doc, "customers.yaml")[0] })).toThrow(
      /contoso\/FortiGate\/FortiGate: invalid publicPorts\[0\] .*floatingIp applies to an active-passive pair's load balancer/,
    );
  });

  test("existing subnets from the file: no network of our own, the given subnet ids", () => {
    const doc = example();
    const subnet = (name: string) =>
      `/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/${name}`;
    delete doc.customers[1].network;
    doc.customers[1].existingNetwork = {
      vnetCidr: "10.20.0.0/22",
      external: { id: subnet("outside"), cidr: "10.20.0.0/26" },
      internal: { id: subnet("inside"), cidr: "10.20.0.64/26" },
    };
    const customer = parseCustomers(doc, "customers.yaml")[1];
    const s = JSON.parse(Testing.synth(new CustomerStack(Testing.app(), customer.id, { customer }))) as Record<string, Record<string, Record<string, Block>>>;
    expect(s.resource.azurerm_virtual_network).toBeUndefined();
    expect(Object.values(s.resource.azurerm_network_interface).map((n) => (n.ip_configuration as Block[])[0].subnet_id)).toEqual([
      subnet("outside"),
      subnet("inside"),
    ]);
  });

  test("Azure Storage state with one key per customer", () => {
    expect(synth(2).terraform.backend).toEqual({
      azurerm: {
        resource_group_name: "mssp-tfstate",
        storage_account_name: "msspterraformstate",
        container_name: "customers",
        key: "northwind.tfstate",
        use_azuread_auth: true,
      },
    });
  });

  test("construct-level problems name the customer, and nothing is synthesized", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-cust-"));
    const doc = example();
    (doc.customers[1].network as Block).internalSubnetCidr = "10.20.0.32/27"; // overlaps the external subnet
    (doc.customers[0].fortigate as Block).vmSize = "Standard_D8s_v5"; // 8 vCPUs but cpu: 2
    (doc.customers[2].fortigate as Block) = { cpu: 3, servicePackage: "ATP" }; // no default VM size has 3 vCPUs
    const file = path.join(dir, "customers.json.yaml");
    fs.writeFileSync(file, JSON.stringify(doc));
    const out = path.join(dir, "out");
    expect(() => buildCustomerStacks(new App({ outdir: out }), file)).toThrow(
      joinedRegExp(
        /3 problem\(s\)[\s\S]*:\d+:\d+: customer "contoso" \(customers\[0\]\): fortigate\.cpu = 2: the vCPUs of vmSize Standard_D8s_v5 \(8\)[\s\S]*customer /,
        /"fabrikam" \(customers\[1\]\): network\.internalSubnetCidr = "10\.20\.0\.32\/27": a subnet that does not overlap[\s\S]*customer /,
        /"northwind" \(customers\[2\]\): fortigate\.cpu = 3: one of 2, 4, 8, 16, 32, 48, 64, 96 for a default VM size, or give vmSize/,
      ),
    );
    expect(fs.existsSync(path.join(out, "stacks", "contoso"))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  test("FORTIFLEX_CUSTOMERS selects stacks", () => {
    expect(selectedCustomers({ FORTIFLEX_CUSTOMERS: "contoso, northwind" })).toEqual(["contoso", "northwind"]);
    expect(selectedCustomers({})).toEqual([]);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "ffx-sel-")) });
    expect(buildCustomerStacks(app, DEFAULT_CUSTOMERS_FILE, ["northwind"]).map((c) => c.id)).toEqual(["northwind"]);
    expect(app.node.children.map((c) => c.node.id)).toEqual(["northwind"]);
    expect(() => buildCustomerStacks(new App({ outdir: app.outdir }), DEFAULT_CUSTOMERS_FILE, ["nobody"])).toThrow(
      /unknown customer\(s\) nobody \(known: contoso, fabrikam, northwind, woodgrove\)/,
    );
  });
});

describe("main job and examples", () => {
  test("npm run synth's entry writes one self-contained stack directory per customer and a summary", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-main-"));
    const res = spawnSync(
      process.execPath,
      [...frameworkNodeArgs(), require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(__dirname, "..", "..", "main.ts")],
      { cwd, encoding: "utf8", env: { ...process.env, FORTIFLEX_CUSTOMERS: "", FORTIFLEX_CUSTOMERS_FILE: path.resolve(DEFAULT_CUSTOMERS_FILE) } },
    );
    expect(res.stderr).toBe("");
    expect(res.stdout).toMatch(
      joinedRegExp(
        /contoso: \d+ resources, 2 data sources, 3 outputs\n\s+fabrikam: .*\n\s+northwind: .*\n\s+woodgrove: \d+ resources, 3 data sources, 3 /,
        /outputs\nSynthesized 4 stack\(s\) in \d+ ms into cdktf\.out\/stacks\/<stack>\/cdk\.tf\.json/,
      ),
    );
    for (const id of ["contoso", "fabrikam", "northwind"]) {
      const dir = path.join(cwd, "cdktf.out", "stacks", id);
      const text = fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8");
      // The handler ships inside the stack directory, and nothing points outside it.
      const handler = /"\$\{path\.module\}\/(assets\/[^"]+\/fortiflex-handler\.js)"/.exec(text)![1];
      expect(fs.existsSync(path.join(dir, handler))).toBe(true);
      expect(text).not.toContain(cwd);
    }
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test("synth leaves Terraform's files alone, and a selective synth touches no other customer", () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-keep-"));
    const file = path.join(cwd, "customers.yaml");
    fs.copyFileSync(DEFAULT_CUSTOMERS_FILE, file);
    const main = (only = "") =>
      spawnSync(
        process.execPath,
        [...frameworkNodeArgs(), require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(__dirname, "..", "..", "main.ts")],
        {
          cwd,
          encoding: "utf8",
          env: { ...process.env, FORTIFLEX_CUSTOMERS: only, FORTIFLEX_CUSTOMERS_FILE: file },
        },
      );
    const first = main();
    expect(first.status).toBe(0);
    // Another file than main.ts names is said, so a leftover variable never synthesizes another fleet unseen.
    expect(first.stdout.split("\n")[0]).toBe(`Customers file: ${file} (FORTIFLEX_CUSTOMERS_FILE; the code names ${path.join("stacks", "customers.yaml")})`);
    const stack = (id: string) => path.join(cwd, "cdktf.out", "stacks", id);
    const terraformFiles = [
      "terraform.tfstate",
      "terraform.tfstate.backup",
      ".terraform.lock.hcl",
      "tfplan",
      ".terraform/terraform.tfstate",
      ".terraform/providers/marker",
    ];
    for (const id of ["contoso", "fabrikam"]) {
      for (const f of terraformFiles) {
        fs.mkdirSync(path.dirname(path.join(stack(id), f)), { recursive: true });
        fs.writeFileSync(path.join(stack(id), f), `kept ${id}`);
      }
    }
    const fabrikamBefore = fs.statSync(path.join(stack("fabrikam"), "cdk.tf.json")).mtimeMs;
    expect(main("contoso").status).toBe(0);
    expect(fs.statSync(path.join(stack("fabrikam"), "cdk.tf.json")).mtimeMs).toBe(fabrikamBefore);
    expect(main().status).toBe(0);
    for (const id of ["contoso", "fabrikam"]) for (const f of terraformFiles) expect(fs.readFileSync(path.join(stack(id), f), "utf8")).toBe(`kept ${id}`);
    // A customer removed from the file: its directory (and state) is kept and the summary says why.
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/\n  - id: fabrikam[\s\S]*?(?=\n  - id: )/, ""));
    const res = main();
    expect(res.stdout).toMatch(
      joinedRegExp(
        /fabrikam: not in the customers file; its directory is kept as it is /,
        /\(to retire a customer, set decommission: true on its entry and apply first, then remove the entry\)/,
      ),
    );
    expect(fs.readFileSync(path.join(stack("fabrikam"), "terraform.tfstate"), "utf8")).toBe("kept fabrikam");
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test("the README examples synthesize", () => {
    const app = Testing.app();
    const only = JSON.parse(Testing.synth(new FortiFlexOnlyStack(app, "fortiflex-example")));
    // 3 objects x (lifecycle, settings) + the stack's stop-all and reconcile steps.
    expect(Object.keys(only.resource.null_resource)).toHaveLength(8);
    const vm = JSON.parse(Testing.synth(new FortiGateOnAzureStack(app, "fortigate-example")));
    expect(Object.values(vm.resource.azurerm_linux_virtual_machine as Record<string, Block>)[0].size).toBe("Standard_D4s_v5");
  });
});
