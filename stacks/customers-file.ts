import * as fs from "node:fs";
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from "yaml";
import { z } from "zod";
import { AZURE_TAG_LIMITS, AZURE_TAG_NAME_PATTERN } from "../constructs/private/azure-tags";
import { AZURE_SUBNET_ID } from "../constructs/private/fortigate-network";
import { endpointProblem, nonFortinetHostProblem, withTrailingSlash } from "../contract/endpoints";
import { PROGRAM_SERIAL_PATTERN } from "../contract/object-key";
import { FORTIMANAGER_ADDRESS, FORTIMANAGER_SERIAL } from "../constructs/private/validate-fortigate-options";
import { FortiGateArchitecture, FortiGateMarketplaceOffer, FortiOsVersion } from "../constructs/fortigate-image";
import { FGT_VM_BUNDLE_ID, parameterValueProblem } from "../contract/product-catalog";

/**
 * The customers file (YAML): one entry per customer, plus optional defaults merged under every entry.
 * Validated as a whole before any stack is built; every error names the customer, the field, the value
 * and what is allowed.
 */

const cidr = z
  .string()
  .regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(\d|[12]\d|3[0-2])$/, "an IPv4 CIDR like 10.0.0.0/24");
const prefixOf = (c: string) => Number(c.split("/")[1]);
/** The stack adds two tags of its own (customer, managed-by). */
const MAX_CUSTOMER_TAGS = AZURE_TAG_LIMITS.perResource - 2;
const tagsSchema = z
  .record(
    z
      .string()
      .min(1, "a tag name")
      .max(AZURE_TAG_LIMITS.nameLength, `at most ${AZURE_TAG_LIMITS.nameLength} characters`)
      .regex(AZURE_TAG_NAME_PATTERN, "a tag name without < > % & \\ ? / (Azure refuses them)"),
    z.string().max(AZURE_TAG_LIMITS.valueLength, `at most ${AZURE_TAG_LIMITS.valueLength} characters (Azure's limit for tag values)`),
  )
  .refine(
    (t) => Object.keys(t).length <= MAX_CUSTOMER_TAGS,
    `at most ${MAX_CUSTOMER_TAGS} tags (Azure allows ${AZURE_TAG_LIMITS.perResource} per resource; the stack adds 2)`,
  );
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
          .regex(
            /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
            'a blob name of letters, digits, . _ - in "/"-separated parts, none of them "." or ".."',
          )
          .max(256)
          .optional(),
        /** @default true: Entra ID (OIDC in CI) instead of storage keys */
        useAzureadAuth: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

const MAX_CLI = 16 * 1024;
/** FortiOS CLI in the customers file: multi-line printable ASCII (the MIME part is 7-bit). */
const fortiOsCli = z
  .string()
  .max(MAX_CLI, `at most ${MAX_CLI} characters (custom data is at most 64 KiB)`)
  .regex(/^[\x09\x0a\x20-\x7e]*$/, "printable ASCII FortiOS CLI, lines separated by line feeds");
const existingSubnet = z
  .object({
    id: z
      .string()
      .regex(
        AZURE_SUBNET_ID,
        "an Azure subnet resource id (/subscriptions/<GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)",
      ),
    cidr,
  })
  .strict();
const zone = z.enum(["1", "2", "3"]);

/** A customer's FortiFlex endpoints (the constructs' `endpoints`, checked the same way). */
const endpointsSchema = z
  .object({
    apiUrl: z.string(),
    authUrl: z.string(),
    /** A host other than Fortinet's documented ones or loopback: the FortiFlex credentials are sent there. @default false */
    allowNonFortinetHost: z.boolean().optional(),
    /** Move a stack applied with other endpoints to these (stops everything at the old ones). @default false */
    allowEndpointChange: z.boolean().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    for (const [which, field] of [
      ["api", "apiUrl"],
      ["auth", "authUrl"],
    ] as const) {
      const host = e.allowNonFortinetHost ? undefined : nonFortinetHostProblem(which, e[field]);
      const problem =
        endpointProblem(which, withTrailingSlash(e[field])) ??
        (host && `${host}; the FortiFlex credentials go to another host only with allowNonFortinetHost: true`);
      if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
    }
  });

