import { TerraformStack, TerraformVariable, Token } from "cdktf";
import type { Construct } from "constructs";
import { validateAzureTags } from "./private/azure-tags";
import { parseVmSize, sizeArchitectureProblem, supportsAcceleratedNetworking, type AzureVmSize } from "./private/azure-vm-size";
import { FORTIOS_HOSTNAME_MAX, type CentralManagementConfig } from "./private/fortigate-custom-data";
import { FortiGateArchitecture, fortiGateByolImage, FortiGateMarketplaceOffer, FortiOsVersion, type MarketplaceImage } from "./fortigate-image";
import { Ipv4Cidr } from "./private/ipv4-cidr";
import { hasTokenMarker, terraformLiterals } from "./private/terraform-literal";
import { ValidationError } from "./validation-error";

/** A port the public side accepts from anywhere (FortiGate policy decides what happens next). */
export interface FortiGatePublicPort {
  /** "Tcp" or "Udp". */
  readonly protocol: string;
  /** 1-65535. */
  readonly port: number;
  /**
   * Pair only: keep the load balancer's public IP as the destination (floating IP), for FortiGate VIPs on that
   * address that survive a failover. Off, the active unit sees the traffic addressed to its port1. @default false
   */
  readonly floatingIp?: boolean;
}

/** Central management by FortiManager: the FortiGate registers itself and opens the FGFM tunnel (TCP 541). */
export interface FortiManagerProps {
  /** IP address or host name of the FortiManager. */
  readonly address: string;
  /** The FortiManager's serial number (e.g. "FMG-VM0000000001"); the FortiGate then trusts only that one. @default - any */
  readonly serialNumber?: string;
}

/**
 * Everything about a FortiGate on Azure that does not depend on the deployment pattern: shared by the
 * single VM and the active-passive pair, and by their FortiFlex-licensed forms, so no option is lost on the
 * way through.
 */
