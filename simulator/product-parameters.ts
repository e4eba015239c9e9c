/**
 * The simulated FortiFlex's own table of product types and configuration parameters, written from the
 * research notes (`fortiflex-api-facts.md` section 4: 4.1 product ids, 4.2 parameter ids and ranges, 4.3 extra
 * rules, 4.4 hardware models; section 10 for VDOM ceilings), never from the library's catalog
 * (contract/product-catalog.ts): the two are compared by a test, so an entry wrong on one side shows.
 *
 * How the notes' conflicts are read, once for all entries:
 * - the allowed values are the 4.2 table's (Ansible `settings.py`), refined by 4.3;
 * - a code any source calls "no longer available" is refused as retired, even where the 4.2 table still lists it;
 * - a code some source lists as current and none retires is accepted (FGTFCSS); codes the notes call "older" are not;
 * - "required" is the 4.2 column, or Terraform's where the notes say it differs; where the column is empty the
 *   product's service package and size are taken as required (INFERRED);
 * - only facts the notes do not flag UNVERIFIED are enforced.
 */

export type SimProductForm = "vm" | "hardware" | "cloud";

/** What a parameter accepts. */
export type SimRule =
  /** A whole number in a range, optionally "0 or min-max", optionally a multiple of `step`. */
  | { readonly kind: "count"; readonly min: number; readonly max: number; readonly step?: number; readonly orZero?: boolean }
  /** One code of a list. */
  | { readonly kind: "one"; readonly codes: readonly string[] }
  /** Any number of codes of a list, one entry per code; "NONE" alone stands for none. */
  | { readonly kind: "many"; readonly codes: readonly string[] }
  /** A hardware model code of Fortinet's list. */
  | { readonly kind: "model"; readonly codes: readonly string[] }
  /** Reported by FortiFlex, never set by clients. */
  | { readonly kind: "reported" };

export interface SimParameter {
  readonly id: number;
  /** The Terraform provider's attribute (4.2): the simulator's names and labels come from it. */
  readonly attribute: string;
  readonly rule: SimRule;
  readonly required: boolean;
  /** Stored when the parameter is omitted. */
  readonly default?: string;
  /** Codes refused as no longer available, with what they were (the code itself where the notes do not say). */
  readonly retired?: Readonly<Record<string, string>>;
}

export interface SimProduct {
  readonly id: number;
  readonly name: string;
  readonly form: SimProductForm;
  readonly parameters: readonly SimParameter[];
}

interface Extra {
  readonly optional?: boolean;
  readonly default?: string;
  readonly step?: number;
  readonly orZero?: boolean;
  readonly retired?: Record<string, string>;
}

const count = (id: number, attribute: string, min: number, max: number, extra: Extra = {}): SimParameter => ({
  id,
  attribute,
  rule: { kind: "count", min, max, ...(extra.step ? { step: extra.step } : {}), ...(extra.orZero ? { orZero: true } : {}) },
  required: !extra.optional,
  ...(extra.default === undefined ? {} : { default: extra.default }),
});
const one = (id: number, attribute: string, codes: string, extra: Extra = {}): SimParameter => ({
  id,
  attribute,
  rule: { kind: "one", codes: words(codes) },
  required: !extra.optional,
  ...(extra.default === undefined ? {} : { default: extra.default }),
  ...(extra.retired ? { retired: extra.retired } : {}),
});
const many = (id: number, attribute: string, codes: string, extra: Extra = {}): SimParameter => ({
  id,
  attribute,
  rule: { kind: "many", codes: words(codes) },
  required: false,
  default: "NONE",
  ...(extra.retired ? { retired: extra.retired } : {}),
});
const model = (id: number, attribute: string, codes: readonly string[]): SimParameter => ({ id, attribute, rule: { kind: "model", codes }, required: true });
const reported = (id: number, attribute: string): SimParameter => ({ id, attribute, rule: { kind: "reported" }, required: false });

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Powers of two as codes ("1", "2", "4", ...), the CPU sizes of 4.2. */
const cpus = (largest: number): string =>
  words("1 2 4 8 16 32 64")
    .filter((v) => Number(v) <= largest)
    .join(" ");

/** FortiWeb Cloud average throughput in Mbps (4.3): 10 is offered on private clouds only. */
const THROUGHPUTS =
  "10 25 50 75 100 150 200 250 300 350 400 450 500 600 700 800 900 1000 " +
  "1500 2000 2500 3000 3500 4000 4500 5000 5500 6000 6500 7000 7500 8000 8500 9000 9500 10000";

