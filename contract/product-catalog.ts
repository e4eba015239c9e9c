/**
 * FortiFlex product types and their configuration parameters (API v2): the one table that the constructs
 * (typed props and synth-time checks), the handler (comparing what was sent with what FortiFlex reports),
 * the client (errors that name parameters), the simulator (server-side checks) and the CLI read.
 *
 * Sources, cited per entry below by tag:
 * - TF: fortinetdev/terraform-provider-fortiflexvm, `fortiflexvm/config.go` @acf0e38 (ids) and
 *   `website/docs/r/fortiflexvm_config.html.markdown` @acf0e38 (ranges and values).
 * - AN: fortinet-ansible-dev/ansible-galaxy-fortiflexvm-collection `plugins/module_utils/settings.py` @4545519
 *   (v2.3.0) and the newest module docs, ansible-galaxy-fortiflexvm-sphinxdoc
 *   `source/modules/fortiflexvm_configs_create.rst` @8d09259 (AN-DOC).
 * - PY: FortinetCloudCSE/fortiflexvm-api `api/Python/v2/fortiflex_api.py` @6d02750, the only source that marks
 *   values "no longer available".
 * Where they disagree, the entry says which one it follows. API-side parameter `name` strings are only known
 * for CPU, SERVICEPACK and VDOM; the others are plausible upper-case names (INFERRED).
 */

export type ParameterKind = "int" | "choice" | "list" | "text";
/** How a product is entitled: VM entitlements with license tokens, hardware entitlements by serial, or cloud-service entitlements. */
export type ProductForm = "vm" | "hardware" | "cloud";

export interface ParameterSpec {
  readonly id: number;
  /** The props field that sets it in the constructs (camelCase, unique within its product). */
  readonly key: string;
  /** Name the API reports in `parameters[].name`. */
  readonly apiName: string;
  /** Human label used in error messages. */
  readonly label: string;
  readonly kind: ParameterKind;
  readonly required: boolean;
  /** Inclusive range for int parameters. */
  readonly min?: number;
  readonly max?: number;
  /** Value must be a multiple of this (int parameters). */
  readonly step?: number;
  /** 0 is allowed below `min` ("0 or 25-25000"). */
  readonly zeroAllowed?: boolean;
  /** Allowed codes by name, for choice and list parameters (the constructs' enums are these objects). */
  readonly values?: Readonly<Record<string, string>>;
  /** Codes Fortinet lists as no longer available, with what they were: refused with that wording. */
  readonly retired?: Readonly<Record<string, string>>;
  /** Text parameters: the allowed form. */
  readonly pattern?: RegExp;
  /** Value used when the parameter is omitted (for a required one: what the constructs send when their props omit it). */
  readonly defaultValue?: string;
  /** Reported by the API but never sent by clients. */
  readonly readOnly?: boolean;
}

export interface ProductTypeSpec {
  readonly id: number;
  readonly name: string;
  readonly label: string;
  /** VM products get entitlements with tokens; hardware and cloud products do not. */
  readonly form: ProductForm;
  readonly parameters: readonly ParameterSpec[];
}

type Extra = Partial<Pick<ParameterSpec, "step" | "zeroAllowed" | "defaultValue" | "readOnly" | "retired">>;
const int = (id: number, key: string, apiName: string, label: string, min: number, max: number, required: boolean, extra: Extra = {}): ParameterSpec => ({
  id,
  key,
  apiName,
  label,
  kind: "int",
  min,
  max,
  required,
  ...extra,
});
const choice = (
  id: number,
  key: string,
  apiName: string,
  label: string,
  values: Record<string, string>,
  required: boolean,
  extra: Extra = {},
): ParameterSpec => ({ id, key, apiName, label, kind: "choice", values, required, ...extra });
const list = (id: number, key: string, apiName: string, label: string, values: Record<string, string>, extra: Extra = {}): ParameterSpec => ({
  id,
  key,
  apiName,
  label,
  kind: "list",
  values,
  required: false,
  ...extra,
});
const text = (id: number, key: string, apiName: string, label: string, pattern: RegExp, required: boolean): ParameterSpec => ({
  id,
  key,
  apiName,
  label,
  kind: "text",
  pattern,
  required,
});
/** Counts that are themselves the codes ("1", "2", "4", ...). */
const counts = (...n: number[]): Record<string, string> => Object.fromEntries(n.map((v) => [`CPU_${v}`, String(v)]));

/** Product type ids by FortiFlex name (TF `convProductTypeName2Id`). */
export const PRODUCT_TYPE_IDS = {
  FGT_VM_Bundle: 1,
  FMG_VM: 2,
  FWB_VM: 3,
  FGT_VM_LCS: 4,
  FC_EMS_OP: 5,
  FAZ_VM: 7,
  FPC_VM: 8,
  FAD_VM: 9,
  FORTISOAR_VM: 10,
  FORTIMAIL_VM: 11,
  FORTINAC_VM: 12,
  FGT_HW: 101,
  FAP_HW: 102,
  FSW_HW: 103,
  FWBC_PRIVATE: 202,
  FWBC_PUBLIC: 203,
  FC_EMS_CLOUD: 204,
  FORTISASE: 205,
  FORTIEDR: 206,
  FORTINDR_CLOUD: 207,
  FORTIRECON: 208,
  SIEM_CLOUD: 209,
  FORTIAPPSEC: 211,
  FORTIDLP: 212,
} as const;
/** The FortiGate VM service bundle, the product of the FortiGate patterns. */
export const FGT_VM_BUNDLE_ID = PRODUCT_TYPE_IDS.FGT_VM_Bundle;

