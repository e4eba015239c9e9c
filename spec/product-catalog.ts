/**
 * FortiFlex product types and their configuration parameters (API v2), after the tables in Fortinet's
 * Terraform provider and Ansible collection. One source of truth for the constructs (synth-time
 * validation), the client (error messages that name parameters) and the simulator (server-side checks).
 *
 * API-side parameter `name` strings are only known for CPU, SERVICEPACK and VDOM; the others are
 * plausible upper-case names (INFERRED).
 */

export type ParameterKind = "int" | "choice" | "list";

export interface ParameterSpec {
  readonly id: number;
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
  /** Allowed values for choice and list parameters (and discrete int parameters). */
  readonly values?: readonly string[];
  /** Value used when the parameter is omitted. */
  readonly defaultValue?: string;
  /** Reported by the API but never sent by clients. */
  readonly readOnly?: boolean;
}

export interface ProductTypeSpec {
  readonly id: number;
  readonly name: string;
  readonly label: string;
  /** VM products get tokens; cloud and hardware products do not. */
  readonly form: "vm" | "hardware" | "cloud";
  readonly parameters: readonly ParameterSpec[];
}

const int = (id: number, apiName: string, label: string, min: number, max: number, required: boolean, extra: Partial<ParameterSpec> = {}): ParameterSpec =>
  ({ id, apiName, label, kind: "int", min, max, required, ...extra });
const choice = (id: number, apiName: string, label: string, values: string[], required: boolean, extra: Partial<ParameterSpec> = {}): ParameterSpec =>
  ({ id, apiName, label, kind: "choice", values, required, ...extra });
const list = (id: number, apiName: string, label: string, values: string[]): ParameterSpec =>
  ({ id, apiName, label, kind: "list", values, required: false });

const POWERS_OF_TWO_TO_16 = ["1", "2", "4", "8", "16"];
const POWERS_OF_TWO_TO_32 = [...POWERS_OF_TWO_TO_16, "32"];