/** A FortiGate VM bundle value, checked by the catalog (its ranges, codes and retired codes, in its words). */
function bundleValue<T extends z.ZodType<string | number>>(key: string, base: T) {
  return base.superRefine((value, ctx) => {
    const problem = parameterValueProblem(FGT_VM_BUNDLE_ID, key, String(value));
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

const fortigateSchema = z
  .object({
    /** One FortiGate, or Fortinet's active-passive pair behind Azure load balancers. @default single */
    deployment: z.enum(["single", "active-passive"]).optional(),
    cpu: bundleValue("cpu", z.number().int()).optional(),
    vmSize: z
      .string()
      .regex(/^Standard_\w+$/, 'an Azure VM size such as "Standard_D4s_v5"')
      .optional(),
    servicePackage: bundleValue("servicePackage", z.string()),
    vdoms: bundleValue("vdoms", z.number().int()).optional(),
    fortiGuardServices: z.array(bundleValue("fortiGuardServices", z.string())).max(10).optional(),
    cloudServices: z.array(bundleValue("cloudServices", z.string())).max(10).optional(),
    /** FortiCare Elite upgrade: FGTFCELU. @default NONE */
    supportService: bundleValue("supportService", z.string()).optional(),
    fortiOsVersion: enumOf(FortiOsVersion).optional(),
    architecture: enumOf(FortiGateArchitecture).optional(),
    marketplaceOffer: enumOf(FortiGateMarketplaceOffer).optional(),
    /** A pinned image, e.g. "7.6.6" (its major.minor must be fortiOsVersion's). @default latest of fortiOsVersion */
    imageVersion: z
      .string()
      .regex(/^(latest|\d+\.\d+\.\d+)$/, '"latest" or a FortiOS version such as "7.6.6"')
      .optional(),
    /** Single FortiGate only. */
    availabilityZone: zone.optional(),
    /** Active-passive only: unit A's zone, then unit B's. @default an availability set */
    availabilityZones: z
      .array(zone)
      .length(2, "two zones: unit A's, then unit B's")
      .refine((z) => z[0] !== z[1], "two different zones")
      .optional(),
    tokenGeneration: z.number().int().min(0).optional(),
    hostname: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,34}$/, "1-35 letters, digits, _ or - (FortiOS' limit; a pair's units add -a and -b)")
      .optional(),
    adminUsername: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, "1-64 letters, digits, _ . -")
      .optional(),
    logDiskSizeGb: z.number().int().min(0).max(32767).optional(),
    publicPorts: z
      .array(z.object({ protocol: z.enum(["Tcp", "Udp"]), port: z.number().int().min(1).max(65535), floatingIp: z.boolean().optional() }).strict())
      .max(50)
      .optional(),
    additionalConfig: fortiOsCli.optional(),
    postLicenseConfig: fortiOsCli.optional(),
    fortiManager: z
      .object({
        address: z.string().regex(FORTIMANAGER_ADDRESS, 'an IPv4 address or a fully qualified host name such as "fmg.example.net"'),
        serialNumber: z.string().regex(FORTIMANAGER_SERIAL, 'a FortiManager serial number such as "FMG-VM0000000001"').optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((f) => f.cpu !== undefined || f.vmSize !== undefined, { message: "give cpu, vmSize or both", path: ["cpu"] })
  .refine((f) => f.deployment === "active-passive" || f.availabilityZones === undefined, {
    message: "availabilityZones is for deployment: active-passive; a single FortiGate takes availabilityZone",
    path: ["availabilityZones"],
  })
  .refine((f) => f.deployment !== "active-passive" || f.availabilityZone === undefined, {
    message: "an active-passive pair takes availabilityZones (two zones), not availabilityZone",
    path: ["availabilityZone"],
  });

const networkSchema = z
  .object({
    vnetCidr: cidr.refine((c) => prefixOf(c) >= 8 && prefixOf(c) <= 28, "a virtual network from /8 to /28, e.g. 10.10.0.0/22"),
    externalSubnetCidr: cidr,
    internalSubnetCidr: cidr,
    /** Active-passive only: port3, heartbeat and session sync. */
    haSyncSubnetCidr: cidr.optional(),
    /** Active-passive only: port4, each unit's management. */
    haManagementSubnetCidr: cidr.optional(),
    protectedSubnetCidr: cidr,
  })
  .strict();

const subscriptionId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a subscription id (GUID)");
const customerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/, "2-32 lower-case letters, digits or hyphens (names the stack, the state key and the Azure resources)");

const existingNetworkSchema = z
  .object({
    vnetCidr: cidr,
    external: existingSubnet,
    internal: existingSubnet,
    haSync: existingSubnet.optional(),
    haManagement: existingSubnet.optional(),
    /** The subscription all the subnets are in, when it is not the customer's own. @default azure.subscriptionId */
    subscriptionId: subscriptionId.optional(),
    /** Other customers whose resource groups hold these subnets: consent to use their network, one id each. */
    sharedWith: z.array(customerId).min(1, "at least one customer id (or leave sharedWith out)").max(20).optional(),
  })
  .strict();

/** The parts of a subnet id that say whose it is; undefined unless the id has AZURE_SUBNET_ID's form. */
function subnetOwner(id: string): { subscription: string; resourceGroup: string; vnet: string } | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)\/subnets\/[^/]+$/.exec(id);
  return m && AZURE_SUBNET_ID.test(id) ? { subscription: m[1], resourceGroup: m[2], vnet: m[3] } : undefined;
}
/** Azure compares subscription ids, resource groups and resource names without regard to case. */
const sameInAzure = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const EXISTING_SUBNETS = ["external", "internal", "haSync", "haManagement"] as const;

/**
 * The existing subnets stay in one virtual network (a VM's network interfaces share one) in the customer's own
 * subscription, or in the one existingNetwork.subscriptionId names: a subnet id is all it takes to place a
 * FortiGate in someone else's network.
 */
function checkExistingSubnets(
  c: { azure: { subscriptionId: string }; existingNetwork?: z.infer<typeof existingNetworkSchema> },
  ctx: z.core.$RefinementCtx,
): void {
  const net = c.existingNetwork;
  if (!net) return;
  const subscription = net.subscriptionId ?? c.azure.subscriptionId;
  const vnetOf = (o: { resourceGroup: string; vnet: string }) => `${shortText(o.vnet)} of resource group ${shortText(o.resourceGroup)}`;
  // Compared within the right subscription only: an external subnet elsewhere has its own error.
  const external = subnetOwner(net.external.id);
  const vnet = external && sameInAzure(external.subscription, subscription) ? external : undefined;
  for (const field of EXISTING_SUBNETS) {
    const owner = net[field] && subnetOwner(net[field].id);
    if (!owner) continue;
    const path = ["existingNetwork", field, "id"];
    if (!sameInAzure(owner.subscription, subscription)) {
      const allowed = net.subscriptionId
        ? `subscription ${subscription} (existingNetwork.subscriptionId), the one all of this customer's subnets are in`
        : `the customer's own subscription ${subscription} (azure.subscriptionId), or another one named in existingNetwork.subscriptionId`;
      ctx.addIssue({ code: "custom", path, message: `in subscription ${owner.subscription}; allowed: ${allowed}` });
    } else if (vnet && !(sameInAzure(owner.resourceGroup, vnet.resourceGroup) && sameInAzure(owner.vnet, vnet.vnet))) {
      ctx.addIssue({
        code: "custom",
        path,
        message:
          `in virtual network ${vnetOf(owner)}; allowed: the external subnet's, ${vnetOf(vnet)}` +
          " (a VM's network interfaces are all in one virtual network)",
      });
    }
  }
}

const customerSchema = z
  .object({
    id: customerId,
    name: z.string().min(1).max(100),
    fortiflex: z
      .object({
        programSerialNumber: z.string().regex(PROGRAM_SERIAL_PATTERN, 'a FortiFlex program serial number, e.g. "ELAVMS0000000518"'),
        accountId: z.number().int().positive("a positive FortiCloud member account id").max(Number.MAX_SAFE_INTEGER),
        /** @default - Fortinet's FortiFlex service */
        endpoints: endpointsSchema.optional(),
      })
      .strict(),
    azure: z
      .object({
        subscriptionId,
        location: z.string().regex(/^[a-z][a-z0-9]+$/, 'an Azure region name such as "westeurope"'),
        /** @default "<customer id>-fortigate-rg" */
        resourceGroup: z
          .string()
          .regex(/^[-\w.()]{1,89}[-\w()]$/, "an Azure resource group name")
          .optional(),
      })
      .strict(),
    fortigate: fortigateSchema,
    /** A new virtual network (Fortinet's reference layout); give this or existingNetwork. */
    network: networkSchema.optional(),
    /** Subnets that already exist; give this or network. */
    existingNetwork: existingNetworkSchema.optional(),
    adminCidrs: z.array(cidr).min(1, "at least one management CIDR").max(10),
    tags: tagsSchema.optional(),
    backend: backendSchema.optional(),
    /**
     * Retire the customer: the next apply destroys its Azure resources and stops every FortiFlex object of its
     * namespace; afterwards the entry can be removed. @default false
     */
    decommission: z.boolean().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const pair = c.fortigate.deployment === "active-passive";
    if ((c.network === undefined) === (c.existingNetwork === undefined)) {
      const both = c.network !== undefined;
      ctx.addIssue({
        code: "custom",
        path: ["network"],
        message: both ? "give network or existingNetwork, not both" : "give network (a new virtual network) or existingNetwork (subnets that exist)",
      });
      return;
    }
    const [where, fields] = c.network
      ? ["network", { haSyncSubnetCidr: c.network.haSyncSubnetCidr, haManagementSubnetCidr: c.network.haManagementSubnetCidr }]
      : ["existingNetwork", { haSync: c.existingNetwork?.haSync, haManagement: c.existingNetwork?.haManagement }];
    for (const [field, value] of Object.entries(fields)) {
      if (pair && value === undefined)
        ctx.addIssue({ code: "custom", path: [where, field], message: "an active-passive pair needs its HA sync and HA management subnets" });
      if (!pair && value !== undefined)
        ctx.addIssue({ code: "custom", path: [where, field], message: "only an active-passive pair (fortigate.deployment: active-passive) has HA subnets" });
    }
    checkExistingSubnets(c, ctx);
  });

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
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem(s); nothing was synthesized:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CustomersFileError";
  }
}