// Named codes: the constructs export these objects as their enums, so a code is written once.

/** FGT_VM_Bundle service packages (TF, AN; UTM retired: PY). */
export const FGT_BUNDLE_SERVICE_PACKAGES = {
  /** FortiCare support alone, without FortiGuard security services (FC). */
  FORTICARE: "FC",
  /** Unified Threat Protection (UTP). */
  UTP: "UTP",
  /** Enterprise Protection (ENT). */
  ENTERPRISE: "ENT",
  /** Advanced Threat Protection (ATP). */
  ATP: "ATP",
} as const;
/** FGT_VM_Bundle FortiGuard services (TF, AN; FGTFCSS: PY and AN v2.2, absent from the newest docs, kept as valid). */
export const FGT_BUNDLE_FORTIGUARD_SERVICES = {
  /** Advanced Malware Protection (FGTAVDB). */
  ADVANCED_MALWARE_PROTECTION: "FGTAVDB",
  /** AI-based inline sandbox (FGTFAIS). */
  AI_INLINE_SANDBOX: "FGTFAIS",
  /** FortiGuard OT Security Service (FGTISSS). */
  OT_SECURITY: "FGTISSS",
  /** FortiGuard Data Loss Prevention (FGTDLDB). */
  DATA_LOSS_PREVENTION: "FGTDLDB",
  /** FortiGuard Attack Surface Security Service (FGTFGSA). */
  ATTACK_SURFACE_SECURITY: "FGTFGSA",
  /** FortiConverter Service (FGTFCSS); missing from Fortinet's newest lists, still accepted. */
  FORTICONVERTER: "FGTFCSS",
} as const;
/** FGT_VM_Bundle cloud services (TF, AN, PY agree). */
export const FGT_BUNDLE_CLOUD_SERVICES = {
  /** FortiGate Cloud management (FGTFAMS). */
  CLOUD_MANAGEMENT: "FGTFAMS",
  /** SD-WAN underlay monitoring (FGTSWNM). */
  SDWAN_UNDERLAY: "FGTSWNM",
  /** SOC-as-a-Service (FGTSOCA). */
  SOC_AS_A_SERVICE: "FGTSOCA",
  /** FortiAnalyzer Cloud (FGTFAZC). */
  FORTIANALYZER_CLOUD: "FGTFAZC",
  /** Cloud-based SD-WAN Overlay-as-a-Service (FGTSWOS). */
  OVERLAY_AS_A_SERVICE: "FGTSWOS",
  /** SD-WAN connector for FortiSASE (FGTFSPA). */
  FORTISASE_CONNECTOR: "FGTFSPA",
} as const;
/** FGT_VM_Bundle support add-on (TF, AN: FGTFCELU, default NONE). */
export const FGT_BUNDLE_SUPPORT_SERVICES = {
  /** No support add-on: the support the service package includes (NONE). */
  NONE: "NONE",
  /** Upgrade of the included support to FortiCare Elite (FGTFCELU). */
  FORTICARE_ELITE_UPGRADE: "FGTFCELU",
} as const;
/** FGT_VM_LCS FortiGuard services (TF, AN-DOC; FURL, IOTH, ISSS "no longer available": PY, whose list this follows for ISSS). */
export const FGT_LCS_FORTIGUARD_SERVICES = {
  /** Intrusion Prevention (IPS). */
  IPS: "IPS",
  /** Advanced Malware Protection (AVDB). */
  ADVANCED_MALWARE_PROTECTION: "AVDB",
  /** Web (URL), DNS and video filtering (FURLDNS). */
  URL_DNS_VIDEO_FILTERING: "FURLDNS",
  /** Attack Surface Security, formerly Security Rating (FGSA). */
  ATTACK_SURFACE_SECURITY: "FGSA",
  /** Data Loss Prevention (DLDB). */
  DATA_LOSS_PREVENTION: "DLDB",
  /** AI-based inline sandbox (FAIS). */
  AI_INLINE_SANDBOX: "FAIS",
} as const;
/** FGT_VM_LCS support service (TF, AN). */
export const FGT_LCS_SUPPORT_SERVICES = {
  /** FortiCare Premium, 24x7 support (FC247). */
  FORTICARE_PREMIUM: "FC247",
  /** FortiCare Elite (ASET). */
  FORTICARE_ELITE: "ASET",
} as const;
/** FGT_VM_LCS cloud services (TF; FMGC "no longer available": PY, dropped by TF). */
export const FGT_LCS_CLOUD_SERVICES = {
  /** FortiGate Cloud management (FAMS). */
  CLOUD_MANAGEMENT: "FAMS",
  /** SD-WAN underlay monitoring (SWNM). */
  SDWAN_UNDERLAY: "SWNM",
  /** FortiAnalyzer Cloud with SOC-as-a-Service (AFAC). */
  INTERCONNECT: "AFAC",
  /** FortiAnalyzer Cloud (FAZC). */
  FORTIANALYZER_CLOUD: "FAZC",
  /** SD-WAN connector for FortiSASE (FSPA). */
  FORTISASE_CONNECTOR: "FSPA",
  /** Cloud-based SD-WAN Overlay-as-a-Service (SWOS). */
  OVERLAY_AS_A_SERVICE: "SWOS",
} as const;
/** FWB_VM service packages (TF, AN). */
export const FWB_SERVICE_PACKAGES = {
  /** FortiWeb Standard (FWBSTD). */
  STANDARD: "FWBSTD",
  /** FortiWeb Advanced (FWBADV). */
  ADVANCED: "FWBADV",
  /** FortiWeb Enterprise (FWBENT). */
  ENTERPRISE: "FWBENT",
} as const;
/** FAZ_VM support service: the only one (TF, AN). */
export const FAZ_SUPPORT_SERVICES = { FORTICARE_PREMIUM: "FAZFC247" } as const;
/** FAZ_VM add-ons (TF, AN). */
export const FAZ_ADDONS = {
  /** OT Security Service (FAZISSS). */
  OT_SECURITY: "FAZISSS",
  /** Attack Surface Security Service (FAZFGSA). */
  ATTACK_SURFACE_SECURITY: "FAZFGSA",
  /** FortiAI assistant service (FAZAISN). */
  AI_ASSISTANT: "FAZAISN",
} as const;