export const PRODUCT_TYPES: readonly ProductTypeSpec[] = [
  {
    id: 1, name: "FGT_VM_Bundle", label: "FortiGate Virtual Machine - Service Bundle", form: "vm",
    parameters: [
      int(1, "CPU", "CPU count", 1, 96, true),
      choice(2, "SERVICEPACK", "service package", ["FC", "UTP", "ENT", "ATP"], true),
      int(10, "VDOM", "VDOM count", 0, 500, false, { defaultValue: "0" }),
      list(43, "FORTIGUARDSERVICES", "FortiGuard services", ["FGTAVDB", "FGTFAIS", "FGTISSS", "FGTDLDB", "FGTFGSA"]),
      list(44, "CLOUDSERVICES", "cloud services", ["FGTFAMS", "FGTSWNM", "FGTSOCA", "FGTFAZC", "FGTSWOS", "FGTFSPA"]),
      choice(45, "SUPPORTSERVICE", "support service", ["FGTFCELU", "NONE"], false, { defaultValue: "NONE" }),
    ],
  },
  {
    id: 2, name: "FMG_VM", label: "FortiManager Virtual Machine", form: "vm",
    parameters: [
      int(30, "DEVICES", "managed devices", 1, 100000, true),
      int(9, "ADOM", "ADOM count", 0, 100000, true),
    ],
  },
  {
    id: 3, name: "FWB_VM", label: "FortiWeb Virtual Machine - Service Bundle", form: "vm",
    parameters: [
      choice(4, "CPU", "CPU count", POWERS_OF_TWO_TO_16, true),
      choice(5, "SERVICEPACK", "service package", ["FWBSTD", "FWBADV", "FWBENT"], true),
    ],
  },
  {
    id: 4, name: "FGT_VM_LCS", label: "FortiGate Virtual Machine - A La Carte Services", form: "vm",
    parameters: [
      int(6, "CPU", "CPU count", 1, 96, true),
      list(7, "FORTIGUARDSERVICES", "FortiGuard services", ["IPS", "AVDB", "FURLDNS", "FGSA", "ISSS", "DLDB", "FAIS", "FURL", "IOTH"]),
      choice(8, "SUPPORTSERVICE", "support service", ["FC247", "ASET"], true),
      int(11, "VDOM", "VDOM count", 0, 500, true),
      list(12, "CLOUDSERVICES", "cloud services", ["FAMS", "SWNM", "AFAC", "FAZC", "FSPA", "SWOS", "FMGC"]),
    ],
  },
  {
    id: 5, name: "FC_EMS_OP", label: "FortiClient EMS On-Prem", form: "vm",
    parameters: [
      int(13, "ZTNA", "ZTNA endpoints", 0, 25000, true),
      int(14, "EPP", "EPP/ZTNA endpoints", 0, 25000, true),
      int(15, "CHROMEBOOK", "Chromebook endpoints", 0, 25000, true),
      choice(16, "SUPPORTSERVICE", "support service", ["FCTFC247"], true),
      list(36, "ADDONS", "add-ons", ["BPS"]),
    ],
  },
  {
    id: 7, name: "FAZ_VM", label: "FortiAnalyzer Virtual Machine", form: "vm",
    parameters: [
      int(21, "STORAGE", "daily storage (GB)", 5, 8300, true),
      int(22, "ADOM", "ADOM count", 0, 1200, true),
      choice(23, "SUPPORTSERVICE", "support service", ["FAZFC247"], true),
      list(58, "ADDONS", "add-ons", ["FAZISSS", "FAZFGSA", "FAZAISN"]),
    ],
  },
  {
    id: 8, name: "FPC_VM", label: "FortiPortal Virtual Machine", form: "vm",
    parameters: [int(24, "DEVICES", "managed devices", 0, 100000, true)],
  },
  {
    id: 9, name: "FAD_VM", label: "FortiADC Virtual Machine", form: "vm",
    parameters: [
      choice(25, "CPU", "CPU count", POWERS_OF_TWO_TO_32, true),
      choice(26, "SERVICEPACK", "service package", ["FDVFC247", "FDVNET", "FDVAPP", "FDVAI"], true),
    ],
  },
  {
    id: 10, name: "FORTISOAR_VM", label: "FortiSOAR Virtual Machine", form: "vm",
    parameters: [
      choice(69, "SERVICEPACK", "service package", ["FSRE", "FSRM", "FSRD", "FSRR"], true),
      int(70, "USERS", "additional users", 0, 1000, false, { defaultValue: "0" }),
      list(71, "ADDONS", "add-ons", ["FSRTIMS"]),
    ],
  },
  {
    id: 11, name: "FORTIMAIL_VM", label: "FortiMail Virtual Machine", form: "vm",
    parameters: [
      choice(73, "CPU", "CPU count", POWERS_OF_TWO_TO_32, true),
      choice(74, "SERVICEPACK", "service package", ["FMLBASE", "FMLATP"], true),
      list(75, "ADDONS", "add-ons", ["FMLFEMS", "FMLFCAS", "FMLFEOP", "FMLFEEC"]),
    ],
  },
  {
    id: 12, name: "FORTINAC_VM", label: "FortiNAC Virtual Machine", form: "vm",
    parameters: [
      choice(77, "SERVICEPACK", "service package", ["FNCPLUS", "FNCPRO"], true),
      int(78, "ENDPOINTS", "endpoints", 25, 100000, true),
      choice(79, "SUPPORTSERVICE", "support service", ["FNCFC247"], true),
    ],
  },
  {
    id: 205, name: "FORTISASE", label: "FortiSASE", form: "cloud",
    parameters: [
      int(48, "USERS", "users", 50, 50000, true),
      choice(49, "SERVICEPACK", "service package", ["FSASESTD", "FSASEADV", "FSASECOM"], true),
      int(50, "BANDWIDTH", "bandwidth (Mbps)", 0, 10000, false, { defaultValue: "0", step: 25 }),
      int(51, "DEDICATEDIPS", "dedicated IPs", 0, 65534, false, { defaultValue: "0" }),
      int(59, "COMPUTEREGION", "additional compute regions", 0, 16, false, { defaultValue: "0" }),
      int(72, "LOCATIONS", "SD-WAN on-ramp locations", 0, 8, false, { defaultValue: "0" }),
    ],
  },
  {
    id: 206, name: "FORTIEDR", label: "FortiEDR MSSP", form: "cloud",
    parameters: [
      choice(46, "SERVICEPACK", "service package", ["FEDRPDR"], true),
      int(47, "ENDPOINTS", "endpoints", 0, 1000000, false, { readOnly: true }),
      list(52, "ADDONS", "add-ons", ["FEDRXDR"]),
      int(76, "REPOSITORYSTORAGE", "repository storage", 0, 30720, false, { defaultValue: "0" }),
    ],
  },
  {
    id: 209, name: "SIEM_CLOUD", label: "FortiSIEM Cloud", form: "cloud",
    parameters: [
      int(66, "COMPUTEUNITS", "compute units", 10, 600, true, { step: 10 }),
      int(67, "ONLINESTORAGE", "additional online storage", 500, 60000, false, { step: 500, defaultValue: "500" }),
      int(68, "ARCHIVESTORAGE", "archive storage", 0, 60000, false, { step: 500, defaultValue: "0" }),
    ],
  },
];

