import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { FortiFlexConfiguration, FortiFlexProduct, FortiFlexVmEntitlement, FortiGateServicePackage, FortiGateWithFortiFlex } from "../../constructs";
import { terraformLiteral } from "../../constructs/private/terraform-literal";
import { FortiFlexClient } from "../../custom-provider/fortiflex-client";
import { endpointProblem } from "../../contract/endpoints";
import { DEFAULT_CUSTOMERS_FILE } from "../../stacks/customer-app";
import { CustomersFileError, loadCustomersFile } from "../../stacks/customers-file";
import { joinedRegExp } from "../helpers/joined-regexp";

/**
 * Input written by someone who wants to break things (a pull request that edits the customers file, text
 * typed into a portal): each case gets one short error naming where and what is allowed, never a stack
 * trace, never a huge echo, never a silent acceptance.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ffx-hostile-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The shipped customers file with `edit` applied to its text; returns the problems (throws if accepted). */
function problemsOf(edit: (yaml: string) => string): string {
  const file = path.join(tmp, `customers-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, edit(fs.readFileSync(DEFAULT_CUSTOMERS_FILE, "utf8")));
  try {
    loadCustomersFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(CustomersFileError);
    const message = (e as Error).message;
    expect(message).not.toMatch(/\n\s+at /); // no stack trace
    expect(message.split("\n").every((line) => line.length <= 400)).toBe(true); // no huge echo
    return message;
  }
  throw new Error("expected the file to be refused");
}
/** Replaces the first occurrence of `from` (which must exist) with `to`. */
const swap = (from: string | RegExp, to: string) => (yaml: string) => {
  expect(yaml).toMatch(from);
  return yaml.replace(from, to);
};
const fabrikam = (line: string) => swap(/(\n  - id: fabrikam\n)/, `$1    ${line}\n`);
/** Replaces fabrikam's tags with `tags` (a YAML flow mapping). */
const fabrikamTags = (tags: string) => swap(/\n    tags:\n      cost-center: "4711"\n/, `\n    tags: ${tags}\n`);
/** Adds a `key` to northwind's Azure Storage backend. */
const backendKey = (key: string) => swap(/(\n        containerName: customers)/, `$1\n        key: ${key}`);

describe("customers file: structurally hostile input", () => {
  test.each<[string, (yaml: string) => string, RegExp]>([
    ["a null item", swap(/\ncustomers:\n/, "\ncustomers:\n  - null\n"), /customer #1 \(customers\[0\]\) = null: a customer entry/],
    ["an empty item", swap(/\ncustomers:\n/, "\ncustomers:\n  -\n"), /customer #1 \(customers\[0\]\) = null: a customer entry/],
    ["a string item", swap(/\ncustomers:\n/, '\ncustomers:\n  - "acme"\n'), /customer #1 \(customers\[0\]\) = "acme": a customer entry/],
    ["__proto__ in a customer", fabrikam("__proto__: { backend: { azurerm: { key: x } } }"), /customers\[1\]\.__proto__: the key "__proto__" is not allowed/],
    ["__proto__ in defaults", swap(/\ndefaults:\n/, "\ndefaults:\n  __proto__: { id: evil }\n"), /defaults\.__proto__: the key "__proto__" is not allowed/],
    ["constructor key", fabrikam("constructor: { prototype: {} }"), /customers\[1\]\.constructor: the key "constructor" is not allowed/],
    ["prototype key in tags", fabrikamTags("{ prototype: x }"), /customers\[1\]\.tags\.prototype: the key "prototype" is not allowed/],
    ["__proto__ as a tag name", fabrikamTags("{ __proto__: x }"), /customers\[1\]\.tags\.__proto__: the key "__proto__" is not allowed/],
    [
      "hexadecimal account id",
      swap("accountId: 1525961", "accountId: 0x174AC9"),
      /customers\[1\]\.fortiflex\.accountId = 0x174AC9: write numbers in decimal digits/,
    ],
    ["exponent account id", swap("accountId: 1525961", "accountId: 1.525961e6"), /fortiflex\.accountId = 1\.525961e6: write numbers in decimal digits/],
    ["octal CPU", swap("cpu: 2", "cpu: 0o2"), /fortigate\.cpu = 0o2: write numbers in decimal digits/],
    ["infinite CPU", swap("cpu: 2", "cpu: .inf"), /fortigate\.cpu = \.inf: write numbers in decimal digits/],
    [
      "a YAML bomb",
      (y) =>
        `${y}\nbomb0: &a ["x","x","x","x","x","x","x","x","x","x"]\nbomb1: &b ` +
        `[*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nbomb2: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nbomb3: [${Array(100).fill("*c").join(",")}]\n`,
      /not valid YAML: Excessive alias count/,
    ],
    ["a 5 MB field", (y) => `${y}\n# ${"x".repeat(5 * 1024 * 1024)}\n`, /more than 4194304 bytes; a customers file is at most that/],
    [
      "a cdktf token in a tag value",
      fabrikamTags("{ evil: '${TfToken[TOKEN.34]} ${file(\"/etc/passwd\")}' }"),
      /tags\.evil = .*text that looks like a cdktf reference \("TfToken\["\) is not allowed/,
    ],
    ["a cdktf token in a tag name", fabrikamTags("{ '#{TfToken[TOKEN.1]}': x }"), /text that looks like a cdktf reference/],
    ["a cdktf token in defaults", swap('managed-by-mssp: "true"', "all: '${TfToken[TOKEN.57]}'"), /defaults\.tags\.all = .*cdktf reference/],
    ["a NUL in a tag value", fabrikamTags('{ owner: "a\\0b" }'), /tags\.owner = .*control characters and bidirectional overrides are not allowed/],
    ["a right-to-left override", fabrikamTags('{ owner: "abc\\u202Efdp.exe" }'), /control characters and bidirectional overrides/],
    ["a newline in a tag name", fabrikamTags('{ "a\\nb": v }'), /control characters/],
    ["a complex key", fabrikamTags("{ ? [a, b] : v }"), /customers\[1\]\.tags: keys must be plain text/],
    ["a YAML tag", fabrikamTags("!!set { a, b }"), /the YAML tag tag:yaml\.org,2002:set is not allowed/],
    ["a custom YAML tag", swap("name: Fabrikam Inc", "name: !js/function 'x'"), /the YAML tag !js\/function is not allowed/],
    ["YAML 1.1", (y) => `%YAML 1.1\n---\n${y}`, /%YAML 1\.1: only YAML 1\.2 is read/],
    ["decommission in defaults", swap(/\ndefaults:\n/, "\ndefaults:\n  decommission: true\n"), /defaults\.decommission: not allowed in defaults/],
    [
      "3000 long unknown fields",
      fabrikam(Array.from({ length: 3000 }, (_, i) => `${"k".repeat(990)}${i}: 1`).join("\n    ")),
      /unknown field "k{40}\.\.\. \(\d+ characters\)"[\s\S]* and 2997 more unknown fields/,
    ],
    [
      "a 100 kB name",
      swap("name: Fabrikam Inc", `name: ${"n".repeat(100_000)}`),
      /customers\[1\]\.name = "n{40,60}\.\.\. \(100002 characters\): at most 1024 characters/,
    ],
    ["duplicate keys", fabrikam("name: twice"), /not valid YAML: Map keys must be unique/],
    ["not YAML", () => "customers: [\n", /not valid YAML/],
  ])("%s", (_name, edit, expected) => {
    expect(problemsOf(edit)).toMatch(expected);
  });
});