const FGT_LCS_RETIRED_FORTIGUARD = { FURL: "Web & Video Filtering", IOTH: "IoT Detection", ISSS: "Industrial Security" };

export const PRODUCT_TYPES: readonly ProductTypeSpec[] = [
  {
    // TF, AN. VDOM ceilings per vCPU count (this product and FGT_VM_LCS): maxVdomsForCpu (FortiFlex service offerings page; in no client).
    id: PRODUCT_TYPE_IDS.FGT_VM_Bundle,
    name: "FGT_VM_Bundle",
    label: "FortiGate Virtual Machine - Service Bundle",
    form: "vm",
    parameters: [
      int(1, "cpu", "CPU", "CPU count", 1, 96, true),
      choice(2, "servicePackage", "SERVICEPACK", "service package", FGT_BUNDLE_SERVICE_PACKAGES, true, { retired: { UTM: "UTM" } }),
      int(10, "vdoms", "VDOM", "VDOM count", 0, 500, false, { defaultValue: "0" }),
      list(43, "fortiGuardServices", "FORTIGUARDSERVICES", "FortiGuard services", FGT_BUNDLE_FORTIGUARD_SERVICES),
      list(44, "cloudServices", "CLOUDSERVICES", "cloud services", FGT_BUNDLE_CLOUD_SERVICES),
      choice(45, "supportService", "SUPPORTSERVICE", "support service", FGT_BUNDLE_SUPPORT_SERVICES, false, { defaultValue: "NONE" }),
    ],
  },
  {
    // TF, AN (ADOM 0-100000, default 0 as TF; PY says 1-). Id 3 is the deprecated managed-devices id, still reported (TF).
    id: PRODUCT_TYPE_IDS.FMG_VM,
    name: "FMG_VM",
    label: "FortiManager Virtual Machine",
    form: "vm",
    parameters: [
      int(30, "managedDevices", "DEVICES", "managed devices", 1, 100000, true),
      int(9, "adoms", "ADOM", "ADOM count", 0, 100000, false, { defaultValue: "0" }),
      int(3, "deprecatedManagedDevices", "DEVICES", "managed devices (deprecated id)", 0, 100000, false, { readOnly: true }),
    ],
  },
  {
    // TF, AN.
    id: PRODUCT_TYPE_IDS.FWB_VM,
    name: "FWB_VM",
    label: "FortiWeb Virtual Machine - Service Bundle",
    form: "vm",
    parameters: [
      choice(4, "cpu", "CPU", "CPU count", counts(1, 2, 4, 8, 16), true),
      choice(5, "servicePackage", "SERVICEPACK", "service package", FWB_SERVICE_PACKAGES, true),
    ],
  },
  {
    // TF, AN (VDOM 0-500; PY says 1-; at most maxVdomsForCpu, as the bundle).
    id: PRODUCT_TYPE_IDS.FGT_VM_LCS,
    name: "FGT_VM_LCS",
    label: "FortiGate Virtual Machine - A La Carte Services",
    form: "vm",
    parameters: [
      int(6, "cpu", "CPU", "CPU count", 1, 96, true),
      list(7, "fortiGuardServices", "FORTIGUARDSERVICES", "FortiGuard services", FGT_LCS_FORTIGUARD_SERVICES, { retired: FGT_LCS_RETIRED_FORTIGUARD }),
      choice(8, "supportService", "SUPPORTSERVICE", "support service", FGT_LCS_SUPPORT_SERVICES, true),
      int(11, "vdoms", "VDOM", "VDOM count", 0, 500, true, { defaultValue: "0" }),
      list(12, "cloudServices", "CLOUDSERVICES", "cloud services", FGT_LCS_CLOUD_SERVICES, { retired: { FMGC: "FortiManager Cloud" } }),
    ],
  },
  {
    // TF, AN, AN-DOC: endpoint counts are "0 or between 25 and 25000".
    id: PRODUCT_TYPE_IDS.FC_EMS_OP,
    name: "FC_EMS_OP",
    label: "FortiClient EMS On-Prem",
    form: "vm",
    parameters: [
      int(13, "ztnaEndpoints", "ZTNA", "ZTNA endpoints", 25, 25000, true, { zeroAllowed: true }),
      int(14, "eppEndpoints", "EPP", "EPP/ZTNA endpoints", 25, 25000, true, { zeroAllowed: true }),
      int(15, "chromebookEndpoints", "CHROMEBOOK", "Chromebook endpoints", 25, 25000, true, { zeroAllowed: true }),
      choice(16, "supportService", "SUPPORTSERVICE", "support service", { FORTICARE_PREMIUM: "FCTFC247" }, true),
      list(36, "addons", "ADDONS", "add-ons", { BEST_PRACTICE_SERVICE: "BPS" }),
    ],
  },
  {
    // TF, AN, AN-DOC.
    id: PRODUCT_TYPE_IDS.FAZ_VM,
    name: "FAZ_VM",
    label: "FortiAnalyzer Virtual Machine",
    form: "vm",
    parameters: [
      int(21, "dailyStorageGb", "STORAGE", "daily storage (GB)", 5, 8300, true),
      int(22, "adoms", "ADOM", "ADOM count", 0, 1200, true, { defaultValue: "0" }),
      choice(23, "supportService", "SUPPORTSERVICE", "support service", FAZ_SUPPORT_SERVICES, true),
      list(58, "addons", "ADDONS", "add-ons", FAZ_ADDONS),
    ],
  },
  {
    // TF, AN.
    id: PRODUCT_TYPE_IDS.FPC_VM,
    name: "FPC_VM",
    label: "FortiPortal Virtual Machine",
    form: "vm",
    parameters: [int(24, "managedDevices", "DEVICES", "managed devices", 0, 100000, true)],
  },
  {
    // TF, AN (FDVSTD and FDVADV only in PY and older AN: superseded).
    id: PRODUCT_TYPE_IDS.FAD_VM,
    name: "FAD_VM",
    label: "FortiADC Virtual Machine",
    form: "vm",
    parameters: [
      choice(25, "cpu", "CPU", "CPU count", counts(1, 2, 4, 8, 16, 32), true),
      choice(
        26,
        "servicePackage",
        "SERVICEPACK",
        "service package",
        { FORTICARE_PREMIUM: "FDVFC247", NETWORK_SECURITY: "FDVNET", APPLICATION_SECURITY: "FDVAPP", AI_SECURITY: "FDVAI" },
        true,
      ),
    ],
  },
  {
    // TF, AN.
    id: PRODUCT_TYPE_IDS.FORTISOAR_VM,
    name: "FORTISOAR_VM",
    label: "FortiSOAR Virtual Machine",
    form: "vm",
    parameters: [
      choice(
        69,
        "servicePackage",
        "SERVICEPACK",
        "service package",
        { ENTERPRISE: "FSRE", MULTI_TENANT_MANAGER: "FSRM", MULTI_TENANT_DISTRIBUTED: "FSRD", RESOURCE_NODE: "FSRR" },
        true,
      ),
      int(70, "additionalUsers", "USERS", "additional users", 0, 1000, false, { defaultValue: "0" }),
      list(71, "addons", "ADDONS", "add-ons", { THREAT_INTELLIGENCE: "FSRTIMS" }),
    ],
  },
  {
    // AN, AN-DOC: CPU up to 32 (the TF attribute text says 16).
    id: PRODUCT_TYPE_IDS.FORTIMAIL_VM,
    name: "FORTIMAIL_VM",
    label: "FortiMail Virtual Machine",
    form: "vm",
    parameters: [
      choice(73, "cpu", "CPU", "CPU count", counts(1, 2, 4, 8, 16, 32), true),
      choice(74, "servicePackage", "SERVICEPACK", "service package", { BASE: "FMLBASE", ATP: "FMLATP" }, true),
      list(75, "addons", "ADDONS", "add-ons", {
        EMAIL_CONTINUITY: "FMLFEMS",
        CLOUD_ARCHIVING: "FMLFCAS",
        OFFICE365_API: "FMLFEOP",
        EMAIL_ENCRYPTION: "FMLFEEC",
      }),
    ],
  },
  {
    // AN, AN-DOC: support FNCFC247 (the TF docs say FCTFC247, INFERRED a copy of EMS's).
    id: PRODUCT_TYPE_IDS.FORTINAC_VM,
    name: "FORTINAC_VM",
    label: "FortiNAC Virtual Machine",
    form: "vm",
    parameters: [
      choice(77, "servicePackage", "SERVICEPACK", "service package", { PLUS: "FNCPLUS", PRO: "FNCPRO" }, true),
      int(78, "endpoints", "ENDPOINTS", "endpoints", 25, 100000, true),
      choice(79, "supportService", "SUPPORTSERVICE", "support service", { FORTICARE_PREMIUM: "FNCFC247" }, true),
    ],
  },
  {
    // TF. Device models are codes such as FGT60F (about 150; Fortinet's list changes): checked by form only.
    id: PRODUCT_TYPE_IDS.FGT_HW,
    name: "FGT_HW",
    label: "FortiGate Hardware",
    form: "hardware",
    parameters: [
      text(27, "deviceModel", "DEVICEMODEL", "device model", /^F[A-Z0-9]{3,10}$/, true),
      choice(
        28,
        "servicePackage",
        "SERVICEPACK",
        "service package",
        {
          FORTICARE_PREMIUM: "FGHWFC247",
          FORTICARE_ELITE: "FGHWFCEL",
          ATP: "FGHWATP",
          UTP: "FGHWUTP",
          ENTERPRISE: "FGHWENT",
          FORTICARE_ESSENTIAL: "FGHWFCESN",
        },
        true,
      ),
      list(29, "addons", "ADDONS", "add-ons", {
        FORTICARE_ELITE_UPGRADE: "FGHWFCELU",
        CLOUD_MANAGEMENT: "FGHWFAMS",
        AI_INLINE_SANDBOX: "FGHWFAIS",
        SDWAN_UNDERLAY: "FGHWSWNM",
        DATA_LOSS_PREVENTION: "FGHWDLDB",
        FORTIANALYZER_CLOUD: "FGHWFAZC",
        SOC_AS_A_SERVICE: "FGHWSOCA",
        MANAGED_FORTIGATE: "FGHWMGAS",
        SDWAN_SPA: "FGHWSPAL",
        OT_SECURITY: "FGHWISSS",
        OVERLAY_AS_A_SERVICE: "FGHWSWOS",
        ADVANCED_MALWARE_PROTECTION: "FGHWAVDB",
        IPS: "FGHWNIDS",
        ATTACK_SURFACE_SECURITY: "FGHWFGSA",
        URL_DNS_VIDEO_FILTERING: "FGHWFURL",
        FORTIGUARD_SASE: "FGHWFSFG",
      }),
    ],
  },
  {
    // TF.
    id: PRODUCT_TYPE_IDS.FAP_HW,
    name: "FAP_HW",
    label: "FortiAP Hardware",
    form: "hardware",
    parameters: [
      text(55, "deviceModel", "DEVICEMODEL", "device model", /^(FP|PU|F4)[A-Z0-9]{3,6}$/, true),
      choice(56, "servicePackage", "SERVICEPACK", "service package", { FORTICARE_PREMIUM: "FAPHWFC247", FORTICARE_ELITE: "FAPHWFCEL" }, true),
      list(57, "addons", "ADDONS", "add-ons", { FORTIGUARD_SASE: "FAPHWFSFG" }),
    ],
  },
  {
    // TF; models as AN lists them, some of which start with "FS" (FS1D24).
    id: PRODUCT_TYPE_IDS.FSW_HW,
    name: "FSW_HW",
    label: "FortiSwitch Hardware",
    form: "hardware",
    parameters: [
      text(53, "deviceModel", "DEVICEMODEL", "device model", /^F?S[A-Z0-9]{3,8}$/, true),
      choice(54, "servicePackage", "SERVICEPACK", "service package", { FORTICARE_PREMIUM: "FSWHWFC247", FORTICARE_ELITE: "FSWHWFCEL" }, true),
    ],
  },
  {
    // TF, AN (throughput in Mbps from a fixed list; applications 1-5000, older PY 0-2000).
    id: PRODUCT_TYPE_IDS.FWBC_PRIVATE,
    name: "FWBC_PRIVATE",
    label: "FortiWeb Cloud - Private",
    form: "cloud",
    parameters: [
      choice(32, "averageThroughputMbps", "THROUGHPUT", "average throughput (Mbps)", throughputs(10), true),
      int(33, "webApplications", "APPLICATIONS", "web applications", 1, 5000, true),
    ],
  },
  {
    // TF, AN.
    id: PRODUCT_TYPE_IDS.FWBC_PUBLIC,
    name: "FWBC_PUBLIC",
    label: "FortiWeb Cloud - Public",
    form: "cloud",
    parameters: [
      choice(34, "averageThroughputMbps", "THROUGHPUT", "average throughput (Mbps)", throughputs(25), true),
      int(35, "webApplications", "APPLICATIONS", "web applications", 1, 5000, true),
    ],
  },
  {
    // TF, AN; PY: each count "divisible by 25".
    id: PRODUCT_TYPE_IDS.FC_EMS_CLOUD,
    name: "FC_EMS_CLOUD",
    label: "FortiClient EMS Cloud",
    form: "cloud",
    parameters: [
      int(37, "ztnaEndpoints", "ZTNA", "ZTNA endpoints", 25, 25000, true, { zeroAllowed: true, step: 25 }),
      int(38, "ztnaFortiGuardEndpoints", "ZTNA_FGF", "ZTNA + FortiGuard Web Filtering endpoints", 25, 25000, true, { zeroAllowed: true, step: 25 }),
      int(39, "eppEndpoints", "EPP_ZTNA", "EPP/ZTNA endpoints", 25, 25000, true, { zeroAllowed: true, step: 25 }),
      int(40, "eppFortiGuardEndpoints", "EPP_ZTNA_FGF", "EPP/ZTNA + FortiGuard Web Filtering endpoints", 25, 25000, true, { zeroAllowed: true, step: 25 }),
      int(41, "chromebookEndpoints", "CHROMEBOOK", "Chromebook endpoints", 25, 25000, true, { zeroAllowed: true, step: 25 }),
      list(42, "addons", "ADDONS", "add-ons", { BEST_PRACTICE_SERVICE: "BPS" }),
    ],
  },
  {
    // TF, AN (users divisible by 25: AN-DOC; bandwidth "0 or 25-10000": PY; dedicated IPs "0 or 4-65534": PY).
    id: PRODUCT_TYPE_IDS.FORTISASE,
    name: "FORTISASE",
    label: "FortiSASE",
    form: "cloud",
    parameters: [
      int(48, "users", "USERS", "users", 50, 50000, true, { step: 25 }),
      choice(49, "servicePackage", "SERVICEPACK", "service package", { STANDARD: "FSASESTD", ADVANCED: "FSASEADV", COMPREHENSIVE: "FSASECOM" }, true),
      int(50, "bandwidthMbps", "BANDWIDTH", "bandwidth (Mbps)", 25, 10000, false, { defaultValue: "0", step: 25, zeroAllowed: true }),
      int(51, "dedicatedIps", "DEDICATEDIPS", "dedicated IPs", 4, 65534, false, { defaultValue: "0", zeroAllowed: true }),
      int(59, "computeRegions", "COMPUTEREGION", "additional compute regions", 0, 16, false, { defaultValue: "0" }),
      int(72, "onRampLocations", "LOCATIONS", "SD-WAN on-ramp locations", 0, 8, false, { defaultValue: "0" }),
    ],
  },
  {
    // TF, AN (endpoints read-only: TF never sends id 47; repository storage "in an increment of 512": AN-DOC).
    id: PRODUCT_TYPE_IDS.FORTIEDR,
    name: "FORTIEDR",
    label: "FortiEDR MSSP",
    form: "cloud",
    parameters: [
      choice(46, "servicePackage", "SERVICEPACK", "service package", { DISCOVER_PROTECT_RESPOND: "FEDRPDR" }, true),
      int(47, "endpoints", "ENDPOINTS", "endpoints", 0, 1000000, false, { readOnly: true }),
      list(52, "addons", "ADDONS", "add-ons", { XDR: "FEDRXDR" }),
      int(76, "repositoryStorageGb", "REPOSITORYSTORAGE", "repository storage (GB)", 0, 30720, false, { defaultValue: "0", step: 512 }),
    ],
  },
  {
    // TF: metered, nothing to set (id 60 read-only).
    id: PRODUCT_TYPE_IDS.FORTINDR_CLOUD,
    name: "FORTINDR_CLOUD",
    label: "FortiNDR Cloud",
    form: "cloud",
    parameters: [int(60, "meteredUsage", "METEREDUSAGE", "metered usage", 0, Number.MAX_SAFE_INTEGER, false, { readOnly: true })],
  },
  {
    // TF.
    id: PRODUCT_TYPE_IDS.FORTIRECON,
    name: "FORTIRECON",
    label: "FortiRecon",
    form: "cloud",
    parameters: [
      choice(
        61,
        "servicePackage",
        "SERVICEPACK",
        "service package",
        { EXTERNAL_ATTACK_SURFACE: "FRNEASM", EASM_BRAND_PROTECTION: "FRNEASMBP", EASM_BRAND_PROTECTION_ACI: "FRNEASMBPACI" },
        true,
      ),
      int(62, "assets", "ASSETS", "monitored assets", 200, 1000000, true, { step: 50 }),
      int(63, "networks", "NETWORKS", "internal attack surface networks", 0, 100, false, { defaultValue: "0" }),
      int(64, "executives", "EXECUTIVES", "executives", 0, 1000, false, { defaultValue: "0" }),
      int(65, "vendors", "VENDORS", "vendors", 0, 1000, false, { defaultValue: "0" }),
    ],
  },
  {
    // TF (online storage required there; AN leaves it optional: TF followed), AN.
    id: PRODUCT_TYPE_IDS.SIEM_CLOUD,
    name: "SIEM_CLOUD",
    label: "FortiSIEM Cloud",
    form: "cloud",
    parameters: [
      int(66, "computeUnits", "COMPUTEUNITS", "compute units", 10, 600, true, { step: 10 }),
      int(67, "onlineStorageGb", "ONLINESTORAGE", "additional online storage", 500, 60000, true, { step: 500 }),
      int(68, "archiveStorageGb", "ARCHIVESTORAGE", "archive storage", 0, 60000, false, { step: 500, defaultValue: "0" }),
    ],
  },
  {
    // TF (ids 85-88 read-only: TF never sends them).
    id: PRODUCT_TYPE_IDS.FORTIAPPSEC,
    name: "FORTIAPPSEC",
    label: "FortiAppSec",
    form: "cloud",
    parameters: [
      list(82, "serviceTypes", "SERVICETYPES", "service types", { WAF: "UCWAF", GSLB: "UCGSLB" }),
      choice(
        83,
        "wafServicePackage",
        "WAFSERVICEPACK",
        "WAF service package",
        { STANDARD: "UCWAFSTD", ADVANCED: "UCWAFADV", ENTERPRISE: "UCWAFENT", NONE: "NONE" },
        false,
        { defaultValue: "NONE" },
      ),
      list(84, "wafAddons", "WAFADDONS", "WAF add-ons", { SOC_AS_A_SERVICE: "UCSOCA" }),
      int(85, "throughput", "THROUGHPUT", "throughput", 0, Number.MAX_SAFE_INTEGER, false, { readOnly: true }),
      int(86, "applications", "APPLICATIONS", "applications", 0, Number.MAX_SAFE_INTEGER, false, { readOnly: true }),
      int(87, "queriesPerSecond", "QPS", "queries per second", 0, Number.MAX_SAFE_INTEGER, false, { readOnly: true }),
      int(88, "healthChecks", "HEALTHCHECKS", "health checks", 0, Number.MAX_SAFE_INTEGER, false, { readOnly: true }),
    ],
  },
  {
    // TF (endpoints up to 100000; AN-DOC says 10000: TF followed).
    id: PRODUCT_TYPE_IDS.FORTIDLP,
    name: "FORTIDLP",
    label: "FortiDLP",
    form: "cloud",
    parameters: [
      choice(90, "servicePackage", "SERVICEPACK", "service package", { STANDARD: "DLPSTD", ENTERPRISE: "DLPENT", ENTERPRISE_PREMIUM: "DLPENTP" }, true),
      int(91, "endpoints", "ENDPOINTS", "endpoints", 25, 100000, true),
      list(92, "addons", "ADDONS", "add-ons", { BEST_PRACTICE_SERVICE: "BPS" }),
    ],
  },
];

