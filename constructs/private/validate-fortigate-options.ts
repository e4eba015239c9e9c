import { Token } from "cdktf";
import type { Construct } from "constructs";
import type { FortiGateOptions, FortiGatePublicPort, FortiManagerProps } from "../fortigate-options";
import { ValidationError } from "../validation-error";
import { FORTIOS_HOSTNAME_MAX, type CentralManagementConfig } from "./fortigate-custom-data";
import { Ipv4Cidr } from "./ipv4-cidr";
import { hasTokenMarker } from "./terraform-literal";

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
export const DEFAULT_PUBLIC_PORTS: FortiGatePublicPort[] = [
  { protocol: "Udp", port: 500 },
  { protocol: "Udp", port: 4500 },
];
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The given hostname, checked; or "<prefix>-fgt" shortened so that it fits with the unit suffix. */
export function resolveHostname(scope: Construct, hostname: string | undefined, prefix: string, suffix: string): string {
  const room = FORTIOS_HOSTNAME_MAX - suffix.length;
  if (hostname === undefined) return `${`${prefix}-fgt`.slice(0, room).replace(/-+$/, "")}${suffix}`;
  if (typeof hostname !== "string" || !HOSTNAME.test(hostname) || hostname.length > room) {
    throw new ValidationError(
      scope,
      "hostname",
      hostname,
      `1-${room} letters, digits, _ or - starting with a letter or digit ` +
        `(FortiOS allows ${FORTIOS_HOSTNAME_MAX} characters${suffix ? `; each unit adds "${suffix}"` : ""})`,
    );
  }
  return `${hostname}${suffix}`;
}

export function validateAdminCidrs(scope: Construct, props: FortiGateOptions): Ipv4Cidr[] {
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

export function validateFortiManager(scope: Construct, f: FortiManagerProps): CentralManagementConfig {
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

/** The name prefix (returned), the region and the resource group. */
export function validatePlacement(scope: Construct, id: string, props: FortiGateOptions): string {
  const prefix = props.namePrefix ?? id.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  if (typeof prefix !== "string" || !/^[a-z0-9][a-z0-9-]{0,40}$/i.test(prefix))
    throw new ValidationError(scope, "namePrefix", prefix, "1-41 letters, digits or hyphens, starting with a letter or digit");
  if (!Token.isUnresolved(props.location) && !/^[a-z][a-z0-9]+$/.test(props.location ?? ""))
    throw new ValidationError(scope, "location", props.location, 'an Azure region name such as "westeurope"');
  // Azure's rule: 1-90 letters or digits (any script), - _ . ( ), not ending in a period.
  if (!Token.isUnresolved(props.resourceGroupName) && !/^[-\w.()\p{L}\p{N}]{0,89}[-\w()\p{L}\p{N}]$/u.test(props.resourceGroupName ?? "")) {
    throw new ValidationError(scope, "resourceGroupName", props.resourceGroupName, "1-90 letters, digits, - _ . ( ), not ending in a period");
  }
  return prefix;
}

export function validateAdminUsername(scope: Construct, adminUsername: string): string {
  if (typeof adminUsername !== "string" || !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(adminUsername) || RESERVED_USERNAMES.includes(adminUsername.toLowerCase())) {
    throw new ValidationError(
      scope,
      "adminUsername",
      adminUsername,
      `1-64 letters, digits, _ . -, starting with a letter or _, and not a name Azure reserves (${RESERVED_USERNAMES.slice(0, 6).join(", ")}, ...)`,
    );
  }
  return adminUsername;
}

/** Only a Terraform reference: a literal would be written in plain text to cdk.tf.json. */
export function validateAdminPassword(scope: Construct, adminPassword: string | undefined): void {
  if (adminPassword !== undefined && !Token.isUnresolved(adminPassword)) {
    throw new ValidationError(
      scope,
      "adminPassword",
      "<a literal password>",
      "a Terraform reference (e.g. a sensitive TerraformVariable or a Key Vault secret); a literal would be written in plain text to cdk.tf.json",
    );
  }
}

export function validateLogDiskSize(scope: Construct, logDiskSizeGb: number): number {
  if (!Number.isInteger(logDiskSizeGb) || logDiskSizeGb < 0 || logDiskSizeGb > 32767)
    throw new ValidationError(scope, "logDiskSizeGb", logDiskSizeGb, "0 (no log disk) or 1-32767");
  return logDiskSizeGb;
}

/** `adminOnPublicSide`: a single FortiGate, whose admin ports are on its public IP (through adminCidrs only). */
export function validatePublicPorts(scope: Construct, publicPorts: FortiGatePublicPort[], adminOnPublicSide: boolean): FortiGatePublicPort[] {
  if (!Array.isArray(publicPorts) || publicPorts.length > 50) throw new ValidationError(scope, "publicPorts", publicPorts, "a list of at most 50 ports");
  const seen = new Set<string>();
  publicPorts.forEach((p, i) => {
    const field = `publicPorts[${i}]`;
    const wellFormed =
      p && ["Tcp", "Udp"].includes(p.protocol) && Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535 && [undefined, true, false].includes(p.floatingIp);
    if (!wellFormed) throw new ValidationError(scope, field, p, 'protocol "Tcp" or "Udp", a port 1-65535 and optionally floatingIp true/false');
    if (adminOnPublicSide && p.protocol === "Tcp" && (p.port === 443 || p.port === 22))
      throw new ValidationError(scope, field, p, "admin ports 443 and 22 are opened through adminCidrs only");
    if (adminOnPublicSide && p.floatingIp) {
      const why = "floatingIp applies to an active-passive pair's load balancer; a single FortiGate's public IP maps to port1";
      throw new ValidationError(scope, field, p, why);
    }
    if (seen.has(`${p.protocol}${p.port}`)) throw new ValidationError(scope, field, p, "each protocol and port once");
    seen.add(`${p.protocol}${p.port}`);
  });
  return publicPorts;
}

/** FortiOS CLI the user adds: printable ASCII, no MIME boundary, no Terraform reference. */
export function validateFortiOsCli(scope: Construct, texts: Record<string, string | undefined>): void {
  for (const [field, text] of Object.entries(texts)) {
    if (text === undefined) continue;
    if (typeof text !== "string" || /[^\x09\x0a\x0d\x20-\x7e]/.test(text)) {
      const shown = typeof text === "string" ? text.slice(0, 40) : text;
      throw new ValidationError(scope, field, shown, "printable ASCII FortiOS CLI (the MIME part is 7-bit us-ascii)");
    }
    if (text.includes("--==")) throw new ValidationError(scope, field, text.slice(0, 40), "FortiOS CLI without MIME boundary lines");
    if (hasTokenMarker(text)) {
      const why = "literal FortiOS CLI: a Terraform reference here would reach the FortiGate as its placeholder text";
      throw new ValidationError(scope, field, text.slice(0, 40), why);
    }
  }
}