describe("customers file: what is read at all", () => {
  test.each<[string, () => string, RegExp]>([
    [
      "a symbolic link to /proc/self/environ",
      () => {
        const link = path.join(tmp, "environ.yaml");
        fs.symlinkSync("/proc/self/environ", link);
        return link;
      },
      /not a regular file \(a symbolic link\)/,
    ],
    [
      "a symbolic link to /dev/zero",
      () => {
        const link = path.join(tmp, "zero.yaml");
        fs.symlinkSync("/dev/zero", link);
        return link;
      },
      /not a regular file \(a symbolic link\)/,
    ],
    ["a directory", () => fs.mkdtempSync(path.join(tmp, "dir-")), /not a regular file \(a device, directory or pipe\)/],
    ["/proc/self/environ itself", () => "/proc/self/environ", /not a regular file \(a kernel file\)/],
    ["a missing file", () => path.join(tmp, "missing.yaml"), /cannot read the file \(ENOENT\)/],
  ])("%s", (_name, make, expected) => {
    // Refused by what the file is, before any read: the messages above say so (a read of /dev/zero or a
    // pipe would hang the test instead).
    expect(() => loadCustomersFile(make())).toThrow(expected);
  });
});

/** Fabrikam on an existing network whose external subnet has the given id. */
const existingExternal = (id: string) => (yaml: string) =>
  yaml.replace(
    /    network:\n      vnetCidr: 10\.20\.0\.0\/22\n(      .*\n){3}/,
    `    existingNetwork:\n      vnetCidr: 10.20.0.0/22\n      external: { id: "${id}", cidr: ` +
      `10.20.0.0/26 }\n      internal: { id: ` +
      `"/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/int", ` +
      `cidr: 10.20.0.64/26 }\n`,
  );

