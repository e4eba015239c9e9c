import * as fs from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from "yaml";
import { z } from "zod";
import { AZURE_TAG_LIMITS, AZURE_TAG_NAME_PATTERN } from "../constructs/private/azure-tags";
import { AZURE_SUBNET_ID } from "../constructs/private/fortigate-network";
import { endpointProblem, nonFortinetHostProblem, withTrailingSlash } from "../contract/endpoints";
import { PROGRAM_SERIAL_PATTERN } from "../contract/object-key";
import { FORTIMANAGER_ADDRESS, FORTIMANAGER_SERIAL } from "../constructs/private/validate-fortigate-options";
import { FortiGateArchitecture, FortiGateMarketplaceOffer, FortiOsVersion } from "../constructs/fortigate-image";
import { FGT_VM_BUNDLE_ID, parameterOf, parameterValueProblem } from "../contract/product-catalog";
import { didYouMean } from "../contract/closest-name";
import { isPlainObject, mergeDefaults } from "./defaults-merge";
import { issueInUserTerms } from "./issue-in-user-terms";
import { fieldNamesOf, schemaAt } from "./schema-fields";
import { shortText } from "./short-text";
import { WrittenFields } from "./written-fields";
import { YamlLocator } from "./yaml-locator";

/**
 * The customers file (YAML): one entry per customer, plus optional defaults merged under every entry.
 * Validated as a whole before any stack is built; every error names its line, the customer, the field, the
 * value and what is allowed.
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
        resourceGroupName: z
          .string()
          .regex(/^[-\w.()]{1,89}[-\w()]$/, "an Azure resource group name")
          .describe("the resource group of the state's storage account"),
        storageAccountName: z
          .string()
          .regex(/^[a-z0-9]{3,24}$/, "3-24 lower-case letters or digits")
          .describe("the storage account that holds the state"),
        containerName: z
          .string()
          .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, "3-63 lower-case letters, digits or single hyphens")
          .describe("the blob container of the state"),
        key: z
          .string()
          .regex(
            /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
            'a blob name of letters, digits, . _ - in "/"-separated parts, none of them "." or ".."',
          )
          .max(256)
          .describe('the state\'s blob name; default "<customer id>.tfstate"')
          .optional(),
        useAzureadAuth: z.boolean().describe("Entra ID (OIDC in CI) instead of storage keys; default true").optional(),
      })
      .strict()
      .describe("Azure Storage for the customer's Terraform state"),
  })
  .strict()
  .describe("where the customer's Terraform state is kept; default local state beside the project");

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
      )
      .describe("the subnet's Azure resource id"),
    cidr: cidr.describe("the subnet's address range"),
  })
  .strict();
const zone = z.enum(["1", "2", "3"]);

/** A customer's FortiFlex endpoints (the constructs' `endpoints`, checked the same way). */
const endpointsSchema = z
  .object({
    apiUrl: z.string().describe("the FortiFlex API URL, ending in /ES/api/fortiflex/v2/"),
    authUrl: z.string().describe("the FortiCloud token URL, ending in /api/v1/oauth/token/"),
    allowNonFortinetHost: z
      .boolean()
      .describe("allow a host other than Fortinet's documented ones or loopback: the FortiFlex credentials are sent there; default false")
      .optional(),
    allowEndpointChange: z
      .boolean()
      .describe("move a stack applied with other endpoints to these (stops everything at the old ones); default false")
      .optional(),
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

/**
 * A FortiGate VM bundle value, checked by the catalog (its ranges, codes and retired codes, in its words). The
 * catalog's codes and plain ranges also go into the JSON Schema, for editors to offer and check.
 */
function bundleValue<T extends z.ZodType<string | number>>(key: string, base: T) {
  const spec = parameterOf(FGT_VM_BUNDLE_ID, key);
  const range = spec.min !== undefined && spec.max !== undefined && !spec.zeroAllowed ? { minimum: spec.min, maximum: spec.max } : {};
  return base
    .superRefine((value, ctx) => {
      const problem = parameterValueProblem(FGT_VM_BUNDLE_ID, key, String(value));
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .meta(spec.values ? { enum: [...new Set([...Object.values(spec.values), ...placeholder(key)])] } : range);
}

/** "NONE", where the catalog takes it for "no code" (it is no code of its list). */
const placeholder = (key: string) => (parameterValueProblem(FGT_VM_BUNDLE_ID, key, "NONE") === undefined ? ["NONE"] : []);

const fortigateSchema = z
  .object({
    deployment: z
      .enum(["single", "active-passive"])
      .describe("one FortiGate, or Fortinet's active-passive pair behind Azure load balancers; default single")
      .optional(),
    cpu: bundleValue("cpu", z.number().int())
      .describe("vCPUs of each FortiGate (FortiFlex's CPU count); without vmSize it picks Standard_D<cpu>s_v5 (ARM64: Standard_D<cpu>ps_v6)")
      .optional(),
    vmSize: z
      .string()
      .regex(/^Standard_\w+$/, 'an Azure VM size such as "Standard_D4s_v5"')
      .describe("the Azure VM size of each FortiGate; its vCPUs must be cpu's")
      .optional(),
    servicePackage: bundleValue("servicePackage", z.string()).describe("the FortiFlex service package: FC, UTP, ENT or ATP"),
    vdoms: bundleValue("vdoms", z.number().int()).describe("additional VDOMs").optional(),
    fortiGuardServices: z.array(bundleValue("fortiGuardServices", z.string())).max(10).describe("FortiGuard add-on codes, e.g. FGTAVDB").optional(),
    cloudServices: z.array(bundleValue("cloudServices", z.string())).max(10).describe("cloud service codes, e.g. FGTFAZC").optional(),
    supportService: bundleValue("supportService", z.string()).describe("FGTFCELU for the FortiCare Elite upgrade; default NONE").optional(),
    fortiOsVersion: enumOf(FortiOsVersion).describe("the image's FortiOS major.minor version, in quotes").optional(),
    architecture: enumOf(FortiGateArchitecture).describe("the image's architecture; default x64-gen2").optional(),
    marketplaceOffer: enumOf(FortiGateMarketplaceOffer).describe("the Azure Marketplace offer; the legacy one needs imageVersion").optional(),
    imageVersion: z
      .string()
      .regex(/^(latest|\d+\.\d+\.\d+)$/, '"latest" or a FortiOS version such as "7.6.6"')
      .describe('a pinned image, e.g. "7.6.6" (its major.minor is fortiOsVersion\'s); default latest of fortiOsVersion')
      .optional(),
    availabilityZone: zone.describe("a single FortiGate's availability zone").optional(),
    availabilityZones: z
      .array(zone)
      .length(2, "two zones: unit A's, then unit B's")
      .refine((z) => z[0] !== z[1], "two different zones")
      .describe("an active-passive pair's zones, unit A's then unit B's; default an availability set")
      .optional(),
    tokenGeneration: z.number().int().min(0).describe("bump to regenerate the license token(s) and rebuild the VM(s) with them; default 0").optional(),
    hostname: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,34}$/, "1-35 letters, digits, _ or - (FortiOS' limit; a pair's units add -a and -b)")
      .describe("the FortiGate's hostname; default derived from the customer id")
      .optional(),
    adminUsername: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, "1-64 letters, digits, _ . -")
      .describe("the admin user's name; default fortiadmin")
      .optional(),
    logDiskSizeGb: z.number().int().min(0).max(32767).describe("the log disk's size in GB, 0 for none; default 30").optional(),
    publicPorts: z
      .array(
        z
          .object({
            protocol: z.enum(["Tcp", "Udp"]).describe("Tcp or Udp"),
            port: z.number().int().min(1).max(65535).describe("the port number"),
            floatingIp: z.boolean().describe("an active-passive pair's load balancer rule with floating IP").optional(),
          })
          .strict(),
      )
      .max(50)
      .describe("ports open from anywhere (NSG; a pair's load balancer rules)")
      .optional(),
    additionalConfig: fortiOsCli.describe("FortiOS CLI for the bootstrap configuration").optional(),
    postLicenseConfig: fortiOsCli.describe("FortiOS CLI applied after the license").optional(),
    fortiManager: z
      .object({
        address: z
          .string()
          .regex(FORTIMANAGER_ADDRESS, 'an IPv4 address or a fully qualified host name such as "fmg.example.net"')
          .describe("the FortiManager's address"),
        serialNumber: z
          .string()
          .regex(FORTIMANAGER_SERIAL, 'a FortiManager serial number such as "FMG-VM0000000001"')
          .describe("the FortiManager's serial number")
          .optional(),
      })
      .strict()
      .describe("the FortiManager that manages the FortiGate")
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
    vnetCidr: cidr
      .refine((c) => prefixOf(c) >= 8 && prefixOf(c) <= 28, "a virtual network from /8 to /28, e.g. 10.10.0.0/22")
      .describe("the new virtual network's address range"),
    externalSubnetCidr: cidr.describe("port1, the public side"),
    internalSubnetCidr: cidr.describe("port2, the private side"),
    haSyncSubnetCidr: cidr.describe("an active-passive pair's port3: heartbeat and session sync").optional(),
    haManagementSubnetCidr: cidr.describe("an active-passive pair's port4: each unit's management").optional(),
    protectedSubnetCidr: cidr.describe("the subnet behind the FortiGate, routed through it"),
  })
  .strict();

const subscriptionId = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "a subscription id (GUID)");
const customerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/, "2-32 lower-case letters, digits or hyphens (names the stack, the state key and the Azure resources)");