/** A customers file for a few thousand customers fits easily; anything larger is refused unread. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** No field needs more, except FortiOS CLI (additionalConfig, postLicenseConfig). */
const MAX_STRING = 1024;
/** Fields whose text is FortiOS CLI: longer, and lines are allowed. */
const CLI_FIELDS = ["additionalConfig", "postLicenseConfig"];
/** Fields that take effect only when an entry says them itself: in defaults they would apply to every customer unseen. */
const PER_ENTRY_ONLY: readonly [string, string][] = [
  ["decommission", "retire customers one by one (decommission: true on each entry)"],
  ["existingNetwork.subscriptionId", "a subscription other than the customer's own is named on each entry that uses one"],
  ["existingNetwork.sharedWith", "consent to use another customer's network is given on each entry that uses it"],
];
/** Keys that would reach an object's prototype when merged into plain objects. */
const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];

export function loadCustomersFile(file: string): Customer[] {
  const text = readRegularFile(file);
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length)
    throw new CustomersFileError(
      file,
      doc.errors.slice(0, 5).map((e) => `not valid YAML: ${shortText(e.message.split("\n")[0], 200)}`),
    );
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    throw new CustomersFileError(file, [`%YAML ${doc.directives.yaml.version}: only YAML 1.2 is read (1.1 turns yes/no into booleans and enables merge keys)`]);
  }
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
 * The file's text, read only if it is a regular file (not a symbolic link: a pull request could point it at
 * /proc/self/environ) and never more than MAX_FILE_BYTES of it (devices and /proc report size 0).
 */
