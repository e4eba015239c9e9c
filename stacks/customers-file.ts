import * as fs from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { FortiGateArchitecture, FortiOsVersion } from "../constructs/fortigate-image";
import { FortiGateServicePackage } from "../constructs/fortiflex-product";

/**
 * The customers file (YAML): one entry per customer, plus optional defaults merged under every entry.
 * Validated as a whole before any stack is built; every error names the customer, the field, the value
 * and what is allowed.
 */

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "an IPv4 CIDR like 10.0.0.0/24");
const enumOf = <T extends Record<string, string>>(e: T) => z.enum(Object.values(e) as [string, ...string[]]);

const backendSchema = z
  .object({
    azurerm: z
      .object({
        resourceGroupName: z.string().min(1),
        storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, "3-24 lower-case letters or digits"),
        containerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, "3-63 lower-case letters, digits or single hyphens"),
        /** @default "<customer id>.tfstate" */
        key: z.string().min(1).optional(),
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
        accountId: z.number().int().positive("a positive FortiCloud member account id"),
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
        vnetCidr: cidr,
        externalSubnetCidr: cidr,
        internalSubnetCidr: cidr,
        protectedSubnetCidr: cidr,
      })
      .strict(),
    adminCidrs: z.array(cidr).min(1, "at least one management CIDR").max(10),
    tags: z.record(z.string(), z.string()).optional(),
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

export function loadCustomersFile(file: string): Customer[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CustomersFileError(file, [`cannot read the file (${(e as NodeJS.ErrnoException).code}); set FORTIFLEX_CUSTOMERS_FILE or create it`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new CustomersFileError(file, [`not valid YAML: ${(e as Error).message.split("\n")[0]}`]);
  }
  return parseCustomers(raw, file);
}

/** Validates a parsed customers document and returns the customers with defaults applied. */
export function parseCustomers(raw: unknown, file = "customers file"): Customer[] {
  const top = fileSchema.safeParse(raw);
  if (!top.success) throw new CustomersFileError(file, top.error.issues.map((i) => describeIssue(i, raw, "")));
  const defaults = top.data.defaults ?? {};
  const problems: string[] = [];
  const customers: Customer[] = [];
  top.data.customers.forEach((entry, index) => {
    const merged = deepMerge(defaults, entry);
    const label = `customer ${typeof (merged as { id?: unknown }).id === "string" ? `"${(merged as { id: string }).id}"` : `#${index + 1}`} (customers[${index}])`;
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
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(top level)";
  if (issue.code === "unrecognized_keys") {
    return `${field === "(top level)" ? "" : `${field}: `}unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (check the spelling; see stacks/customers.yaml)`;
  }
  const value = valueAt(root, issue.path);
  const shown = value === undefined ? "(missing)" : JSON.stringify(value);
  return `${field} = ${shown}: ${issue.message}`;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
