import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CUSTOMERS_FILE } from "../../stacks/customer-app";
import { customersFileJsonSchema, writeCustomersFileJsonSchema } from "../../stacks/customers-file-schema";
import { parseCustomers } from "../../stacks/customers-file";

/**
 * The JSON Schema editors use and the validator synth uses agree: both accept the example, both refuse what
 * a schema can say (unknown fields, types, allowed values, patterns, ranges), and what only the validator can
 * check is listed with the reason, the schema accepting it and the validator refusing it, so the list stays
 * honest.
 */
type Block = Record<string, unknown>;
type Doc = { defaults: Block; customers: Block[] };
const example = () => parseYaml(fs.readFileSync(DEFAULT_CUSTOMERS_FILE, "utf8")) as Doc;
const schema = customersFileJsonSchema();
const ajv = new Ajv({ allErrors: true });
const schemaAccepts = ajv.compile(schema);
const entrySchemaAccepts = ajv.compile((schema.properties as { customers: { items: object } }).customers.items);
const validatorAccepts = (doc: unknown) => {
  try {
    parseCustomers(doc, "customers.yaml");
    return true;
  } catch {
    return false;
  }
};

/** Sets `value` at a dotted path of `block` ("fortigate.cpu"), creating mappings on the way. */
const set = (block: Block, pathText: string, value: unknown) => {
  const keys = pathText.split(".");
  let node = block;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Block;
  node[keys[keys.length - 1]] = value;
};
/** The example with fabrikam's (customers[1]) field at `pathText` set to `value`. */
const fabrikam = (pathText: string, value: unknown) => (doc: Doc) => set(doc.customers[1], pathText, value);
const changed = (change: (doc: Doc) => void) => {
  const doc = example();
  change(doc);
  return doc;
};

test("the schema is draft-07 with a title and no $id, made of the validator's descriptions", () => {
  expect(schema).toEqual(
    expect.objectContaining({ $schema: "http://json-schema.org/draft-07/schema#", title: expect.any(String), additionalProperties: false }),
  );
  expect(schema.$id).toBeUndefined();
  const entry = (schema.properties as { customers: { items: { properties: Record<string, Block>; additionalProperties: boolean } } }).customers.items;
  expect(entry.additionalProperties).toBe(false);
  expect(entry.properties.fortiflex).toEqual(expect.objectContaining({ description: "the customer's FortiFlex program and account" }));
  expect((entry.properties.fortigate.properties as Record<string, Block>).servicePackage.enum).toEqual(["FC", "UTP", "ENT", "ATP"]);
  // Defaults may give any field, so an entry requires none; items of a list merge with nothing and keep theirs.
  expect(JSON.stringify(entry)).not.toMatch(/"required":\["(id|name|fortiflex|azure|fortigate|adminCidrs|accountId|servicePackage)"/);
  const port = ((entry.properties.fortigate.properties as Record<string, Block>).publicPorts.items as Block).required;
  expect(port).toEqual(["protocol", "port"]);
});

test("writeCustomersFileJsonSchema writes the same schema as JSON", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ffx-schema-")), "customers.schema.json");
  writeCustomersFileJsonSchema(file);
  expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(schema);
  fs.rmSync(path.dirname(file), { recursive: true });
});

test("both accept the example: the file as written, and each entry merged with defaults", () => {
  const doc = example();
  expect(schemaAccepts(doc) || schemaAccepts.errors).toBe(true);
  const customers = parseCustomers(doc, "customers.yaml");
  expect(customers).toHaveLength(4);
  for (const customer of customers) expect(entrySchemaAccepts(JSON.parse(JSON.stringify(customer))) || entrySchemaAccepts.errors).toBe(true);
});