/** FortiWeb Cloud throughput choices in Mbps (TF, AN): a fixed list from `from`. */
function throughputs(from: number): Record<string, string> {
  const steps = [10, 25, 50, 75, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000];
  for (let v = 1500; v <= 10000; v += 500) steps.push(v);
  return Object.fromEntries(steps.filter((v) => v >= from).map((v) => [`MBPS_${v}`, String(v)]));
}

/** VDOM ceilings by vCPU count for FortiGate VM (FortiFlex "Service offerings" page; in none of the clients). */
export function maxVdomsForCpu(cpu: number): number {
  if (cpu <= 1) return 10;
  if (cpu <= 3) return 25;
  if (cpu <= 7) return 50;
  return 500;
}

const BY_ID = new Map(PRODUCT_TYPES.map((p) => [p.id, p]));

export function productTypeById(id: number): ProductTypeSpec | undefined {
  return BY_ID.get(id);
}

/** A parameter of a product, by its props key (throws: the constructs name only keys the table has). */
export function parameterOf(productTypeId: number, key: string): ParameterSpec {
  const spec = BY_ID.get(productTypeId)?.parameters.find((p) => p.key === key);
  if (!spec) throw new Error(`product type ${productTypeId} has no parameter "${key}"`);
  return spec;
}

/** A parameter by id within a product, or any product when none is given. */
export function parameterById(id: number, productTypeId?: number): ParameterSpec | undefined {
  const products = productTypeId === undefined ? PRODUCT_TYPES : [BY_ID.get(productTypeId)].filter((p): p is ProductTypeSpec => !!p);
  for (const product of products) {
    const spec = product.parameters.find((p) => p.id === id);
    if (spec) return spec;
  }
  return undefined;
}

