import * as fs from "node:fs";
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from "yaml";
import { z } from "zod";
import { AZURE_TAG_LIMITS, AZURE_TAG_NAME_PATTERN } from "../constructs/azure-tags";
import { FortiGateArchitecture, FortiOsVersion } from "../constructs/fortigate-image";
import { FortiGateServicePackage } from "../constructs/fortiflex-product";

/**
 * The customers file (YAML): one entry per customer, plus optional defaults merged under every entry.
 * Validated as a whole before any stack is built; every error names the customer, the field, the value
 * and what is allowed.
 */

const cidr = z.string().regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(\d|[12]\d|3[0-2])$/, "an IPv4 CIDR like 10.0.0.0/24");
const prefixOf = (c: string) => Number(c.split("/")[1]);
/** The stack adds two tags of its own (customer, managed-by). */
const MAX_CUSTOMER_TAGS = AZURE_TAG_LIMITS.perResource - 2;
const tagsSchema = z
  .record(
    z.string().min(1, "a tag name").max(AZURE_TAG_LIMITS.nameLength, `at most ${AZURE_TAG_LIMITS.nameLength} characters`).regex(AZURE_TAG_NAME_PATTERN, "a tag name without < > % & \\ ? / (Azure refuses them)"),
    z.string().max(AZURE_TAG_LIMITS.valueLength, `at most ${AZURE_TAG_LIMITS.valueLength} characters (Azure's limit for tag values)`),
  )
  .refine((t) => Object.keys(t).length <= MAX_CUSTOMER_TAGS, `at most ${MAX_CUSTOMER_TAGS} tags (Azure allows ${AZURE_TAG_LIMITS.perResource} per resource; the stack adds 2)`);
const enumOf = <T extends Record<string, string>>(e: T) => z.enum(Object.values(e) as [string, ...string[]]);

const backendSchema = z
  .object({
    azurerm: z
      .object({
        resourceGroupName: z.string().regex(/^[-\w.()]{1,89}[-\w()]$/, "an Azure resource group name"),
        storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, "3-24 lower-case letters or digits"),
        containerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, "3-63 lower-case letters, digits or single hyphens"),
        /** @default "<customer id>.tfstate" */
        key: z
          .string()
          .regex(/^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a blob name of letters, digits, . _ - in "/"-separated parts, none of them "." or ".."')
          .max(256)
          .optional(),
        /** @default true: Entra ID (OIDC in CI) instead of storage keys */
        useAzureadAuth: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

const customerSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/, "2-32 lower-case letters, digits or hyphens (names the stack, the state key and the Azure resources)"),
    name: z.string().min(1).max(100),
    fortiflex: z
      .object({
        programSerialNumber: z.string().regex(/^ELAV[A-Z0-9]{12}$/, 'a FortiFlex program serial number, e.g. "ELAVMS0000000518"'),
        accountId: z.number().int().positive("a positive FortiCloud member account id").max(Number.MAX_SAFE_INTEGER),
      })
      .strict(),
    azure: z
      .object({
        subscriptionId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a subscription id (GUID)"),
        location: z.string().regex(/^[a-z][a-z0-9]+$/, 'an Azure region name such as "westeurope"'),
        /** @default "<customer id>-fortigate-rg" */
        resourceGroup: z.string().regex(/^[-\w.()]{1,89}[-\w()]$/, "an Azure resource group name").optional(),
      })
      .strict(),
    fortigate: z
      .object({
        cpu: z.number().int().min(1).max(96).optional(),
        vmSize: z.string().regex(/^Standard_\w+$/, 'an Azure VM size such as "Standard_D4s_v5"').optional(),
        servicePackage: enumOf(FortiGateServicePackage),
        fortiOsVersion: enumOf(FortiOsVersion).optional(),
        architecture: enumOf(FortiGateArchitecture).optional(),
        availabilityZone: z.enum(["1", "2", "3"]).optional(),
        tokenGeneration: z.number().int().min(0).optional(),
      })
      .strict()
      .refine((f) => f.cpu !== undefined || f.vmSize !== undefined, { message: "give cpu, vmSize or both", path: ["cpu"] }),
    network: z
      .object({
        vnetCidr: cidr.refine((c) => prefixOf(c) >= 8 && prefixOf(c) <= 28, "a virtual network from /8 to /28, e.g. 10.10.0.0/22"),
        externalSubnetCidr: cidr,
        internalSubnetCidr: cidr,
        protectedSubnetCidr: cidr,
      })
      .strict(),
    adminCidrs: z.array(cidr).min(1, "at least one management CIDR").max(10),
    tags: tagsSchema.optional(),
    backend: backendSchema.optional(),
    /**
     * Retire the customer: the next apply destroys its Azure resources and stops every FortiFlex object of its
     * namespace; afterwards the entry can be removed. @default false
     */
    decommission: z.boolean().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    /** Merged under every customer (a customer's own values win). */
    defaults: z.record(z.string(), z.unknown()).optional(),
    customers: z.array(z.unknown()).min(1, "at least one customer"),
  })
  .strict();

export type Customer = z.infer<typeof customerSchema>;

/** Every problem of a customers file, one per line. */
export class CustomersFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length} problem(s); nothing was synthesized:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CustomersFileError";
  }
}

/** A customers file for a few thousand customers fits easily; anything larger is refused unread. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** No field needs more (FortiOS config snippets are not part of the file). */
const MAX_STRING = 1024;
/** Keys that would reach an object's prototype when merged into plain objects. */
const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];