// Hardware models (4.4).
const FGT_HW_MODELS = words(`
  FGT40F FGT60F FGT70F FGT80F FG100F FGT60E FGT61F FG100E FG101F FG200E FG200F FG201F FG4H0F FG6H0F FWF40F FWF60F
  FGR60F FR70FB FGT81F FG101E FG4H1F FG1K0F FG180F F2K60F FG3K0F FG3K1F FG3K2F FG40FI FW40FI FWF61F FR60FI FGT71F
  FG80FP FG80FB FG80FD FWF80F FW80FS FWF81F FW81FS FW81FD FW81FP FG81FP FGT90G FGT91G FG201E FG4H0E FG4HBE FG4H1E
  FD4H1E FG6H0E FG6H1E FG6H1F FG9H0G FG9H1G FG1K1F FG181F FG3K7F FG39E6 FG441F FGR35D FR70FM FG60EV FG60EP FGT61E
  FGT80E FG80EP FGT81E FG81EP FGT90E FGT91E FG3H0E FG3H1E FG10E0 FD10E0 FG10E1 FD180F FD181F FG2K2E FG22E1 FD260F
  F2K61F FD261F FD3K0F FD3K1F FG32F1 FG3K3E FG33E1 FG3K4E FD3K4E FG34E1 FD34E1 FG3K5F FG35F1 FG3K6E FD3K6E FG36E1
  FG37F1 FG39E8 FGD398 FG420F FD420F FG421F FD421F FG440F FD440F FD441F FG480F FD480F FG481F FD481F FGT2KE FG2K5E
  FG120G FG121G FGT30E FG30EG FGT50E FGT51E FG60EJ FG1HEF F140EP FG5H0E FG5H1E FGD396 FWF30E FWF50E FW502R FWF51E
  FWF60E FW60EV FW60EJ FWF61E FW50GD FW50GS FG50GD FG50GS FG50GP FG51GP FG2H0G FG2H1G FGT30G FGT50G FG50G5 FGT51G
  FG51G5 FGT70G FGT71G FD9H0G FD9H1G
`);
const FAP_HW_MODELS = words(`
  FP23JF FP221E FP223E FP231F FP231G FP233G FP234F FP234G FP431F FP431G FP432F F432FR FP432G FP433F FP433G FP441K
  FP443K FP831F PU231F PU234F PU422E PU431F PU432F PU433F FP222E FP224E FP231E
`);
const FSW_HW_MODELS = words(`
  S108EN S108EF S108EP S108FN S108FF S108FP S124EN S124EF S124EP S124FN S124FF S124FP S148EN S148EP S148FN S148FF
  S148FP S224DF S224EN S224EP S248DN S248EF S248EP S424DN S424DF S424DP S424EN S424EF S424EI S424EP S448DN S448DP
  S448EN S448EF S448EP S524DN S524DF S548DN S548DF S624FN S624FF S648FN S648FF FS1D24 FS1E24 FS1D48 FS1E48 FS2F48
  FS3D32 FS3E32 S426EF ST1E24 SR12DP SR24DN SM10GF SR16FP SR24FP
`);