const existingNetworkSchema = z
  .object({
    vnetCidr: cidr.describe("the existing virtual network's address range"),
    external: existingSubnet.describe("the subnet of port1, the public side"),
    internal: existingSubnet.describe("the subnet of port2, the private side"),
    haSync: existingSubnet.describe("an active-passive pair's subnet of port3").optional(),
    haManagement: existingSubnet.describe("an active-passive pair's subnet of port4").optional(),
    subscriptionId: subscriptionId.describe("the subscription all the subnets are in, when it is not azure.subscriptionId").optional(),
    sharedWith: z
      .array(customerId)
      .min(1, "at least one customer id (or leave sharedWith out)")
      .max(20)
      .describe("other customers whose resource groups hold these subnets: consent to use their network, one id each")
      .optional(),
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

export const customerSchema = z
  .object({
    id: customerId.describe("the customer's id: names the stack, the state key and the Azure resources"),
    name: z.string().min(1).max(100).describe("the customer's name, for people"),
    fortiflex: z
      .object({
        programSerialNumber: z
          .string()
          .regex(PROGRAM_SERIAL_PATTERN, 'a FortiFlex program serial number, e.g. "ELAVMS0000000518"')
          .describe("the FortiFlex program's serial number"),
        accountId: z
          .number()
          .int()
          .positive("a positive FortiCloud member account id")
          .max(Number.MAX_SAFE_INTEGER)
          .describe("the customer's FortiCloud member account id"),
        endpoints: endpointsSchema.describe("where the customer's FortiFlex is; default Fortinet's service").optional(),
      })
      .strict()
      .describe("the customer's FortiFlex program and account"),
    azure: z
      .object({
        subscriptionId: subscriptionId.describe("the customer's Azure subscription id"),
        tenantId: z
          .string()
          .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "an Entra tenant id (GUID)")
          .describe("the Entra tenant the subscription is in, when it is another than the identities' own (a customer's tenant): the stack signs in there only")
          .optional(),
        location: z
          .string()
          .regex(/^[a-z][a-z0-9]+$/, 'an Azure region name such as "westeurope"')
          .describe("the Azure region"),
        resourceGroup: z
          .string()
          .regex(/^[-\w.()]{1,89}[-\w()]$/, "an Azure resource group name")
          .describe('the resource group the stack creates; default "<customer id>-fortigate-rg"')
          .optional(),
      })
      .strict()
      .describe("the customer's Azure subscription and region"),
    fortigate: fortigateSchema.describe("the customer's FortiGate or active-passive pair"),
    network: networkSchema.describe("a new virtual network (Fortinet's reference layout); give this or existingNetwork").optional(),
    existingNetwork: existingNetworkSchema.describe("subnets that already exist; give this or network").optional(),
    adminCidrs: z
      .array(cidr.refine((c) => prefixOf(c) > 0, "a management network, not the whole internet (HTTPS and SSH admin would be open to everyone)"))
      .min(1, "at least one management CIDR")
      .max(10)
      .describe("the networks the FortiGate is managed from (HTTPS and SSH admin)"),
    tags: tagsSchema.describe("Azure tags on every resource of the customer").optional(),
    backend: backendSchema.optional(),
    decommission: z
      .boolean()
      .describe(
        "retire the customer: the next apply destroys its Azure resources and stops every FortiFlex object of its namespace; " +
          "afterwards the entry can be removed; default false",
      )
      .optional(),
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

export const fileSchema = z
  .object({
    defaults: z.record(z.string(), z.unknown()).describe("fields merged under every customer (a customer's own values win)").optional(),
    customers: z.array(z.unknown()).min(1, "at least one customer").describe("one entry per customer"),
  })
  .strict();

/**
 * One customer of a customers file, validated and with `defaults` merged in: what `loadCustomersFile` returns and
 * `CustomerStack` builds. Its fields are the file's (the customers-file guide, and the package's
 * lib/customers.schema.json with every field's description).
 */
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
export const PER_ENTRY_ONLY: readonly [string, string][] = [
  ["decommission", "retire customers one by one (decommission: true on each entry)"],
  ["existingNetwork.subscriptionId", "a subscription other than the customer's own is named on each entry that uses one"],
  ["existingNetwork.sharedWith", "consent to use another customer's network is given on each entry that uses it"],
];
/** Keys that would reach an object's prototype when merged into plain objects. */
const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * Reads and validates a customers file (YAML) as a whole and returns its customers with `defaults` merged in;
 * throws a `CustomersFileError` listing every problem, each with its line.
 */
export function loadCustomersFile(file: string): Customer[] {
  return readCustomersFile(file).customers;
}

/** A valid customers file: its customers, and each one's entry as written (to name its fields in problems). */
export interface CustomersFileContents {
  readonly customers: Customer[];
  readonly entryOf: (customer: Customer) => WrittenFields;
}

export function readCustomersFile(file: string): CustomersFileContents {
  const text = readRegularFile(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lines });
  const source = new YamlLocator(file, doc, lines);
  if (doc.errors.length)
    throw new CustomersFileError(
      file,
      // The position leads, as in every other problem, instead of yaml's "at line N, column M".
      doc.errors
        .slice(0, 5)
        .map((e) => `${source.position(e.pos[0])}: not valid YAML: ${shortText(e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""), 200)}`),
    );
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== "1.2") {
    throw new CustomersFileError(file, [`%YAML ${doc.directives.yaml.version}: only YAML 1.2 is read (1.1 turns yes/no into booleans and enables merge keys)`]);
  }
  const problems = structuralProblems(doc.contents, source);
  if (problems.length) throw new CustomersFileError(file, problems);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new CustomersFileError(file, [`not valid YAML: ${(e as Error).message.split("\n")[0]}`]);
  }
  return validateCustomers(raw, file, source);
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
function structuralProblems(root: unknown, source: YamlLocator): string[] {
  const problems: string[] = [];
  visit(root as Node, {
    Node(_key, node, path) {
      if (node.tag) problems.push(`${source.ofNode(node)}: ${pathOf(path)}: the YAML tag ${shortText(node.tag)} is not allowed (plain values only)`);
    },
    Pair(_key, pair, path) {
      const where = `${source.ofNode(pair)}: ${pathOf([...path, pair])}`;
      if (!isScalar(pair.key)) return void problems.push(`${where}: keys must be plain text`);
      const key = String(pair.key.value);
      if (FORBIDDEN_KEYS.includes(key)) problems.push(`${where}: the key "${key}" is not allowed`);
    },
    Scalar(_key, node, path) {
      const field = pathOf(path);
      const where = `${source.ofNode(node)}: ${field}`;
      if (node.tag) problems.push(`${where}: the YAML tag ${shortText(node.tag)} is not allowed (plain values only)`);
      if (typeof node.value === "number" && (!/^-?\d+(\.\d+)?$/.test(node.source ?? "") || Math.abs(node.value) > Number.MAX_SAFE_INTEGER)) {
        problems.push(`${where} = ${shortText(node.source ?? String(node.value))}: write numbers in decimal digits, at most ${Number.MAX_SAFE_INTEGER}`);
      }
      if (typeof node.value !== "string") return;
      const cli = CLI_FIELDS.includes(field.split(".").at(-1) ?? "");
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

/** Validates a parsed customers document and returns the customers with defaults applied. */
export function parseCustomers(raw: unknown, file = "customers file"): Customer[] {
  return validateCustomers(raw, file).customers;
}

function validateCustomers(raw: unknown, file: string, source?: YamlLocator): CustomersFileContents {
  const top = fileSchema.safeParse(raw, { error: issueInUserTerms });
  const topFields = new WrittenFields("", { at: [], defaults: undefined, entry: raw, merged: raw }, source);
  if (!top.success)
    throw new CustomersFileError(
      file,
      top.error.issues.flatMap((i) => describeIssue(i, fileSchema, topFields)),
    );
  const defaults = top.data.defaults ?? {};
  const perEntry = PER_ENTRY_ONLY.filter(([field]) => topFields.says(["defaults", ...field.split(".")]));
  if (perEntry.length)
    throw new CustomersFileError(
      file,
      perEntry.map(([field, why]) => `${topFields.where(["defaults", ...field.split(".")], { key: true })}defaults.${field}: not allowed in defaults; ${why}`),
    );
  const problems: string[] = [];
  const customers: Customer[] = [];
  const entries = new Map<Customer, WrittenFields>();
  const entryIds: string[] = [];
  top.data.customers.forEach((entry, index) => {
    if (!isPlainObject(entry)) {
      const value = shortText(JSON.stringify(entry) ?? String(entry));
      problems.push(
        `${topFields.where(["customers", index])}customer #${index + 1} (customers[${index}]) = ${value}: a customer entry (id, name, fortiflex, azure, ...)`,
      );
      return;
    }
    const merged = mergeDefaults(defaults, entry);
    const id = isPlainObject(merged) ? merged.id : undefined;
    if (typeof id === "string") entryIds.push(id);
    const label = `customer ${typeof id === "string" ? `"${shortText(id)}"` : `#${index + 1}`} (customers[${index}])`;
    const fields = new WrittenFields(label, { at: ["customers", index], defaults, entry, merged }, source);
    const result = customerSchema.safeParse(merged, { error: issueInUserTerms });
    if (!result.success) problems.push(...result.error.issues.flatMap((i) => describeIssue(i, customerSchema, fields)));
    else {
      customers.push(result.data);
      entries.set(result.data, fields);
    }
  });
  const entryOf = (c: Customer) => entries.get(c)!;
  const seen = (what: string, field: readonly string[], keyOf: (c: Customer) => string | undefined) => {
    const first = new Map<string, Customer>();
    for (const c of customers) {
      const key = keyOf(c);
      if (key === undefined) continue;
      const other = first.get(key.toLowerCase());
      // Where the first one is: with two entries of one id, the label alone cannot tell them apart.
      const otherAt = other && entryOf(other).where(field).replace(/: $/, "");
      if (other)
        problems.push(
          `${entryOf(c).where(field)}customer "${c.id}": ${what} ${JSON.stringify(key)} is already used by customer "${other.id}"` +
            `${otherAt ? ` (${otherAt})` : ""}; each customer needs its own`,
        );
      else first.set(key.toLowerCase(), c);
    }
  };
  seen("id", ["id"], (c) => c.id);
  seen("Azure resource group", ["azure", "resourceGroup"], (c) => `${c.azure.subscriptionId}/${resourceGroupOf(c)}`);
  seen("state key", ["backend", "azurerm", "key"], (c) =>
    c.backend ? `${c.backend.azurerm.storageAccountName}/${c.backend.azurerm.containerName}/${stateKeyOf(c)}` : undefined,
  );
  problems.push(...otherCustomersNetworks(customers, entryIds, entryOf));
  if (problems.length) throw new CustomersFileError(file, problems);
  return { customers, entryOf };
}

/**
 * Existing subnets in another customer's resource group, unless existingNetwork.sharedWith names that
 * customer; and sharedWith entries that name no other customer or that no subnet uses (a consent left
 * standing would let a later change of a subnet id go through unremarked). `entryIds` holds the ids of
 * invalid entries too: their own errors are listed, and naming them is no error.
 */
function otherCustomersNetworks(customers: readonly Customer[], entryIds: readonly string[], entryOf: (c: Customer) => WrittenFields): string[] {
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
          `${entryOf(c).where(["existingNetwork", field, "id"])}customer "${c.id}": ` +
            `existingNetwork.${field}.id = ${shortText(JSON.stringify(id))}: in ${where};` +
            ` allowed: a resource group of no other customer, or add "${owner.id}" to existingNetwork.sharedWith` +
            ` if ${c.id}'s FortiGate belongs in ${owner.id}'s network`,
        );
      }
    }
    consent.forEach((other, i) => {
      const where = `${entryOf(c).where(["existingNetwork", "sharedWith", i])}customer "${c.id}": existingNetwork.sharedWith[${i}] = ${JSON.stringify(other)}`;
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

/** A zod issue as problems in the file's terms: unknown fields one by one, with the closest known name. */
function describeIssue(issue: z.core.$ZodIssue, schema: z.core.$ZodType, fields: WrittenFields): string[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === "invalid_key")
    return [fields.problem(path, `a name that is not allowed: ${issue.issues.map((i) => i.message).join("; ")}`, { showValue: false })];
  if (issue.code === "unrecognized_keys") {
    const known = fieldNamesOf(schemaAt(schema, path)) ?? [];
    const unknown = issue.keys.slice(0, 3).map((key) => {
      const hint = didYouMean(key, known) || ` (allowed here: ${shortText(known.join(", "), 160)})`;
      return fields.problem(path, `unknown field "${shortText(key, 40)}"${hint}`, { showValue: false, locate: [...path, key] });
    });
    const more = issue.keys.length - unknown.length;
    return more > 0 ? [...unknown, fields.problem(path, `and ${more} more unknown fields`, { showValue: false })] : unknown;
  }
  const required = issue.code === "invalid_type" && fields.valueAt(path) === undefined;
  return [fields.problem(path, issue.message, { showValue: !required })];
}