/** A parameter entry as the API takes and returns it. List parameters repeat their id once per value. */
export interface ParameterValue {
  readonly id: number;
  readonly value: string;
}

/** One invalid parameter: the id it concerns (if any) and a message naming its label, value and what is allowed. */
export interface ParameterProblem {
  readonly id?: number;
  readonly message: string;
}

/**
 * Checks one product's parameters. Returns problems in the API's wording ("Parameter id N (label) ...");
 * empty when valid.
 */
export function checkParameters(productTypeId: number, parameters: readonly ParameterValue[]): string[] {
  return findParameterProblems(productTypeId, parameters).map((p) => p.message);
}

export function findParameterProblems(productTypeId: number, parameters: readonly ParameterValue[]): ParameterProblem[] {
  const product = productTypeById(productTypeId);
  if (!product) {
    return [{ message: `productTypeId ${productTypeId} is not a known product type (allowed: ${PRODUCT_TYPES.map((p) => `${p.id} ${p.name}`).join(", ")})` }];
  }
  const { values, problems } = valuesByParameter(product, parameters);
  for (const spec of settable(product)) problems.push(...valueProblems(product, spec, values.get(spec.id)));
  problems.push(...vdomProblems(product.id, values));
  return problems;
}

/** The values given for each settable parameter, by id; entries of a parameter the product lacks, or that FortiFlex reports, are problems. */
function valuesByParameter(product: ProductTypeSpec, parameters: readonly ParameterValue[]): { values: Map<number, string[]>; problems: ParameterProblem[] } {
  const problems: ParameterProblem[] = [];
  const values = new Map<number, string[]>();
  for (const entry of parameters) {
    const spec = product.parameters.find((p) => p.id === entry.id);
    if (!spec) {
      problems.push({
        id: entry.id,
        message: `Parameter id ${entry.id} does not belong to product type ${product.name} (allowed ids: ${settable(product)
          .map((p) => p.id)
          .join(", ")})`,
      });
      continue;
    }
    if (spec.readOnly) {
      problems.push({ id: entry.id, message: `Parameter id ${entry.id} (${spec.label}) is reported by FortiFlex and cannot be set` });
      continue;
    }
    values.set(entry.id, [...(values.get(entry.id) ?? []), String(entry.value)]);
  }
  return { values, problems };
}