function readRegularFile(file: string): string {
  let fd: number | undefined;
  try {
    const stat = fs.lstatSync(file);
    const special = /^\/(proc|sys|dev)\//.test(fs.realpathSync(file));
    if (!stat.isFile() || special) {
      const kind = stat.isSymbolicLink() ? "a symbolic link" : special ? "a kernel file" : "a device, directory or pipe";
      throw new CustomersFileError(file, [`not a regular file (${kind}); the customers file is read only from a plain file`]);
    }
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_FILE_BYTES) throw new CustomersFileError(file, [`more than ${MAX_FILE_BYTES} bytes; a customers file is at most that`]);
    if (length !== stat.size)
      throw new CustomersFileError(file, [`it changed while it was read (${stat.size} bytes listed, ${length} read); read it again from a plain file`]);
    return buffer.subarray(0, length).toString("utf8");
  } catch (e) {
    if (e instanceof CustomersFileError) throw e;
    throw new CustomersFileError(file, [`cannot read the file (${(e as NodeJS.ErrnoException).code}); set FORTIFLEX_CUSTOMERS_FILE or create it`]);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Control characters and bidirectional overrides: invisible in review, or read differently than shown. */
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/**
 * What no schema can see once the YAML is turned into objects: keys that reach a prototype, keys that are
 * not plain text, YAML tags, numbers not written in decimal (0x174AC8 and 1.52596e6 are both a valid account
 * id to YAML) or too large to be exact, oversized strings, hidden characters, and text that cdktf would take
 * for one of its own references (`${TfToken[...]}`: it would resolve to a library expression, a license token
 * for instance).
 */
function structuralProblems(root: unknown): string[] {
  const problems: string[] = [];
  visit(root as Node, {
    Node(_key, node, path) {
      if (node.tag) problems.push(`${pathOf(path)}: the YAML tag ${shortText(node.tag)} is not allowed (plain values only)`);
    },
    Pair(_key, pair, path) {
      const where = pathOf([...path, pair]);
      if (!isScalar(pair.key)) return void problems.push(`${where}: keys must be plain text`);
      const key = String(pair.key.value);
      if (FORBIDDEN_KEYS.includes(key)) problems.push(`${where}: the key "${key}" is not allowed`);
    },
    Scalar(_key, node, path) {
      const where = pathOf(path);
      if (node.tag) problems.push(`${where}: the YAML tag ${shortText(node.tag)} is not allowed (plain values only)`);
      if (typeof node.value === "number" && (!/^-?\d+(\.\d+)?$/.test(node.source ?? "") || Math.abs(node.value) > Number.MAX_SAFE_INTEGER)) {
        problems.push(`${where} = ${shortText(node.source ?? String(node.value))}: write numbers in decimal digits, at most ${Number.MAX_SAFE_INTEGER}`);
      }
      if (typeof node.value !== "string") return;
      const cli = CLI_FIELDS.includes(where.split(".").at(-1) ?? "");
      const hidden = cli ? node.value.replace(/[\n\t]/g, "") : node.value;
      if (node.value.length > (cli ? MAX_CLI : MAX_STRING))
        problems.push(`${where} = ${shortText(JSON.stringify(node.value))}: at most ${cli ? MAX_CLI : MAX_STRING} characters`);
      else if (HIDDEN_CHARACTERS.test(hidden))
        problems.push(`${where} = ${shortText(JSON.stringify(node.value))}: control characters and bidirectional overrides are not allowed`);
      else if (/TfToken\[/.test(node.value))
        problems.push(`${where} = ${shortText(JSON.stringify(node.value))}: text that looks like a cdktf reference ("TfToken[") is not allowed`);
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
    if (isPair(node) && isScalar(node.key)) out += `${out ? "." : ""}${shortText(String(node.key.value), 40)}`;
    if (isSeq(node) && child !== undefined) out += `[${node.items.indexOf(child as never)}]`;
    if (isMap(node) && child === undefined) break;
  }
  return out || "(top level)";
}

/** At most `max` characters of a value in an error: a huge field is never echoed back whole. */
function shortText(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}

/** Validates a parsed customers document and returns the customers with defaults applied. */
export function parseCustomers(raw: unknown, file = "customers file"): Customer[] {
  const top = fileSchema.safeParse(raw);
  if (!top.success)
    throw new CustomersFileError(
      file,
      top.error.issues.map((i) => describeIssue(i, raw, "")),
    );
  const defaults = top.data.defaults ?? {};
  const perEntry = PER_ENTRY_ONLY.filter(([field]) => valueAt(defaults, field.split(".")) !== undefined);
  if (perEntry.length)
    throw new CustomersFileError(
      file,
      perEntry.map(([field, why]) => `defaults.${field}: not allowed in defaults; ${why}`),
    );
  const problems: string[] = [];
  const customers: Customer[] = [];
  const entryIds: string[] = [];
  top.data.customers.forEach((entry, index) => {
    if (!isPlainObject(entry)) {
      const value = shortText(JSON.stringify(entry) ?? String(entry));
      problems.push(`customer #${index + 1} (customers[${index}]) = ${value}: a customer entry (id, name, fortiflex, azure, ...)`);
      return;
    }
    const merged = deepMerge(defaults, entry);
    const id = isPlainObject(merged) ? merged.id : undefined;
    if (typeof id === "string") entryIds.push(id);
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
  problems.push(...otherCustomersNetworks(customers, entryIds));
  if (problems.length) throw new CustomersFileError(file, problems);
  return customers;
}

/**
 * Existing subnets in another customer's resource group, unless existingNetwork.sharedWith names that
 * customer; and sharedWith entries that name no other customer or that no subnet uses (a consent left
 * standing would let a later change of a subnet id go through unremarked). `entryIds` holds the ids of
 * invalid entries too: their own errors are listed, and naming them is no error.
 */
function otherCustomersNetworks(customers: readonly Customer[], entryIds: readonly string[]): string[] {
  const problems: string[] = [];
  const groupOwner = new Map(customers.map((c) => [`${c.azure.subscriptionId}/${resourceGroupOf(c)}`.toLowerCase(), c]));
  const valid = new Set(customers.map((c) => c.id));
  for (const c of customers) {
    const net = c.existingNetwork;
    if (!net) continue;
    const consent = net.sharedWith ?? [];
    const used = new Set<string>();
    for (const field of EXISTING_SUBNETS) {
      const id = net[field]?.id;
      const at = id && subnetOwner(id);
      const owner = at && groupOwner.get(`${at.subscription}/${at.resourceGroup}`.toLowerCase());
      if (!owner || owner === c) continue;
      used.add(owner.id);
      if (!consent.includes(owner.id)) {
        const where = `customer "${owner.id}"'s resource group ${resourceGroupOf(owner)} (subscription ${owner.azure.subscriptionId})`;
        problems.push(
          `customer "${c.id}": existingNetwork.${field}.id = ${shortText(JSON.stringify(id))}: in ${where};` +
            ` allowed: a resource group of no other customer, or add "${owner.id}" to existingNetwork.sharedWith` +
            ` if ${c.id}'s FortiGate belongs in ${owner.id}'s network`,
        );
      }
    }
    consent.forEach((other, i) => {
      const where = `customer "${c.id}": existingNetwork.sharedWith[${i}] = ${JSON.stringify(other)}`;
      if (other === c.id) problems.push(`${where}: the customer's own id; list other customers whose resource groups hold these subnets`);
      else if (!entryIds.includes(other))
        problems.push(
          `${where}: not a customer of this file; allowed: ids of its other customers (${shortText(entryIds.filter((e) => e !== c.id).join(", "), 120)})`,
        );
      else if (valid.has(other) && !used.has(other)) problems.push(`${where}: no subnet of this entry is in customer "${other}"'s resource group; remove it`);
    });
  }
  return problems;
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
    const keys = issue.keys.slice(0, 3).map((k) => JSON.stringify(shortText(k, 40)));
    const prefix = field === "(top level)" ? "" : `${field}: `;
    const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : "";
    return `${prefix}unknown field(s) ${keys.join(", ")}${more} (check the spelling; see stacks/customers.yaml)`;
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