describe("customers file: values Azure or the backend would refuse, or that open too much", () => {
  test.each<[string, (yaml: string) => string, RegExp]>([
    [
      "61 tags",
      fabrikamTags(`{ ${Array.from({ length: 61 }, (_, i) => `t${i}: v`).join(", ")} }`),
      /tags = .*at most 48 tags \(Azure allows 50 per resource; the stack adds 2\)/,
    ],
    ["a 300-character tag value", fabrikamTags(`{ owner: ${"v".repeat(300)} }`), /tags\.owner = "v+\.\.\. \(302 characters\): at most 256 characters/],
    ["a 600-character tag name", fabrikamTags(`{ ${"k".repeat(600)}: v }`), /at most 512 characters/],
    ["a tag name with %", fabrikamTags('{ "50%": v }'), /a tag name without < > % & \\ \? \//],
    ["a tag name with /", fabrikamTags('{ "a/b": v }'), /a tag name without/],
    ["a VNet of 0.0.0.0/0", swap("vnetCidr: 10.20.0.0/22", "vnetCidr: 0.0.0.0/0"), /network\.vnetCidr = "0\.0\.0\.0\/0": a virtual network from \/8 to \/28/],
    ["a VNet of /4", swap("vnetCidr: 10.20.0.0/22", "vnetCidr: 16.0.0.0/4"), /a virtual network from \/8 to \/28/],
    ["an octet over 255", swap("vnetCidr: 10.20.0.0/22", "vnetCidr: 10.300.0.0/22"), /network\.vnetCidr = "10\.300\.0\.0\/22": an IPv4 CIDR/],
    ["a prefix over 32", swap("vnetCidr: 10.20.0.0/22", "vnetCidr: 10.20.0.0/33"), /an IPv4 CIDR/],
    ["a backend key with ../", backendKey("../other/northwind.tfstate"), /backend\.azurerm\.key = "\.\.\/other\/northwind\.tfstate": a blob name/],
    ["a backend key of ..", backendKey("a/../b"), /backend\.azurerm\.key = "a\/\.\.\/b": a blob name/],
    ["a backend key with a template", backendKey('"${path.cwd}.tfstate"'), /backend\.azurerm\.key = .*a blob name/],
    [
      "a backend resource group with a template",
      swap("resourceGroupName: mssp-tfstate", 'resourceGroupName: "${file(\\"x\\")}"'),
      /backend\.azurerm\.resourceGroupName = .*an Azure resource group name/,
    ],
    [
      "an account id past 2^53",
      swap("accountId: 1525961", "accountId: 9007199254740993"),
      /fortiflex\.accountId = 9007199254740993: write numbers in decimal digits, at most 9007199254740991/,
    ],
    [
      "a subnet id with a template",
      existingExternal('/subscriptions/${file(\\"/etc/hostname\\")}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/ext'),
      /existingNetwork\.external\.id = .*an Azure subnet resource id/,
    ],
    [
      "a subnet id with a directive",
      existingExternal(
        "/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/%{ if true }rg%{ endif }/providers/Microsoft.Network/virtualNetworks/v/subnets/ext",
      ),
      /existingNetwork\.external\.id = .*an Azure subnet resource id/,
    ],
    [
      "a FortiManager address with a quote",
      swap("servicePackage: ENT", 'servicePackage: ENT\n      fortiManager: { address: "fmg\\"; exec" }'),
      /fortigate\.fortiManager\.address = "fmg\\"; exec": an IPv4 address or a fully qualified host name/,
    ],
    [
      "FortiOS CLI with a carriage return",
      swap("servicePackage: ENT", 'servicePackage: ENT\n      additionalConfig: "end\\r\\nexecute factoryreset"'),
      /fortigate\.additionalConfig = .*control characters/,
    ],
  ])("%s", (_name, edit, expected) => {
    expect(problemsOf(edit)).toMatch(expected);
  });
});

describe("constructs: keys, endpoints and text", () => {
  const PROGRAM = "ELAVMS0000000518";
  const config = (extra: object = {}, stackId = "acme") => {
    const stack = new TerraformStack(Testing.app(), stackId);
    return new FortiFlexConfiguration(stack, "Config", {
      programSerialNumber: PROGRAM,
      accountId: 1525960,
      name: "x",
      product: FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }),
      ...extra,
    });
  };
  test.each<[string, object, RegExp]>([
    ["key ..", { key: ".." }, /invalid key "\.\.": 1-80 characters/],
    ["key ../x", { key: "../x" }, /invalid key "\.\.\/x"/],
    ["key acme/../x", { key: "acme/../x" }, /invalid key "acme\/\.\.\/x"/],
    ["key in another namespace", { key: "other/x" }, /inside the stack's namespace, starting with "acme\/"/],
    [
      "http endpoint to Fortinet",
      { endpoints: { apiUrl: "http://support.fortinet.com/ES/api/fortiflex/v2/" } },
      joinedRegExp(
        /invalid endpoints\.apiUrl "http:\/\/support\.fortinet\.com\/ES\/api\/fortiflex\/v2\/": http to support\.fortinet\.com; an https URL ending /,
        /in \/ES\/api\/fortiflex\/v2\//,
      ),
    ],
    ["garbage endpoint", { endpoints: { apiUrl: "not a url" } }, /invalid endpoints\.apiUrl "not a url": not a URL/],
    [
      "endpoint with credentials",
      { endpoints: { authUrl: "https://u:p@customerapiauth.fortinet.com/api/v1/oauth/token/" } },
      /credentials, a query or a fragment in the URL/,
    ],
    [
      "endpoint with a query",
      { endpoints: { apiUrl: "https://support.fortinet.com/ES/api/fortiflex/v2/?x=${path.cwd}" } },
      /credentials, a query or a fragment/,
    ],
    ["endpoint on another path", { endpoints: { apiUrl: "https://support.fortinet.com/steal/" } }, /path \/steal\/; an https URL ending in/],
    ["template in an endpoint", { endpoints: { authUrl: "https://x/${var.x}/api/v1/oauth/token/?" } }, /invalid endpoints\.authUrl/],
    ["template in an endpoint host", { endpoints: { apiUrl: 'https://${file("x")}.example.com/ES/api/fortiflex/v2/' } }, /not written in canonical form/],
    [
      "an endpoint with spaces",
      { endpoints: { apiUrl: " https://support.fortinet.com/ES/api/fortiflex/v2/" } },
      /not written in canonical form \("https:\/\/support\.fortinet\.com\/ES\/api\/fortiflex\/v2\/"\)/,
    ],
    ["an upper-case endpoint host", { endpoints: { apiUrl: "https://Support.Fortinet.com/ES/api/fortiflex/v2/" } }, /not written in canonical form/],
    [
      "a cdktf token in a configuration name",
      { name: "${TfToken[TOKEN.0]}x${abspath(path.root)}" },
      /invalid name .*literal text of 1-100 characters, not containing "\[ffx:" \(the key marker\) or a cdktf reference/,
    ],
    ["a 100 kB configuration name", { name: "n".repeat(100_000) }, /invalid name "n{99}\.\.\. \(100002 characters\): literal text/],
  ])("%s", (_name, extra, expected) => {
    expect(() => config(extra)).toThrow(expected);
  });

  test("endpoints: loopback may use http (the simulator), everything else https", () => {
    expect(endpointProblem("api", "http://127.0.0.1:4000/ES/api/fortiflex/v2/")).toBeUndefined();
    expect(endpointProblem("api", "http://localhost:4000/ES/api/fortiflex/v2")).toBeUndefined();
    expect(endpointProblem("auth", "http://[::1]:4000/api/v1/oauth/token/")).toBeUndefined();
    expect(endpointProblem("auth", "http://10.0.0.1/api/v1/oauth/token/")).toMatch(/^http to 10\.0\.0\.1/);
    expect(endpointProblem("api", "ftp://support.fortinet.com/ES/api/fortiflex/v2/")).toMatch(/^ftp to/);
    // The handler and CLI refuse the same from the environment, before any request.
    expect(() =>
      FortiFlexClient.fromEnv({
        FORTIFLEX_API_URL: "http://support.fortinet.com/ES/api/fortiflex/v2/",
        FORTIFLEX_ACCESS_USERNAME: "u",
        FORTIFLEX_ACCESS_PASSWORD: "p",
      }),
    ).toThrow(/FortiFlex api URL .* \(FORTIFLEX_API_URL \/ FORTIFLEX_AUTH_URL\) is not usable: http to support\.fortinet\.com/);
  });

  test("stack ids whose namespaces collide, construct ids whose keys collide", () => {
    const app = Testing.app();
    const make = (stack: TerraformStack, id = "Config") =>
      new FortiFlexConfiguration(stack, id, {
        programSerialNumber: PROGRAM,
        name: "x",
        product: FortiFlexProduct.fortiGateVmBundle({ cpu: 1, servicePackage: FortiGateServicePackage.FORTICARE }),
      });
    make(new TerraformStack(app, "team=a"));
    expect(() => make(new TerraformStack(app, "team+a"))).toThrow(/"team-a" is already the namespace of stack team=a/);
    const stack = new TerraformStack(Testing.app(), "s");
    make(stack, "Fw.A/B");
    expect(() => make(stack, "Fw.A B")).not.toThrow();
    make(stack, "x y");
    expect(() => make(stack, "x-y")).toThrow(/s\/x-y: invalid key "s\/x-y": a key of its own: s\/x y already uses it/);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    [
      "51 tags on a FortiGate",
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"])),
      /invalid tags "51 tags": at most 50 \(Azure allows 50 per resource\)/,
    ],
    ["a tag name with &", { "a&b": "v" }, /invalid tags "a&b": tag names of 1-512 characters without < > % & \\ \? \//],
    ["a 300-character tag value", { owner: "v".repeat(300) }, /invalid tags\.owner "v{60}\.\.\.": a string of at most 256 characters/],
  ])("%s", (_name, tags, expected) => {
    const stack = new TerraformStack(Testing.app(), "vm");
    expect(
      () =>
        new FortiGateWithFortiFlex(stack, "Edge", {
          name: "edge",
          programSerialNumber: PROGRAM,
          accountId: 1525960,
          servicePackage: FortiGateServicePackage.UTP,
          cpu: 2,
          resourceGroupName: "rg",
          location: "westeurope",
          adminCidrs: ["203.0.113.0/24"],
          tags,
        }),
    ).toThrow(expected);
  });

  test("an entitlement description may be any text, but not the key marker, and at most 200 characters", () => {
    const c = config();
    expect(() => new FortiFlexVmEntitlement(c.node.scope as TerraformStack, "A", { configuration: c, description: "x [ffx:acme/other]" })).toThrow(
      /invalid description .*not containing "\[ffx:"/,
    );
    expect(() => new FortiFlexVmEntitlement(c.node.scope as TerraformStack, "B", { configuration: c, description: "d".repeat(201) })).toThrow(
      /at most 200 characters/,
    );
    expect(
      () => new FortiFlexVmEntitlement(c.node.scope as TerraformStack, "C", { configuration: c, description: '${file("/etc/passwd")} 100%{' }),
    ).not.toThrow();
    expect(() => new FortiFlexVmEntitlement(c.node.scope as TerraformStack, "D", { configuration: c, description: "${TfToken[TOKEN.34]}" })).toThrow(
      /invalid description .*or a cdktf reference/,
    );
    expect(() => new FortiFlexVmEntitlement(c.node.scope as TerraformStack, "E", { configuration: c, folderPath: "My Assets/${TfToken[TOKEN.1]}" })).toThrow(
      /invalid folderPath/,
    );
  });

  test("text around a cdktf token is escaped too: a marker does not switch escaping off", () => {
    expect(terraformLiteral('${TfToken[TOKEN.1]} ${file("/etc/passwd")} %{ if true }')).toBe('${TfToken[TOKEN.1]} $${file("/etc/passwd")} %%{ if true }');
    expect(terraformLiteral("#{TfToken[TOKEN.2]}${x}")).toBe("#{TfToken[TOKEN.2]}$${x}");
  });
});