/** What is wrong with the values given for one parameter: none when it is required, several when it takes one, each value. */
function valueProblems(product: ProductTypeSpec, spec: ParameterSpec, values: readonly string[] | undefined): ParameterProblem[] {
  if (!values) return spec.required ? [{ id: spec.id, message: `Parameter id ${spec.id} (${spec.label}) is required for ${product.name}` }] : [];
  if (spec.kind !== "list" && values.length > 1) {
    return [{ id: spec.id, message: `Parameter id ${spec.id} (${spec.label}) takes one value, got ${values.length}` }];
  }
  const problems = values.flatMap((value) => {
    const problem = checkValue(spec, value);
    return problem ? [{ id: spec.id, message: problem }] : [];
  });
  if (spec.kind === "list" && values.includes("NONE") && values.length > 1) {
    problems.push({ id: spec.id, message: `Parameter id ${spec.id} (${spec.label}): "NONE" cannot be combined with other values` });
  }
  return problems;
}

/**
 * A FortiGate VM's VDOM count is capped by its CPU count (each at its default when not given): for both FortiGate
 * VM products, the bundle and a la carte (service offerings page).
 */
function vdomProblems(productTypeId: number, values: ReadonlyMap<number, readonly string[]>): ParameterProblem[] {
  if (productTypeId !== FGT_VM_BUNDLE_ID && productTypeId !== PRODUCT_TYPE_IDS.FGT_VM_LCS) return [];
  const [cpu, vdom] = [parameterOf(productTypeId, "cpu"), parameterOf(productTypeId, "vdoms")].map((p) =>
    Number(values.get(p.id)?.[0] ?? p.defaultValue ?? "0"),
  );
  if (!(Number.isInteger(cpu) && Number.isInteger(vdom) && cpu >= 1 && vdom > maxVdomsForCpu(cpu))) return [];
  const id = parameterOf(productTypeId, "vdoms").id;
  return [{ id, message: `Parameter id ${id} (VDOM count) value ${vdom} exceeds the maximum of ${maxVdomsForCpu(cpu)} for ${cpu} CPU(s)` }];
}