export function loadCustomersFile(file: string): Customer[] {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) throw new CustomersFileError(file, [`${size} bytes; a customers file is at most ${MAX_FILE_BYTES} bytes`]);
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof CustomersFileError) throw e;
    throw new CustomersFileError(file, [`cannot read the file (${(e as NodeJS.ErrnoException).code}); set FORTIFLEX_CUSTOMERS_FILE or create it`]);
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new CustomersFileError(file, doc.errors.slice(0, 5).map((e) => `not valid YAML: ${e.message.split("\n")[0]}`));
  const problems = structuralProblems(doc.contents);
  if (problems.length) throw new CustomersFileError(file, problems);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new CustomersFileError(file, [`not valid YAML: ${(e as Error).message.split("\n")[0]}`]);
  }
  return parseCustomers(raw, file);
}

/**
 * What no schema can see once the YAML is turned into objects: keys that reach a prototype, numbers not
 * written in decimal (0x174AC8 and 1.52596e6 are both a valid account id to YAML), oversized strings.
 */
function structuralProblems(root: unknown): string[] {
  const problems: string[] = [];
  visit(root as Node, {
    Pair(_key, pair, path) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && FORBIDDEN_KEYS.includes(key)) problems.push(`${pathOf([...path, pair])}: the key "${key}" is not allowed`);
    },
    Scalar(_key, node, path) {
      const where = pathOf(path);
      if (typeof node.value === "number" && !/^-?\d+(\.\d+)?$/.test(node.source ?? "")) {
        problems.push(`${where} = ${shortText(node.source ?? String(node.value))}: write numbers in decimal digits`);
      }
      if (typeof node.value === "string" && node.value.length > MAX_STRING) problems.push(`${where} = ${shortText(JSON.stringify(node.value))}: at most ${MAX_STRING} characters`);
    },
  });
  return problems.slice(0, 20);
}

/** "customers[1].fortiflex.accountId" for a node, from the ancestors that yaml's visit hands over. */
function pathOf(ancestors: readonly unknown[]): string {
  let out = "";
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    const child = ancestors[i + 1];
    if (isPair(node) && isScalar(node.key)) out += `${out ? "." : ""}${String(node.key.value)}`;
    if (isSeq(node) && child !== undefined) out += `[${node.items.indexOf(child as never)}]`;
    if (isMap(node) && child === undefined) break;
  }
  return out || "(top level)";
}

/** At most 60 characters of a value in an error: a huge field is never echoed back whole. */
function shortText(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 60)}... (${text.length} characters)`;
}

/** Validates a parsed customers document and returns the customers with defaults applied. */
export function parseCustomers(raw: unknown, file = "customers file"): Customer[] {
  const top = fileSchema.safeParse(raw);
  if (!top.success) throw new CustomersFileError(file, top.error.issues.map((i) => describeIssue(i, raw, "")));
  const defaults = top.data.defaults ?? {};
  const problems: string[] = [];
  const customers: Customer[] = [];
  top.data.customers.forEach((entry, index) => {
    if (!isPlainObject(entry)) {
      problems.push(`customer #${index + 1} (customers[${index}]) = ${shortText(JSON.stringify(entry) ?? String(entry))}: a customer entry (id, name, fortiflex, azure, ...)`);
      return;
    }
    const merged = deepMerge(defaults, entry);
    const id = isPlainObject(merged) ? merged.id : undefined;
    const label = `customer ${typeof id === "string" ? `"${shortText(id)}"` : `#${index + 1}`} (customers[${index}])`;
    const result = customerSchema.safeParse(merged);
    if (!result.success) problems.push(...result.error.issues.map((i) => `${label}: ${describeIssue(i, merged, "")}`));
    else customers.push(result.data);
  });
  const seen = (what: string, keyOf: (c: Customer) => string | undefined) => {
    const first = new Map<string, string>();
    for (const c of customers) {
      const key = keyOf(c);
      if (key === undefined) continue;
      const other = first.get(key.toLowerCase());
      if (other) problems.push(`customer "${c.id}": ${what} ${JSON.stringify(key)} is already used by customer "${other}"; each customer needs its own`);
      else first.set(key.toLowerCase(), c.id);
    }
  };
  seen("id", (c) => c.id);
  seen("Azure resource group", (c) => `${c.azure.subscriptionId}/${resourceGroupOf(c)}`);
  seen("state key", (c) => (c.backend ? `${c.backend.azurerm.storageAccountName}/${c.backend.azurerm.containerName}/${stateKeyOf(c)}` : undefined));
  if (problems.length) throw new CustomersFileError(file, problems);
  return customers;
}

export function resourceGroupOf(c: Customer): string {
  return c.azure.resourceGroup ?? `${c.id}-fortigate-rg`;
}

export function stateKeyOf(c: Customer): string {
  return c.backend?.azurerm.key ?? `${c.id}.tfstate`;
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown, prefix: string): string {
  const field = [prefix, ...issue.path.map((p) => shortText(String(p)))].filter(Boolean).join(".") || "(top level)";
  // A record key that fails its own schema: say why, not just "invalid key".
  if (issue.code === "invalid_key") return `${field}: invalid name: ${issue.issues.map((i) => i.message).join("; ")}`;
  if (issue.code === "unrecognized_keys") {
    return `${field === "(top level)" ? "" : `${field}: `}unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (check the spelling; see stacks/customers.yaml)`;
  }
  const value = valueAt(root, issue.path);
  const shown = value === undefined ? "(missing)" : shortText(JSON.stringify(value) ?? String(value));
  return `${field} = ${shown}: ${issue.message}`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

/** Merges into objects without a prototype, so no key can reach one (the loader refuses such keys too). */
function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out = Object.assign(Object.create(null) as Record<string, unknown>, base);
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