export interface FortiGateOptions {
  /** The Azure resource group (a name or a reference). */
  readonly resourceGroupName: string;
  /** Azure region, e.g. "westeurope". */
  readonly location: string;
  /** Prefix of Azure resource names. @default - the construct id, lower case */
  readonly namePrefix?: string;
  /** FortiOS hostname (at most 35 characters; a pair's units add "-a" and "-b"). @default - "<namePrefix>-fgt", shortened to fit */
  readonly hostname?: string;
  /** Admin HTTPS/SSH is allowed only from these CIDRs (NSG and FortiOS trusted hosts; at most 10). */
  readonly adminCidrs: string[];
  /** Allow admin HTTPS/SSH from anywhere; needed to use 0.0.0.0/0. @default false */
  readonly allowAdminFromAnywhere?: boolean;
  /** @default "Standard_D2s_v5" */
  readonly vmSize?: string;
  /** @default FortiOsVersion.V7_6 */
  readonly fortiOsVersion?: FortiOsVersion;
  /** @default FortiGateArchitecture.X64_GEN2 */
  readonly architecture?: FortiGateArchitecture;
  /** @default FortiGateMarketplaceOffer.CURRENT */
  readonly marketplaceOffer?: FortiGateMarketplaceOffer;
  /** Exact image version, e.g. "7.6.6"; the legacy offer needs one. @default "latest" (newest patch of fortiOsVersion) */
  readonly imageVersion?: string;
  /** Accept the Marketplace terms for this image in the subscription (once per subscription; fails if already accepted). @default false */
  readonly acceptMarketplaceTerms?: boolean;
  /** @default "fortiadmin" */
  readonly adminUsername?: string;
  /**
   * Admin password as a Terraform reference (never a literal: it would be in cdk.tf.json). Changing it
   * rebuilds the VM(s), each with a new license token.
   * @default - a sensitive variable `<namePrefix>_admin_password` (set TF_VAR_<name>)
   */
  readonly adminPassword?: string;
  /** @default - where the size supports it (2+ vCPUs, not A/B families) */
  readonly acceleratedNetworking?: boolean;
  /** Size of the log disk in GB; 0 for none. @default 30 */
  readonly logDiskSizeGb?: number;
  /** Ports open on the public side from anywhere. @default IPsec: UDP 500 and 4500 */
  readonly publicPorts?: FortiGatePublicPort[];
  /** FortiOS CLI appended to the bootstrap configuration. @default - none */
  readonly additionalConfig?: string;
  /** FortiOS CLI applied after the license. @default - none */
  readonly postLicenseConfig?: string;
  /**
   * Rebuild the VM(s) when the bootstrap configuration changes (a running FortiGate ignores new custom data).
   * Each rebuild boots with a new license token. @default false
   */
  readonly rebuildOnCustomDataChange?: boolean;
  /** Register with this FortiManager at first boot. @default - no central management */
  readonly fortiManager?: FortiManagerProps;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** FortiGate options checked and resolved: what the VM and network builders use. */
export interface FortiGateSettings {
  readonly prefix: string;
  readonly hostname: string;
  readonly image: MarketplaceImage;
  readonly architecture: FortiGateArchitecture;
  readonly size: AzureVmSize;
  readonly adminUsername: string;
  /** A Terraform reference. */
  readonly adminPassword: string;
  readonly adminCidrs: Ipv4Cidr[];
  readonly acceleratedNetworking: boolean;
  readonly logDiskSizeGb: number;
  readonly publicPorts: FortiGatePublicPort[];
  readonly additionalConfig?: string;
  readonly postLicenseConfig?: string;
  readonly rebuildOnCustomDataChange: boolean;
  readonly fortiManager?: CentralManagementConfig;
  readonly acceptMarketplaceTerms: boolean;
  /** Arguments every Azure resource of the FortiGate takes (tags as Terraform literals). */
  readonly common: { readonly resourceGroupName: string; readonly location: string; readonly tags: Record<string, string> };
}

/** Names Azure refuses as the admin user of a Linux VM. */
const RESERVED_USERNAMES = [
  "administrator",
  "admin",
  "user",
  "user1",
  "test",
  "user2",
  "test1",
  "user3",
  "admin1",
  "1",
  "123",
  "a",
  "actuser",
  "adm",
  "admin2",
  "aspnet",
  "backup",
  "console",
  "david",
  "guest",
  "john",
  "owner",
  "root",
  "server",
  "sql",
  "support",
  "support_388945a0",
  "sys",
  "test2",
  "test3",
  "user4",
  "user5",
];
const DEFAULT_PUBLIC_PORTS: FortiGatePublicPort[] = [
  { protocol: "Udp", port: 500 },
  { protocol: "Udp", port: 4500 },
];
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Checks every option and resolves the defaults; errors name the construct path, the field, the value and
 * what is allowed. `hostnameSuffix` is what a unit adds to the hostname ("-a" in a pair).
 */
export function resolveFortiGateOptions(
  scope: Construct,
  id: string,
  props: FortiGateOptions,
  pattern: { readonly hostnameSuffix: string; readonly adminOnPublicSide: boolean },
): FortiGateSettings {
  const hostnameSuffix = pattern.hostnameSuffix;
  const prefix = props.namePrefix ?? id.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  if (typeof prefix !== "string" || !/^[a-z0-9][a-z0-9-]{0,40}$/i.test(prefix))
    throw new ValidationError(scope, "namePrefix", prefix, "1-41 letters, digits or hyphens, starting with a letter or digit");
  if (!Token.isUnresolved(props.location) && !/^[a-z][a-z0-9]+$/.test(props.location ?? ""))
    throw new ValidationError(scope, "location", props.location, 'an Azure region name such as "westeurope"');
  // Azure's rule: 1-90 letters or digits (any script), - _ . ( ), not ending in a period.
  if (!Token.isUnresolved(props.resourceGroupName) && !/^[-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}]$/u.test(props.resourceGroupName ?? "")) {
    throw new ValidationError(scope, "resourceGroupName", props.resourceGroupName, "1-90 letters, digits, - _ . ( ), not ending in a period");
  }
  const hostname = resolveHostname(scope, props.hostname, prefix, hostnameSuffix);

  const architecture = props.architecture ?? FortiGateArchitecture.X64_GEN2;
  const image = fortiGateByolImage(
    props.fortiOsVersion ?? FortiOsVersion.V7_6,
    architecture,
    props.marketplaceOffer ?? FortiGateMarketplaceOffer.CURRENT,
    props.imageVersion ?? "latest",
  );
  if (typeof image === "string")
    throw new ValidationError(
      scope,
      "image",
      { fortiOsVersion: props.fortiOsVersion, architecture, marketplaceOffer: props.marketplaceOffer, imageVersion: props.imageVersion },
      image,
    );
  const size = parseVmSize(props.vmSize ?? "Standard_D2s_v5");
  if (!size) throw new ValidationError(scope, "vmSize", props.vmSize, 'an Azure VM size name such as "Standard_D2s_v5"');
  const sizeProblem = sizeArchitectureProblem(size, architecture);
  if (sizeProblem) throw new ValidationError(scope, "vmSize", props.vmSize, sizeProblem);

