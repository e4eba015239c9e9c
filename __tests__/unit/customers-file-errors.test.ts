import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { buildCustomerStacks, DEFAULT_CUSTOMERS_FILE } from "../../stacks/customer-app";
import { CustomersFileError, loadCustomersFile } from "../../stacks/customers-file";
import { joinedRegExp } from "../helpers/joined-regexp";

/**
 * Errors a person can act on: every problem of the customers file names the file, line and column of what to
 * change (the value, the unknown key, or the nearest parent of a missing field), says when the value came
 * from defaults, suggests the closest known field, and speaks of values as YAML's reader sees them, never in
 * zod's phrasing.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-errors-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const EXAMPLE = fs.readFileSync(DEFAULT_CUSTOMERS_FILE, "utf8");

/**
 * The example with `edit` applied, written as customers.yaml; its text and its problems (throws if accepted),
 * from the file alone or, with `stacks`, from building the customers' stacks too.
 */
function problemsOf(edit: (yaml: string) => string, stacks = false): { text: string; file: string; problems: string[] } {
  const dir = fs.mkdtempSync(path.join(tmp, "case-"));
  const file = path.join(dir, "customers.yaml");
  const text = edit(EXAMPLE);
  fs.writeFileSync(file, text);
  try {
    if (stacks) buildCustomerStacks(Testing.app(), file);
    else loadCustomersFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(CustomersFileError);
    return { text, file, problems: (e as CustomersFileError).problems };
  }
  throw new Error("expected the file to be refused");
}
/** Replaces the first occurrence of `from` (which must exist) with `to`. */
const swap = (from: string | RegExp, to: string) => (yaml: string) => {
  expect(yaml).toMatch(from);
  return yaml.replace(from, to);
};
/** "file:line:col" of the first `needle` at or after the line holding `after`, 1-based as editors count. */
function at(file: string, text: string, needle: string, after = ""): string {
  const lines = text.split("\n");
  const from = lines.findIndex((l) => l.includes(after));
  const line = lines.findIndex((l, i) => i >= from && l.includes(needle));
  expect(line).toBeGreaterThanOrEqual(0);
  return `${file}:${line + 1}:${lines[line].indexOf(needle) + 1}`;
}