/** VDOM ceilings by vCPU count for FortiGate VM (FortiFlex "Service offerings" page). */
export function maxVdomsForCpu(cpu: number): number {
  if (cpu <= 1) return 10;
  if (cpu <= 3) return 25;
  if (cpu <= 7) return 50;
  return 500;
}

const BY_ID = new Map(PRODUCT_TYPES.map((p) => [p.id, p]));
const PARAMETER_BY_ID = new Map<number, ParameterSpec>();
for (const product of PRODUCT_TYPES) for (const p of product.parameters) PARAMETER_BY_ID.set(p.id, p);

export function productTypeById(id: number): ProductTypeSpec | undefined {
  return BY_ID.get(id);
}

export function parameterById(id: number): ParameterSpec | undefined {
  return PARAMETER_BY_ID.get(id);
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
  const problems: ParameterProblem[] = [];
  const seen = new Map<number, string[]>();
  for (const entry of parameters) {
    const spec = product.parameters.find((p) => p.id === entry.id);
    if (!spec) {
      problems.push({ id: entry.id, message: `Parameter id ${entry.id} does not belong to product type ${product.name} (allowed ids: ${product.parameters.map((p) => p.id).join(", ")})` });
      continue;
    }
    seen.set(entry.id, [...(seen.get(entry.id) ?? []), String(entry.value)]);
  }
  for (const spec of product.parameters) {
    const values = seen.get(spec.id);
    if (!values) {
      if (spec.required) problems.push({ id: spec.id, message: `Parameter id ${spec.id} (${spec.label}) is required for ${product.name}` });
      continue;
    }
    if (spec.kind !== "list" && values.length > 1) {
      problems.push({ id: spec.id, message: `Parameter id ${spec.id} (${spec.label}) takes one value, got ${values.length}` });
      continue;
    }
    for (const value of values) {
      const problem = checkValue(spec, value);
      if (problem) problems.push({ id: spec.id, message: problem });
    }
    if (spec.kind === "list" && values.includes("NONE") && values.length > 1) {
      problems.push({ id: spec.id, message: `Parameter id ${spec.id} (${spec.label}): "NONE" cannot be combined with other values` });
    }
  }
  if (product.id === 1) {
    const cpu = Number(seen.get(1)?.[0]);
    const vdom = Number(seen.get(10)?.[0] ?? "0");
    if (Number.isInteger(cpu) && Number.isInteger(vdom) && cpu >= 1 && vdom > maxVdomsForCpu(cpu)) {
      problems.push({ id: 10, message: `Parameter id 10 (VDOM count) value ${vdom} exceeds the maximum of ${maxVdomsForCpu(cpu)} for ${cpu} CPU(s)` });
    }
  }
  return problems;
}

function checkValue(spec: ParameterSpec, value: string): string | undefined {
  if (spec.kind === "int") {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) {
      return `Parameter id ${spec.id} (${spec.label}) value "${value}" is not an integer (allowed: ${spec.min}-${spec.max})`;
    }
    if (n < (spec.min ?? -Infinity) || n > (spec.max ?? Infinity)) {
      return `Parameter id ${spec.id} (${spec.label}) value ${n} is out of range (allowed: ${spec.min}-${spec.max})`;
    }
    if (spec.step && n !== 0 && n % spec.step !== 0) {
      return `Parameter id ${spec.id} (${spec.label}) value ${n} must be a multiple of ${spec.step}`;
    }
    return undefined;
  }
  const allowed = spec.kind === "list" ? [...(spec.values ?? []), "NONE"] : spec.values ?? [];
  if (!allowed.includes(value)) {
    return `Parameter id ${spec.id} (${spec.label}) value "${value}" is not allowed (allowed: ${allowed.join(", ")})`;
  }
  return undefined;
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