  const adminUsername = props.adminUsername ?? "fortiadmin";
  if (typeof adminUsername !== "string" || !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(adminUsername) || RESERVED_USERNAMES.includes(adminUsername.toLowerCase())) {
    throw new ValidationError(
      scope,
      "adminUsername",
      adminUsername,
      `1-64 letters, digits, _ . -, starting with a letter or _, and not a name Azure reserves (${RESERVED_USERNAMES.slice(0, 6).join(", ")}, ...)`,
    );
  }
  if (props.adminPassword !== undefined && !Token.isUnresolved(props.adminPassword)) {
    throw new ValidationError(
      scope,
      "adminPassword",
      "<a literal password>",
      "a Terraform reference (e.g. a sensitive TerraformVariable or a Key Vault secret); a literal would be written in plain text to cdk.tf.json",
    );
  }
  const adminCidrs = validateAdminCidrs(scope, props);
  const logDiskSizeGb = props.logDiskSizeGb ?? 30;
  if (!Number.isInteger(logDiskSizeGb) || logDiskSizeGb < 0 || logDiskSizeGb > 32767)
    throw new ValidationError(scope, "logDiskSizeGb", props.logDiskSizeGb, "0 (no log disk) or 1-32767");
  const publicPorts = props.publicPorts ?? DEFAULT_PUBLIC_PORTS;
  if (!Array.isArray(publicPorts) || publicPorts.length > 50) throw new ValidationError(scope, "publicPorts", publicPorts, "a list of at most 50 ports");
  const seen = new Set<string>();
  publicPorts.forEach((p, i) => {
    if (
      !p ||
      !["Tcp", "Udp"].includes(p.protocol) ||
      !Number.isInteger(p.port) ||
      p.port < 1 ||
      p.port > 65535 ||
      (p.floatingIp !== undefined && typeof p.floatingIp !== "boolean")
    ) {
      throw new ValidationError(scope, `publicPorts[${i}]`, p, 'protocol "Tcp" or "Udp", a port 1-65535 and optionally floatingIp true/false');
    }
    if (pattern.adminOnPublicSide && p.protocol === "Tcp" && (p.port === 443 || p.port === 22))
      throw new ValidationError(scope, `publicPorts[${i}]`, p, "admin ports 443 and 22 are opened through adminCidrs only");
    if (pattern.adminOnPublicSide && p.floatingIp)
      throw new ValidationError(
        scope,
        `publicPorts[${i}]`,
        p,
        "floatingIp applies to an active-passive pair's load balancer; a single FortiGate's public IP maps to port1",
      );
    if (seen.has(`${p.protocol}${p.port}`)) throw new ValidationError(scope, `publicPorts[${i}]`, p, "each protocol and port once");
    seen.add(`${p.protocol}${p.port}`);
  });
  if (props.acceleratedNetworking && !supportsAcceleratedNetworking(size))
    throw new ValidationError(scope, "acceleratedNetworking", true, `${size.name} does not support accelerated networking`);
  for (const [field, text] of [
    ["additionalConfig", props.additionalConfig],
    ["postLicenseConfig", props.postLicenseConfig],
  ] as const) {
    if (text === undefined) continue;
    if (typeof text !== "string" || /[^\x09\x0a\x0d\x20-\x7e]/.test(text))
      throw new ValidationError(
        scope,
        field,
        typeof text === "string" ? text.slice(0, 40) : text,
        "printable ASCII FortiOS CLI (the MIME part is 7-bit us-ascii)",
      );
    if (text.includes("--==")) throw new ValidationError(scope, field, text.slice(0, 40), "FortiOS CLI without MIME boundary lines");
    if (hasTokenMarker(text))
      throw new ValidationError(
        scope,
        field,
        text.slice(0, 40),
        "literal FortiOS CLI: a Terraform reference here would reach the FortiGate as its placeholder text",
      );
  }
  validateAzureTags(scope, props.tags);
  return {
    prefix,
    hostname,
    image,
    architecture,
    size,
    adminUsername,
    adminPassword: props.adminPassword ?? passwordVariable(scope, prefix).stringValue,
    adminCidrs,
    acceleratedNetworking: props.acceleratedNetworking ?? supportsAcceleratedNetworking(size),
    logDiskSizeGb,
    publicPorts,
    additionalConfig: props.additionalConfig,
    postLicenseConfig: props.postLicenseConfig,
    rebuildOnCustomDataChange: props.rebuildOnCustomDataChange ?? false,
    fortiManager: props.fortiManager === undefined ? undefined : validateFortiManager(scope, props.fortiManager),
    acceptMarketplaceTerms: props.acceptMarketplaceTerms ?? false,
    common: { resourceGroupName: props.resourceGroupName, location: props.location, tags: terraformLiterals(props.tags ?? {}) },
  };
}