describe("every problem says where it is written", () => {
  test("a value of an entry: the line and column of the value", () => {
    const { text, file, problems } = problemsOf(swap("cpu: 4\n", "cpu: 97\n"));
    expect(problems).toEqual([`${at(file, text, "97")}: customer "fabrikam" (customers[1]): fortigate.cpu = 97: value 97 is out of range (allowed: 1-96)`]);
  });

  test("a value from defaults: the defaults line, said to come from there, once per customer it reaches", () => {
    const { text, file, problems } = problemsOf(swap('fortiOsVersion: "7.6"', 'fortiOsVersion: "7.9"'));
    const where = at(file, text, '"7.9"');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe(`${where}: customer "contoso" (customers[0]): fortigate.fortiOsVersion = "7.9" (from defaults): allowed: 7.0, 7.2, 7.4, 7.6, 8.0`);
    expect(problems.every((p) => p.startsWith(`${where}: customer "`) && p.includes("(from defaults)"))).toBe(true);
  });

  test("an entry's own value wins over defaults, and its line is the entry's", () => {
    const { text, file, problems } = problemsOf(swap("location: northeurope", "location: North Europe"));
    expect(problems).toEqual([
      `${at(file, text, "North Europe")}: customer "fabrikam" (customers[1]): azure.location = "North Europe": an Azure region name such as "westeurope"`,
    ]);
  });

  test("a missing field: the key of its nearest parent, and what the field is", () => {
    const { text, file, problems } = problemsOf(swap("      subscriptionId: 22222222-2222-4222-8222-222222222222\n", ""));
    expect(problems).toEqual([
      `${at(file, text, "azure:", "id: fabrikam")}: customer "fabrikam" (customers[1]): azure.subscriptionId: required: the customer's Azure subscription id`,
    ]);
  });

  test("a field missing under a mapping only defaults have: the entry's first line, where a customer's own value goes", () => {
    const { text, file, problems } = problemsOf(swap(/    fortigate:\n      cpu: 4\n      servicePackage: ENT\n      availabilityZone: "2"\n/, ""));
    expect(problems).toEqual([
      `${at(file, text, "id: fabrikam")}: customer "fabrikam" (customers[1]): ` +
        "fortigate.servicePackage: required: the FortiFlex service package: FC, UTP, ENT or ATP",
    ]);
  });

  test.each<[string, string, string, string]>([
    [
      "a customer's field",
      "    name: Fabrikam Inc\n",
      "    name: Fabrikam Inc\n    Tags: {}\n",
      'customer "fabrikam" (customers[1]): unknown field "Tags"; did you mean "tags"?',
    ],
    [
      "a FortiGate field",
      "      cpu: 4\n",
      "      cpu: 4\n      vmsize: Standard_D4s_v5\n",
      'customer "fabrikam" (customers[1]): fortigate: unknown field "vmsize"; did you mean "vmSize"?',
    ],
    [
      "a network field",
      "      vnetCidr: 10.20.0.0/22\n",
      "      vnetCidr: 10.20.0.0/22\n      vnetCIDR: x\n",
      'customer "fabrikam" (customers[1]): network: unknown field "vnetCIDR"; did you mean "vnetCidr"?',
    ],
    [
      "a backend field",
      "        containerName: customers\n",
      "        containerName: customers\n        useAzureAdAuth: true\n",
      'customer "northwind" (customers[2]): backend.azurerm: unknown field "useAzureAdAuth"; did you mean "useAzureadAuth"?',
    ],
    [
      "a FortiManager field",
      "        serialNumber: FMG-VM0000000042\n",
      "        serialNumber: FMG-VM0000000042\n        adress: x\n",
      'customer "woodgrove" (customers[3]): fortigate.fortiManager: unknown field "adress"; did you mean "address"?',
    ],
    [
      "a public port field",
      "{ protocol: Udp, port: 500 }",
      "{ protocol: Udp, port: 500, ports: 2 }",
      'customer "woodgrove" (customers[3]): fortigate.publicPorts[0]: unknown field "ports"; did you mean "port"?',
    ],
    ["a top-level key", "\ncustomers:\n", "\ncustomer:\n", 'unknown field "customer"; did you mean "customers"?'],
  ])("an unknown key in %s: its own line, and the closest known name", (_, from, to, message) => {
    const { text, file, problems } = problemsOf(swap(from, to));
    const key = /\b(Tags|vmsize|vnetCIDR|useAzureAdAuth|adress|ports|customer):/.exec(to)![1];
    expect(problems).toContain(`${at(file, text, `${key}:`, to.trim().split("\n")[0])}: ${message}`);
  });

  test("an unknown key in defaults: the defaults line, for every customer it reaches", () => {
    const { text, file, problems } = problemsOf(swap("    architecture: x64-gen2\n", "    architecture: x64-gen2\n    hostName: fw\n"));
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe(
      `${at(file, text, "hostName:")}: customer "contoso" (customers[0]): fortigate (from defaults): unknown field "hostName"; did you mean "hostname"?`,
    );
  });

  test("structural problems and YAML syntax errors lead with the position too", () => {
    const hex = problemsOf(swap("accountId: 1525961", "accountId: 0x174AC9"));
    expect(hex.problems).toEqual([
      `${at(hex.file, hex.text, "0x174AC9")}: customers[1].fortiflex.accountId = 0x174AC9: write numbers in decimal digits, at most 9007199254740991`,
    ]);
    const twice = problemsOf(swap("    name: Fabrikam Inc\n", "    name: Fabrikam Inc\n    name: twice\n"));
    expect(twice.problems).toEqual([`${at(twice.file, twice.text, "name: twice")}: not valid YAML: Map keys must be unique`]);
  });

  test("cross-customer problems: the line of the field that collides", () => {
    const { text, file, problems } = problemsOf(swap("id: fabrikam", "id: contoso"));
    const lines = text.split("\n");
    const first = lines.indexOf("  - id: contoso");
    const second = lines.indexOf("  - id: contoso", first + 1);
    expect(problems).toEqual([
      `${file}:${second + 1}:9: customer "contoso": id "contoso" is already used by customer "contoso" (${file}:${first + 1}:9); each customer needs its own`,
    ]);
  });
});