test.each<[string, (doc: Doc) => void]>([
  ["an unknown customer field", fabrikam("owner", "x")],
  ["an unknown FortiGate field", fabrikam("fortigate.vmsize", "Standard_D4s_v5")],
  ["an unknown field in defaults", (doc) => set(doc.defaults, "fortigate.cpus", 2)],
  ["an unknown top-level key", (doc) => Object.assign(doc, { customer: [] })],
  ["a CPU count as text", fabrikam("fortigate.cpu", "four")],
  ["an account id as text", fabrikam("fortiflex.accountId", "1525961")],
  ["a list where a mapping goes", fabrikam("azure", ["westeurope"])],
  ["an unknown deployment", fabrikam("fortigate.deployment", "active-active")],
  ["an unknown architecture", (doc) => set(doc.defaults, "fortigate.architecture", "x86")],
  ["a retired service package", fabrikam("fortigate.servicePackage", "UTM")],
  ["a subscription id that is no GUID", fabrikam("azure.subscriptionId", "not-a-guid")],
  ["a malformed CIDR", fabrikam("network.vnetCidr", "10.20.0/22")],
  ["a hostname too long", fabrikam("fortigate.hostname", "h".repeat(36))],
  ["a port out of range", fabrikam("fortigate.publicPorts", [{ protocol: "Tcp", port: 70000 }])],
  ["a public port without its port", fabrikam("fortigate.publicPorts", [{ protocol: "Tcp" }])],
  ["CPU 97", fabrikam("fortigate.cpu", 97)],
  ["a negative log disk", fabrikam("fortigate.logDiskSizeGb", -1)],
  ["three zones for a pair", (doc) => set(doc.customers[3], "fortigate.availabilityZones", ["1", "2", "3"])],
  ["a tag value over 256 characters", fabrikam("tags", { owner: "v".repeat(257) })],
  ["no customers", (doc) => (doc.customers = [])],
  ["decommission in defaults", (doc) => set(doc.defaults, "decommission", true)],
  ["sharedWith in defaults", (doc) => set(doc.defaults, "existingNetwork.sharedWith", ["contoso"])],
])("both refuse %s", (_, change) => {
  const doc = changed(change);
  expect(schemaAccepts(doc)).toBe(false);
  expect(validatorAccepts(doc)).toBe(false);
});

/** What a JSON Schema cannot say, with the reason: the schema accepts it, the validator refuses it. */
test.each<[string, string, (doc: Doc) => void]>([
  ["a required field missing from both the entry and defaults", "required fields depend on the merge with defaults", (doc) => delete doc.customers[1].name],
  ["neither network nor existingNetwork", "a rule across fields (exactly one of the two)", (doc) => delete doc.customers[1].network],
  ["a pair without HA subnets", "a rule across fields (deployment and network)", fabrikam("fortigate.deployment", "active-passive")],
  ["a zone given twice", "a rule between list items", (doc) => set(doc.customers[3], "fortigate.availabilityZones", ["2", "2"])],
  ["neither cpu nor vmSize", "a rule across fields", (doc) => delete (doc.customers[1].fortigate as Block).cpu],
  ["two zones for a single FortiGate", "a rule across fields (deployment and zones)", fabrikam("fortigate.availabilityZones", ["1", "2"])],
  ["admin access from the whole internet", "a check of the CIDR's prefix in code", fabrikam("adminCidrs", ["0.0.0.0/0"])],
  ["a /30 virtual network", "a check of the CIDR's prefix in code", fabrikam("network.vnetCidr", "10.20.0.0/30")],
  [
    "an endpoint at another host",
    "the endpoint checks the constructs share",
    fabrikam("fortiflex.endpoints", { apiUrl: "https://x.example/", authUrl: "https://y.example/" }),
  ],
  ["49 tags", "the count of a mapping's keys", fabrikam("tags", Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, "v"])))],
  ["two customers with one id", "a rule across entries", fabrikam("id", "contoso")],
  [
    "a subnet in another subscription",
    "subnet ids compared with the customer's subscription",
    (doc) => {
      delete doc.customers[1].network;
      const subnet = (name: string) =>
        `/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/${name}`;
      doc.customers[1].existingNetwork = {
        vnetCidr: "10.20.0.0/22",
        external: { id: subnet("a"), cidr: "10.20.0.0/26" },
        internal: { id: subnet("b"), cidr: "10.20.0.64/26" },
      };
    },
  ],
])("validator only: %s (%s)", (_, _reason, change) => {
  const doc = changed(change);
  expect(schemaAccepts(doc) || schemaAccepts.errors).toBe(true);
  expect(validatorAccepts(doc)).toBe(false);
});