function settable(product: ProductTypeSpec): ParameterSpec[] {
  return product.parameters.filter((p) => !p.readOnly);
}

function range(spec: ParameterSpec): string {
  return `${spec.zeroAllowed ? "0 or " : ""}${spec.min}-${spec.max}${spec.step ? `, a multiple of ${spec.step}` : ""}`;
}

function checkValue(spec: ParameterSpec, value: string): string | undefined {
  const what = `Parameter id ${spec.id} (${spec.label})`;
  if (spec.kind === "int") {
    const n = Number(value);
    // Written as FortiFlex writes numbers back ("2", not "02"): anything else would read as drift forever.
    if (!/^(0|-?[1-9]\d*)$/.test(value) || !Number.isSafeInteger(n))
      return `${what} value "${value}" is not an integer in plain digits (allowed: ${range(spec)})`;
    if (n === 0 && spec.zeroAllowed) return undefined;
    if (n < (spec.min ?? -Infinity) || n > (spec.max ?? Infinity)) return `${what} value ${n} is out of range (allowed: ${range(spec)})`;
    if (spec.step && n % spec.step !== 0) return `${what} value ${n} must be a multiple of ${spec.step} (allowed: ${range(spec)})`;
    return undefined;
  }
  if (spec.kind === "text") {
    return spec.pattern?.test(value) ? undefined : `${what} value "${value}" is not a valid ${spec.label}`;
  }
  const codes = Object.values(spec.values ?? {});
  const allowed = spec.kind === "list" ? [...codes, "NONE"] : codes;
  if (spec.retired && value in spec.retired) {
    return `${what} value "${value}" (${spec.retired[value]}) is no longer available (allowed: ${allowed.join(", ")})`;
  }
  if (!allowed.includes(value)) return `${what} value "${value}" is not allowed (allowed: ${allowed.join(", ")})`;
  return undefined;
}

