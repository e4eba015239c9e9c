/**
 * The FortiGate's custom data: a MIME multipart document that FortiOS (6.4.10, 7.0.6, 7.2.0 and later)
 * processes in order: bootstrap configuration, then the FortiFlex license token, then optional
 * configuration that needs the license. LF line endings, 7-bit ASCII.
 */

export const MIME_BOUNDARY = "==FORTIFLEX-CDKTF==";
/** Azure accepts at most 65535 bytes of custom data (before Base64). */
export const CUSTOM_DATA_LIMIT_BYTES = 65535;

export interface InterfaceAddress {
  readonly ip: string;
  readonly netmask: string;
  readonly gateway: string;
}

export interface BootstrapConfig {
  readonly hostname: string;
  /** External interface (port1). */
  readonly port1: InterfaceAddress;
  /** Internal interface (port2). */
  readonly port2: InterfaceAddress;
  /** The virtual network, routed through port2. */
  readonly vnetCidr: string;
  readonly adminUsername: string;
  /** Admin trusted hosts as "ip netmask" pairs; empty = no restriction in FortiOS. */
  readonly adminTrustedHosts: readonly string[];
  /** FortiOS CLI appended to the bootstrap part. */
  readonly additionalConfig?: string;
  /** FortiOS CLI applied after the license (for features that need it). */
  readonly postLicenseConfig?: string;
}

/** The FortiOS CLI of the bootstrap part. */
export function bootstrapCli(c: BootstrapConfig): string {
  const trusted = c.adminTrustedHosts.map((h, i) => `        set trusthost${i + 1} ${h}`);
  return [
    "config system global",
    `    set hostname "${c.hostname}"`,
    // Ingress and egress on the same logical interface (Fortinet's Azure guidance).
    "    set allow-traffic-redirect disable",
    "end",
    "config system sdn-connector",
    '    edit "AzureSDN"',
    "        set type azure",
    "    next",
    "end",
    "config system probe-response",
    '    set http-probe-value "OK"',
    "    set mode http-probe",
    "end",
    "config system interface",
    '    edit "port1"',
    '        set alias "external"',
    "        set mode static",
    `        set ip ${c.port1.ip} ${c.port1.netmask}`,
    "        set allowaccess probe-response ping https ssh",
    "    next",
    '    edit "port2"',
    '        set alias "internal"',
    "        set mode static",
    `        set ip ${c.port2.ip} ${c.port2.netmask}`,
    "        set allowaccess probe-response ping",
    "    next",
    "end",
    "config router static",
    "    edit 1",
    `        set gateway ${c.port1.gateway}`,
    '        set device "port1"',
    "    next",
    "    edit 2",
    `        set dst ${c.vnetCidr}`,
    `        set gateway ${c.port2.gateway}`,
    '        set device "port2"',
    "    next",
    "end",
    ...(trusted.length ? ["config system admin", `    edit "${c.adminUsername}"`, ...trusted, "    next", "end"] : []),
    ...(c.additionalConfig ? [c.additionalConfig.replace(/\r\n/g, "\n").replace(/\n+$/, "")] : []),
  ].join("\n");
}

/** One MIME part; the line break before the next boundary belongs to the boundary, not the body. */
function part(filename: string, body: string): string {
  return [
    `--${MIME_BOUNDARY}`,
    'Content-Type: text/plain; charset="us-ascii"',
    "MIME-Version: 1.0",
    "Content-Transfer-Encoding: 7bit",
    `Content-Disposition: attachment; filename="${filename}"`,
    "",
    body,
    "",
  ].join("\n");
}

/**
 * The whole custom data document. `licenseToken` may be a Terraform reference (resolved at apply), so the
 * result is a template string; nothing here inspects it.
 */
export function fortiGateCustomData(config: BootstrapConfig, licenseToken: string): string {
  return [
    `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"\nMIME-Version: 1.0\n\n`,
    part("config", bootstrapCli(config)),
    part("license", `LICENSE-TOKEN:${licenseToken}`),
    ...(config.postLicenseConfig ? [part("post-config", config.postLicenseConfig.replace(/\r\n/g, "\n").replace(/\n+$/, ""))] : []),
    `--${MIME_BOUNDARY}--\n`,
  ].join("");
}