test("the guide's sample is what the code says", () => {
  const guide = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "guides", "customers-file.md"), "utf8");
  const sample = /\n```\n(stacks\/customers\.yaml: \d+ problem[^`]*)```/.exec(guide)?.[1];
  expect(sample).toBeDefined();
  const edit = (yaml: string) =>
    swap("    name: Northwind Traders\n", "")(swap('      availabilityZone: "2"\n', "      availabilityZone: 2\n      vmsize: Standard_D4s_v5\n")(yaml));
  const dir = fs.mkdtempSync(path.join(tmp, "guide-"));
  fs.mkdirSync(path.join(dir, "stacks"));
  fs.writeFileSync(path.join(dir, "stacks", "customers.yaml"), edit(EXAMPLE));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    expect(() => loadCustomersFile(path.join("stacks", "customers.yaml"))).toThrow(sample!.trimEnd());
  } finally {
    process.chdir(cwd);
  }
});

describe("the constructs' checks, in the file's terms", () => {
  const woodgroveCpu = (cpu: string) => swap("cpu: 8 # each unit has 4 NICs: Standard_D8s_v5 (D4s_v5 takes only 2)", cpu);
  const PAIR_SIZE =
    "the pair's VM size derived from it, Standard_D4s_v5, is refused: a size that takes 4 NICs (each unit has port1-port4); " +
    "Standard_D4s_v5 takes 2: use 8 vCPUs or more (e.g. Standard_D8s_v5); set fortigate.vmSize to choose one";

  test("a pair with cpu: 4: the VM size derived from cpu is explained at cpu's line, not reported as if the user wrote it", () => {
    const { text, file, problems } = problemsOf(woodgroveCpu("cpu: 4 # too few NICs"), true);
    expect(problems).toEqual([`${at(file, text, "4 # too few")}: customer "woodgrove" (customers[3]): fortigate.cpu = 4: ${PAIR_SIZE}`]);
  });

  test("an ARM64 pair with cpu: 4: the size derived for ARM64, and an ARM64 size suggested", () => {
    const { problems } = problemsOf((y) => woodgroveCpu("cpu: 4\n      architecture: arm64")(swap('imageVersion: "7.6.6"', 'imageVersion: "latest"')(y)), true);
    expect(problems).toEqual([
      expect.stringContaining(
        'customer "woodgrove" (customers[3]): fortigate.cpu = 4: the pair\'s VM size derived from it, Standard_D4ps_v6, is refused: ' +
          "a size that takes 4 NICs (each unit has port1-port4); Standard_D4ps_v6 takes 2: use 8 vCPUs or more (e.g. Standard_D8ps_v6); " +
          "set fortigate.vmSize to choose one",
      ),
    ]);
  });

  test("the same cpu from defaults: the defaults line, said to come from there", () => {
    const { text, file, problems } = problemsOf(
      (y) => woodgroveCpu("# cpu from defaults")(swap("    architecture: x64-gen2\n", "    architecture: x64-gen2\n    cpu: 4\n")(y)),
      true,
    );
    expect(problems).toEqual([`${at(file, text, "4", "    cpu: 4")}: customer "woodgrove" (customers[3]): fortigate.cpu = 4 (from defaults): ${PAIR_SIZE}`]);
  });

  test("vCPUs derived from vmSize that FortiFlex refuses: explained at vmSize's line", () => {
    const { text, file, problems } = problemsOf(swap("vmSize: Standard_D4ps_v6", "vmSize: Standard_D128ps_v6"), true);
    expect(problems).toEqual([
      `${at(file, text, "Standard_D128ps_v6")}: customer "northwind" (customers[2]): fortigate.vmSize = "Standard_D128ps_v6": the vCPUs derived from it are ` +
        "refused by FortiFlex: value 128 is out of range (allowed: 1-96); set fortigate.cpu or another vmSize",
    ]);
  });

  test("an image version against the default FortiOS version: said to be the default, at the field the user wrote", () => {
    const { text, file, problems } = problemsOf(
      (y) => swap('    fortiOsVersion: "7.6"\n', "")(swap('imageVersion: "7.6.6"', 'imageVersion: "7.4.5"')(y)),
      true,
    );
    expect(problems).toEqual([
      `${at(file, text, '"7.4.5"')}: customer "woodgrove" (customers[3]): fortigate.imageVersion = "7.4.5": image version must be "latest" or 7.6.<patch> ` +
        "(e.g. 7.6.1) (fortigate.fortiOsVersion is not set: its default applies)",
    ]);
  });

  test("the constructs' names for the image's enums become the file's fields", () => {
    const { problems } = problemsOf(swap("cpu: 2\n", "vmSize: Standard_D2ps_v6\n"), true);
    expect(problems).toEqual([
      expect.stringMatching(
        joinedRegExp(
          /: customer "contoso" \(customers\[0\]\): fortigate\.vmSize = "Standard_D2ps_v6": /,
          /Standard_D2ps_v6 is an ARM64 size; use fortigate\.architecture: arm64 or an x64 size$/,
        ),
      ),
    ]);
  });
});

describe("no problem speaks zod", () => {
  /** Zod's default phrasings: a message with one of them reached a user untranslated. */
  const ZOD = joinedRegExp(
    /Invalid input|expected \w+, received|Invalid option|Invalid (string|number|enum|type|key|element|union)|/,
    /Too (big|small)|Unrecognized key|expected (array|string|number) to|Required$/,
  );
  const fabrikamFortiGate = (yaml: string) =>
    swap(/    fortigate:\n      cpu: 4\n      servicePackage: ENT\n      availabilityZone: "2"\n/, `    fortigate:\n${yaml}`);
  const cases: [string, (yaml: string) => string][] = [
    ["a missing name", swap("    name: Fabrikam Inc\n", "")],
    ["a number as the name", swap("name: Fabrikam Inc", "name: 42")],
    ["an empty name", swap("name: Fabrikam Inc", 'name: ""')],
    ["a list as the FortiGate", fabrikamFortiGate("      - cpu\n")],
    ["text as the FortiGate", swap(/    fortigate:\n      cpu: 4\n      servicePackage: ENT\n      availabilityZone: "2"\n/, "    fortigate: big\n")],
    ["text as the CPU count", swap("cpu: 4", "cpu: four")],
    ["a fraction of a CPU", swap("cpu: 4", "cpu: 2.5")],
    ["a boolean deployment", swap("cpu: 4", "cpu: 4\n      deployment: true")],
    ["an unknown deployment", swap("cpu: 4", "cpu: 4\n      deployment: cluster")],
    ["a zone as a number", swap('availabilityZone: "2"', "availabilityZone: 2")],
    ["one zone for a pair", swap('availabilityZones: ["1", "2"]', 'availabilityZones: ["1"]')],
    ["three zones", swap('availabilityZones: ["1", "2"]', 'availabilityZones: ["1", "2", "3"]')],
    ["a port of 0", swap("port: 500 }", "port: 0 }")],
    ["a port as text", swap("port: 500 }", "port: http }")],
    ["an unknown protocol", swap("protocol: Udp, port: 500", "protocol: Icmp, port: 500")],
    ["too many public ports", swap("      publicPorts:\n", `      publicPorts:\n${"        - { protocol: Tcp, port: 8080 }\n".repeat(51)}`)],
    ["a negative log disk", swap("cpu: 4", "cpu: 4\n      logDiskSizeGb: -1")],
    ["a huge log disk", swap("cpu: 4", "cpu: 4\n      logDiskSizeGb: 40000")],
    ["a negative token generation", swap("cpu: 4", "cpu: 4\n      tokenGeneration: -1")],
    ["a boolean as the account", swap("accountId: 1525961", "accountId: true")],
    ["an account of 0", swap("accountId: 1525961", "accountId: 0")],
    [
      "a mapping of admin CIDRs",
      swap("    adminCidrs:\n      - 203.0.113.0/24\n      - 198.51.100.32/28 # Fabrikam's own NOC\n", "    adminCidrs: { a: 1 }\n"),
    ],
    ["no admin CIDRs", swap("    adminCidrs:\n      - 203.0.113.0/24\n      - 198.51.100.32/28 # Fabrikam's own NOC\n", "    adminCidrs: []\n")],
    ["eleven admin CIDRs", swap("    adminCidrs:\n", `    adminCidrs:\n${"      - 10.0.0.0/8\n".repeat(10)}`)],
    ["a number as a tag", swap('cost-center: "4711"', "cost-center: 4711")],
    ["a list of tags", swap('      cost-center: "4711"\n', "      - x\n")],
    ["an empty tag name", swap('cost-center: "4711"', '"": x')],
    ["a boolean decommission as text", swap("name: Fabrikam Inc", "name: Fabrikam Inc\n    decommission: yes")],
    ["an empty backend", swap("    backend:\n      azurerm:\n", "    backend: {}\n    unused:\n      azurerm:\n")],
    ["a long backend key", swap("containerName: customers", `containerName: customers\n        key: ${"k".repeat(300)}`)],
    ["a string as use of Entra ID", swap("containerName: customers", "containerName: customers\n        useAzureadAuth: maybe")],
    ["no customers", () => "customers: []\n"],
    ["customers as a mapping", () => "customers: { a: 1 }\n"],
    ["no customers key", () => "defaults: {}\n"],
    ["defaults as a list", swap("\ndefaults:\n", "\ndefaults:\n  - x\nunused:\n")],
    ["a null customer", swap("\ncustomers:\n", "\ncustomers:\n  - null\n")],
    ["an empty FortiManager", swap("        address: fmg.mssp.example.net\n        serialNumber: FMG-VM0000000042\n", "        {}\n")],
    ["endpoints without URLs", swap("      accountId: 1525961\n", "      accountId: 1525961\n      endpoints: {}\n")],
  ];

  test(`${cases.length} bad files: each is refused, every message in the file's terms`, () => {
    const messages = cases.flatMap(([name, edit]) => {
      let problems: string[];
      try {
        problems = problemsOf(edit).problems;
      } catch (e) {
        // A case the validator accepted: named, so the list stays honest.
        throw new Error(`${name}: ${(e as Error).message}`);
      }
      expect(problems.length).toBeGreaterThan(0);
      return problems.map((p) => `${name}: ${p}`);
    });
    expect(messages.length).toBeGreaterThanOrEqual(cases.length);
    // The pattern catches zod's phrasing when it is there.
    for (const raw of ["Invalid input: expected string, received undefined", 'Invalid option: expected one of "a"|"b"', "Too big: expected number to be <=5"])
      expect(raw).toMatch(ZOD);
    expect(messages.filter((m) => ZOD.test(m))).toEqual([]);
  });
});