/** What is wrong with one value of a product's parameter (by props key), without the "Parameter id N" prefix; undefined when allowed. */
export function parameterValueProblem(productTypeId: number, key: string, value: string): string | undefined {
  return checkValue(parameterOf(productTypeId, key), value)?.replace(/^Parameter id \d+ \([^)]*\) /, "");
}

/** Rewrites "Parameter id N" in an API message to the parameter's label, as Fortinet's clients do. */
export function nameParametersInMessage(message: string): string {
  return message.replace(/parameter id (\d+)(?: \([^)]*\))?/gi, (match, id: string) => {
    const spec = parameterById(Number(id));
    return spec ? `parameter "${spec.label}" (id ${id})` : match;
  });
}

/**
 * A product's parameters in a comparable form: "NONE" placeholders and read-only parameters dropped,
 * defaults filled in, so that what was sent and what the API reports compare equal.
 */
export function normalizeParameters(productTypeId: number, parameters: readonly ParameterValue[]): ParameterValue[] {
  const product = productTypeById(productTypeId);
  const specOf = (id: number) => product?.parameters.find((p) => p.id === id);
  const result = parameters.filter((p) => p.value !== "NONE" && !specOf(p.id)?.readOnly).map((p) => ({ id: p.id, value: String(p.value) }));
  for (const spec of product?.parameters ?? []) {
    if (spec.kind !== "list" && !spec.readOnly && spec.defaultValue !== undefined && spec.defaultValue !== "NONE" && !result.some((p) => p.id === spec.id)) {
      result.push({ id: spec.id, value: spec.defaultValue });
    }
  }
  return result;
}