/** The given hostname, checked; or "<prefix>-fgt" shortened so that it fits with the unit suffix. */
function resolveHostname(scope: Construct, hostname: string | undefined, prefix: string, suffix: string): string {
  const room = FORTIOS_HOSTNAME_MAX - suffix.length;
  if (hostname === undefined) return `${`${prefix}-fgt`.slice(0, room).replace(/-+$/, "")}${suffix}`;
  if (typeof hostname !== "string" || !HOSTNAME.test(hostname) || hostname.length > room) {
    throw new ValidationError(
      scope,
      "hostname",
      hostname,
      `1-${room} letters, digits, _ or - starting with a letter or digit (FortiOS allows ${FORTIOS_HOSTNAME_MAX} characters${suffix ? `; each unit adds "${suffix}"` : ""})`,
    );
  }
  return `${hostname}${suffix}`;
}

function validateAdminCidrs(scope: Construct, props: FortiGateOptions): Ipv4Cidr[] {
  if (!Array.isArray(props.adminCidrs))
    throw new ValidationError(scope, "adminCidrs", props.adminCidrs, "a list of IPv4 CIDRs allowed to reach HTTPS/SSH admin");
  const cidrs = props.adminCidrs.map((text, i) => {
    const parsed = Ipv4Cidr.parse(text);
    if (typeof parsed === "string") throw new ValidationError(scope, `adminCidrs[${i}]`, text, parsed);
    if (parsed.prefix === 0 && !props.allowAdminFromAnywhere) {
      throw new ValidationError(
        scope,
        `adminCidrs[${i}]`,
        text,
        "admin access from the whole internet needs allowAdminFromAnywhere: true; list your management networks instead",
      );
    }
    return parsed;
  });
  if (props.allowAdminFromAnywhere) return cidrs.filter((c) => c.prefix > 0).length ? cidrs : [];
  if (!cidrs.length) throw new ValidationError(scope, "adminCidrs", [], "at least one management CIDR (or allowAdminFromAnywhere: true)");
  if (cidrs.length > 10) throw new ValidationError(scope, "adminCidrs", props.adminCidrs, "at most 10 CIDRs (FortiOS has 10 trusted-host slots per admin)");
  return cidrs;
}

/** A FortiManager's address: an IPv4 address or a fully qualified host name (it lands in FortiOS CLI in quotes). */
export const FORTIMANAGER_ADDRESS =
  /^(((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)|(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$/;
/** A FortiManager serial number, e.g. FMG-VM0000000001. */
export const FORTIMANAGER_SERIAL = /^FM[A-Z0-9-]{6,30}$/;

function validateFortiManager(scope: Construct, f: FortiManagerProps): CentralManagementConfig {
  const address = f?.address;
  if (typeof address !== "string" || !FORTIMANAGER_ADDRESS.test(address)) {
    throw new ValidationError(scope, "fortiManager.address", address, 'an IPv4 address or a fully qualified host name such as "fmg.example.net"');
  }
  if (f.serialNumber !== undefined && (typeof f.serialNumber !== "string" || !FORTIMANAGER_SERIAL.test(f.serialNumber))) {
    throw new ValidationError(
      scope,
      "fortiManager.serialNumber",
      f.serialNumber,
      'a FortiManager serial number such as "FMG-VM0000000001" (upper-case letters, digits, hyphens)',
    );
  }
  return { address, serialNumber: f.serialNumber };
}

/** The admin password as a sensitive variable with Azure's rules, when the caller gives no reference. */
function passwordVariable(scope: Construct, prefix: string): TerraformVariable {
  const name = `${prefix.replace(/-/g, "_")}_admin_password`;
  const ref = `var.${name}`;
  const variable = new TerraformVariable(TerraformStack.of(scope), `${scope.node.path}/AdminPassword`.replace(/\//g, "_"), {
    type: "string",
    sensitive: true,
    description: `Admin password of FortiGate ${prefix} (12-72 characters, 3 of: lower case, upper case, digit, symbol). Set TF_VAR_${name}.`,
    validation: [
      {
        condition: `\${length(${ref}) >= 12 && length(${ref}) <= 72 && (length(regexall("[a-z]", ${ref})) > 0 ? 1 : 0) + (length(regexall("[A-Z]", ${ref})) > 0 ? 1 : 0) + (length(regexall("[0-9]", ${ref})) > 0 ? 1 : 0) + (length(regexall("[^a-zA-Z0-9]", ${ref})) > 0 ? 1 : 0) >= 3}`,
        errorMessage: "The FortiGate admin password needs 12-72 characters and 3 of: lower case, upper case, digit, symbol.",
      },
    ],
  });
  variable.overrideLogicalId(name);
  return variable;
}

/** Props of another pattern, refused rather than silently ignored (JavaScript callers have no type check). */
export function refuseProps(scope: Construct, props: object, foreign: Record<string, string>): void {
  for (const [name, why] of Object.entries(foreign)) {
    if ((props as Record<string, unknown>)[name] !== undefined)
      throw new ValidationError(scope, name, (props as Record<string, unknown>)[name], `not an option here (${why})`);
  }
}
