/**
 * The FortiGate's custom data: a MIME multipart document that FortiOS (6.4.10, 7.0.6, 7.2.0 and later)
 * processes in order: bootstrap configuration, then the FortiFlex license token, then optional
 * configuration that needs the license. LF line endings, 7-bit ASCII.
 */

export const MIME_BOUNDARY = "==FORTIFLEX-CDKTF==";
/** Azure accepts at most 65535 bytes of custom data (before Base64). */
export const CUSTOM_DATA_LIMIT_BYTES = 65535;

/** A FortiOS interface with a static address. */
export interface FortiOsInterface {
  /** "port1", "port2", ... in NIC order. */
  readonly name: string;
  readonly alias: string;
  readonly ip: string;
  readonly netmask: string;
  /** Services the interface answers (FortiOS `allowaccess`); empty for none. */
  readonly allowaccess: readonly string[];
}

/** A FortiOS static route; no `dst` means the default route. */
export interface FortiOsStaticRoute {
  readonly dst?: string;
  readonly gateway: string;
  readonly device: string;
}

/** FGCP active-passive clustering over unicast heartbeats (Azure has no multicast). */
export interface FgcpConfig {
  readonly groupName: string;
  /** Higher wins the election: 255 for the unit meant to be active, 1 for the other. */
  readonly priority: number;
  /** Heartbeat and session-sync interface. */
  readonly heartbeatInterface: string;
  /** The other unit's address on the heartbeat interface. */
  readonly peerIp: string;
  /** Reserved management interface (its own public IP, reachable whichever unit is active). */
  readonly managementInterface: string;
  readonly managementGateway: string;
  /** Group password: hex text, or a placeholder the caller replaces with a Terraform reference. */
  readonly password: string;
}

/** Central management by FortiManager (the FortiGate opens the FGFM tunnel to TCP 541). */
export interface CentralManagementConfig {
  /** IP address or FQDN. */
  readonly address: string;
  /** The FortiManager's serial number: the FortiGate only accepts that FortiManager. */
  readonly serialNumber?: string;
}

export interface BootstrapConfig {
  /** At most 35 characters (FortiOS). */
  readonly hostname: string;
  readonly interfaces: readonly FortiOsInterface[];
  readonly routes: readonly FortiOsStaticRoute[];
  readonly adminUsername: string;
  /** Admin trusted hosts as "ip netmask" pairs; empty = no restriction in FortiOS. */
  readonly adminTrustedHosts: readonly string[];
  readonly ha?: FgcpConfig;
  readonly fortiManager?: CentralManagementConfig;
  /** FortiOS CLI appended to the bootstrap part. */
  readonly additionalConfig?: string;
  /** FortiOS CLI applied after the license (for features that need it). */
  readonly postLicenseConfig?: string;
}

/** FortiOS limits a hostname to 35 characters. */
export const FORTIOS_HOSTNAME_MAX = 35;

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
    // Azure's load balancer and health probes expect "OK" on TCP 8008 from the unit that should get traffic.
    "config system probe-response",
    '    set http-probe-value "OK"',
    "    set mode http-probe",
    "end",
    "config system interface",
    ...c.interfaces.flatMap((i) => [
      `    edit "${i.name}"`,
      `        set alias "${i.alias}"`,
      "        set mode static",
      `        set ip ${i.ip} ${i.netmask}`,
      ...(i.allowaccess.length ? [`        set allowaccess ${i.allowaccess.join(" ")}`] : []),
      "    next",
    ]),
    "end",
    "config router static",
    ...c.routes.flatMap((r, n) => [
      `    edit ${n + 1}`,
      ...(r.dst ? [`        set dst ${r.dst}`] : []),
      `        set gateway ${r.gateway}`,
      `        set device "${r.device}"`,
      "    next",
    ]),
    "end",
    ...(c.ha ? fgcpCli(c.ha) : []),
    ...(c.fortiManager
      ? [
          "config system central-management",
          "    set type fortimanager",
          `    set fmg "${c.fortiManager.address}"`,
          ...(c.fortiManager.serialNumber ? [`    set serial-number "${c.fortiManager.serialNumber}"`] : []),
          "end",
        ]
      : []),
    ...(trusted.length ? ["config system admin", `    edit "${c.adminUsername}"`, ...trusted, "    next", "end"] : []),
    ...(c.additionalConfig ? [c.additionalConfig.replace(/\r\n/g, "\n").replace(/\n+$/, "")] : []),
  ].join("\n");
}

function fgcpCli(ha: FgcpConfig): string[] {
  return [
    "config system ha",
    `    set group-name "${ha.groupName}"`,
    "    set mode a-p",
    `    set hbdev "${ha.heartbeatInterface}" 100`,
    "    set session-pickup enable",
    "    set session-pickup-connectionless enable",
    "    set ha-mgmt-status enable",
    "    config ha-mgmt-interfaces",
    "        edit 1",
    `            set interface "${ha.managementInterface}"`,
    `            set gateway ${ha.managementGateway}`,
    "        next",
    "    end",
    "    set override disable",
    `    set priority ${ha.priority}`,
    "    set unicast-hb enable",
    `    set unicast-hb-peerip ${ha.peerIp}`,
    `    set password "${ha.password}"`,
    "end",
  ];
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