export const SIM_PRODUCTS: readonly SimProduct[] = [
  {
    id: 1,
    name: "FGT_VM_Bundle",
    form: "vm",
    parameters: [
      count(1, "cpu_size", 1, 96),
      one(2, "service_pkg", "FC UTP ENT ATP", { retired: { UTM: "UTM" } }),
      count(10, "vdom_num", 0, 500, { optional: true, default: "0" }),
      many(43, "fortiguard_services", "FGTAVDB FGTFAIS FGTISSS FGTDLDB FGTFGSA FGTFCSS"),
      many(44, "cloud_services", "FGTFAMS FGTSWNM FGTSOCA FGTFAZC FGTSWOS FGTFSPA"),
      // 4.3: "NONE" is the default and an allowed value.
      one(45, "support_service", "FGTFCELU NONE", { optional: true, default: "NONE" }),
    ],
  },
  {
    id: 2,
    name: "FMG_VM",
    form: "vm",
    // Id 3 is the deprecated managed-devices id: still reported, replaced by 30 for setting.
    parameters: [count(30, "managed_dev", 1, 100000), count(9, "adom_num", 0, 100000), reported(3, "managed_dev")],
  },
  { id: 3, name: "FWB_VM", form: "vm", parameters: [one(4, "cpu_size", cpus(16)), one(5, "service_pkg", "FWBSTD FWBADV FWBENT")] },
  {
    id: 4,
    name: "FGT_VM_LCS",
    form: "vm",
    parameters: [
      count(6, "cpu_size", 1, 96),
      many(7, "fortiguard_services", "IPS AVDB FURLDNS FGSA DLDB FAIS", { retired: { FURL: "FURL", IOTH: "IOTH", ISSS: "Industrial Security" } }),
      one(8, "support_service", "FC247 ASET"),
      count(11, "vdom_num", 0, 500),
      many(12, "cloud_services", "FAMS SWNM AFAC FAZC FSPA SWOS", { retired: { FMGC: "FortiManager Cloud" } }),
    ],
  },
  {
    id: 5,
    name: "FC_EMS_OP",
    form: "vm",
    parameters: [
      count(13, "ztna_num", 25, 25000, { orZero: true }),
      count(14, "epp_ztna_num", 25, 25000, { orZero: true }),
      count(15, "chromebook", 25, 25000, { orZero: true }),
      one(16, "support_service", "FCTFC247"),
      many(36, "addons", "BPS"),
    ],
  },
  {
    id: 7,
    name: "FAZ_VM",
    form: "vm",
    parameters: [
      count(21, "daily_storage", 5, 8300),
      count(22, "adom_num", 0, 1200),
      one(23, "support_service", "FAZFC247"),
      many(58, "addons", "FAZISSS FAZFGSA FAZAISN"),
    ],
  },
  { id: 8, name: "FPC_VM", form: "vm", parameters: [count(24, "managed_dev", 0, 100000)] },
  { id: 9, name: "FAD_VM", form: "vm", parameters: [one(25, "cpu_size", cpus(32)), one(26, "service_pkg", "FDVFC247 FDVNET FDVAPP FDVAI")] },
  {
    id: 10,
    name: "FORTISOAR_VM",
    form: "vm",
    parameters: [
      one(69, "service_pkg", "FSRE FSRM FSRD FSRR"),
      count(70, "additional_users_license", 0, 1000, { optional: true, default: "0" }),
      many(71, "addons", "FSRTIMS"),
    ],
  },
  {
    id: 11,
    name: "FORTIMAIL_VM",
    form: "vm",
    parameters: [one(73, "cpu_size", cpus(32)), one(74, "service_pkg", "FMLBASE FMLATP"), many(75, "addons", "FMLFEMS FMLFCAS FMLFEOP FMLFEEC")],
  },
  {
    id: 12,
    name: "FORTINAC_VM",
    form: "vm",
    parameters: [one(77, "service_pkg", "FNCPLUS FNCPRO"), count(78, "endpoints", 25, 100000), one(79, "support_service", "FNCFC247")],
  },
  {
    id: 101,
    name: "FGT_HW",
    form: "hardware",
    parameters: [
      model(27, "device_model", FGT_HW_MODELS),
      one(28, "service_pkg", "FGHWFC247 FGHWFCEL FGHWATP FGHWUTP FGHWENT FGHWFCESN"),
      many(
        29,
        "addons",
        "FGHWFCELU FGHWFAMS FGHWFAIS FGHWSWNM FGHWDLDB FGHWFAZC FGHWSOCA FGHWMGAS FGHWSPAL FGHWISSS FGHWSWOS FGHWAVDB FGHWNIDS FGHWFGSA FGHWFURL FGHWFSFG",
      ),
    ],
  },
  {
    id: 102,
    name: "FAP_HW",
    form: "hardware",
    parameters: [model(55, "device_model", FAP_HW_MODELS), one(56, "service_pkg", "FAPHWFC247 FAPHWFCEL"), many(57, "addons", "FAPHWFSFG")],
  },
  { id: 103, name: "FSW_HW", form: "hardware", parameters: [model(53, "device_model", FSW_HW_MODELS), one(54, "service_pkg", "FSWHWFC247 FSWHWFCEL")] },
  {
    id: 202,
    name: "FWBC_PRIVATE",
    form: "cloud",
    parameters: [one(32, "average_throughput", THROUGHPUTS), count(33, "web_applications", 1, 5000)],
  },
  {
    id: 203,
    name: "FWBC_PUBLIC",
    form: "cloud",
    parameters: [one(34, "average_throughput", THROUGHPUTS.replace(/^10 /, "")), count(35, "web_applications", 1, 5000)],
  },
  {
    id: 204,
    name: "FC_EMS_CLOUD",
    form: "cloud",
    parameters: [
      count(37, "ztna_num", 25, 25000, { orZero: true, step: 25 }),
      count(38, "ztna_fgf_num", 25, 25000, { orZero: true, step: 25 }),
      count(39, "epp_ztna_num", 25, 25000, { orZero: true, step: 25 }),
      count(40, "epp_ztna_fgf_num", 25, 25000, { orZero: true, step: 25 }),
      count(41, "chromebook", 25, 25000, { orZero: true, step: 25 }),
      many(42, "addons", "BPS"),
    ],
  },
  {
    id: 205,
    name: "FORTISASE",
    form: "cloud",
    parameters: [
      count(48, "users", 50, 50000),
      one(49, "service_pkg", "FSASESTD FSASEADV FSASECOM"),
      count(50, "bandwidth", 25, 10000, { optional: true, default: "0", orZero: true, step: 25 }),
      count(51, "dedicated_ips", 4, 65534, { optional: true, default: "0", orZero: true }),
      count(59, "additional_compute_region", 0, 16, { optional: true, default: "0" }),
      count(72, "locations", 0, 8, { optional: true, default: "0" }),
    ],
  },
  {
    id: 206,
    name: "FORTIEDR",
    form: "cloud",
    parameters: [
      one(46, "service_pkg", "FEDRPDR"),
      reported(47, "endpoints"),
      many(52, "addons", "FEDRXDR"),
      count(76, "repository_storage", 0, 30720, { optional: true, default: "0" }),
    ],
  },
  { id: 207, name: "FORTINDR_CLOUD", form: "cloud", parameters: [reported(60, "metered_usage")] },
  {
    id: 208,
    name: "FORTIRECON",
    form: "cloud",
    parameters: [
      one(61, "service_pkg", "FRNEASM FRNEASMBP FRNEASMBPACI"),
      count(62, "asset_num", 200, 1000000, { step: 50 }),
      count(63, "network_num", 0, 100, { optional: true }),
      count(64, "executive_num", 0, 1000, { optional: true }),
      count(65, "vendor_num", 0, 1000, { optional: true }),
    ],
  },
  {
    id: 209,
    name: "SIEM_CLOUD",
    form: "cloud",
    parameters: [
      count(66, "compute_units", 10, 600, { step: 10 }),
      count(67, "additional_online_storage", 500, 60000, { step: 500 }),
      count(68, "archive_storage", 0, 60000, { optional: true, step: 500 }),
    ],
  },
  {
    id: 211,
    name: "FORTIAPPSEC",
    form: "cloud",
    parameters: [
      many(82, "service_types", "UCWAF UCGSLB"),
      // Required when the service types include UCWAF (4.2); "NONE" stands for not set, as Terraform sends it for an unset code.
      one(83, "waf_service_pkg", "UCWAFSTD UCWAFADV UCWAFENT NONE", { optional: true, default: "NONE" }),
      many(84, "waf_addons", "UCSOCA"),
      reported(85, "throughput"),
      reported(86, "applications"),
      reported(87, "qps"),
      reported(88, "health_checks"),
    ],
  },
  {
    id: 212,
    name: "FORTIDLP",
    form: "cloud",
    parameters: [one(90, "service_pkg", "DLPSTD DLPENT DLPENTP"), count(91, "endpoints", 25, 100000), many(92, "addons", "BPS")],
  },
];

const BY_ID = new Map(SIM_PRODUCTS.map((p) => [p.id, p]));

export function simProduct(id: number): SimProduct | undefined {
  return BY_ID.get(id);
}

/** The parameter `name` the simulated API reports: the three names seen in a real answer (3.2), the others in the same style (INFERRED). */
export function reportedName(parameter: SimParameter): string {
  const seen: Record<string, string> = { cpu_size: "CPU", service_pkg: "SERVICEPACK", vdom_num: "VDOM" };
  return seen[parameter.attribute] ?? parameter.attribute.replace(/_num$/, "").replace(/_/g, "").toUpperCase();
}

/** Highest VDOM count per vCPU count of a FortiGate VM, bundle or a-la-carte (section 10). */
export function vdomCeiling(cpu: number): number {
  return cpu <= 1 ? 10 : cpu <= 3 ? 25 : cpu <= 7 ? 50 : 500;
}
