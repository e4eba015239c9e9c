import { findParameterProblems, productTypeById, type ParameterValue } from "../spec/product-catalog";

/** FortiGate VM service bundle packages. */
export enum FortiGateServicePackage {
  /** FortiCare Premium only. */
  FORTICARE = "FC",
  /** Unified Threat Protection. */
  UTP = "UTP",
  /** Enterprise Protection. */
  ENTERPRISE = "ENT",
  /** Advanced Threat Protection. */
  ATP = "ATP",
}

/** FortiGuard services that can be added to a FortiGate VM service bundle. */
export enum FortiGateBundleFortiGuardService {
  ADVANCED_MALWARE_PROTECTION = "FGTAVDB",
  AI_INLINE_SANDBOX = "FGTFAIS",
  OT_SECURITY = "FGTISSS",
  DATA_LOSS_PREVENTION = "FGTDLDB",
  ATTACK_SURFACE_SECURITY = "FGTFGSA",
}

/** Cloud services that can be added to a FortiGate VM service bundle. */
export enum FortiGateBundleCloudService {
  CLOUD_MANAGEMENT = "FGTFAMS",
  SDWAN_UNDERLAY = "FGTSWNM",
  SOC_AS_A_SERVICE = "FGTSOCA",
  FORTIANALYZER_CLOUD = "FGTFAZC",
  OVERLAY_AS_A_SERVICE = "FGTSWOS",
  FORTISASE_CONNECTOR = "FGTFSPA",
}

/** Support add-on of a FortiGate VM service bundle. */
export enum FortiGateBundleSupportService {
  NONE = "NONE",
  FORTICARE_ELITE_UPGRADE = "FGTFCELU",
}

/** FortiGuard services of FortiGate VM a-la-carte. */
export enum FortiGateLcsFortiGuardService {
  IPS = "IPS",
  ADVANCED_MALWARE_PROTECTION = "AVDB",
  URL_DNS_VIDEO_FILTERING = "FURLDNS",
  ATTACK_SURFACE_SECURITY = "FGSA",
  OT_SECURITY = "ISSS",
  DATA_LOSS_PREVENTION = "DLDB",
  AI_INLINE_SANDBOX = "FAIS",
}

/** Support service of FortiGate VM a-la-carte. */
export enum FortiGateLcsSupportService {
  FORTICARE_PREMIUM = "FC247",
  FORTICARE_ELITE = "ASET",
}

/** Cloud services of FortiGate VM a-la-carte. */
export enum FortiGateLcsCloudService {
  CLOUD_MANAGEMENT = "FAMS",
  SDWAN_UNDERLAY = "SWNM",
  INTERCONNECT = "AFAC",
  FORTIANALYZER_CLOUD = "FAZC",
  FORTISASE_CONNECTOR = "FSPA",
  OVERLAY_AS_A_SERVICE = "SWOS",
}

/** FortiWeb VM service packages. */
export enum FortiWebServicePackage {
  STANDARD = "FWBSTD",
  ADVANCED = "FWBADV",
  ENTERPRISE = "FWBENT",
}

/** FortiAnalyzer VM add-ons. */
export enum FortiAnalyzerAddon {
  OT_SECURITY = "FAZISSS",
  ATTACK_SURFACE_SECURITY = "FAZFGSA",
  AI_ASSISTANT = "FAZAISN",
}

export interface FortiGateVmBundleProps {
  /** vCPUs, 1-96. */
  readonly cpu: number;
  readonly servicePackage: FortiGateServicePackage;
  /** VDOMs: 0-500, at most 10 for 1 vCPU, 25 for 2-3, 50 for 4-7. @default 0 */
  readonly vdoms?: number;
  /** @default - none */
  readonly fortiGuardServices?: FortiGateBundleFortiGuardService[];
  /** @default - none */
  readonly cloudServices?: FortiGateBundleCloudService[];
  /** @default FortiGateBundleSupportService.NONE */
  readonly supportService?: FortiGateBundleSupportService;
}

export interface FortiGateVmLcsProps {
  /** vCPUs, 1-96. */
  readonly cpu: number;
  readonly supportService: FortiGateLcsSupportService;
  /** @default 0 */
  readonly vdoms?: number;
  /** @default - none */
  readonly fortiGuardServices?: FortiGateLcsFortiGuardService[];
  /** @default - none */
  readonly cloudServices?: FortiGateLcsCloudService[];
}

export interface FortiManagerVmProps {
  /** Managed devices, 1-100000. */
  readonly managedDevices: number;
  /** ADOMs, 0-100000. @default 0 */
  readonly adoms?: number;
}

export interface FortiAnalyzerVmProps {
  /** Daily log storage in GB, 5-8300. */
  readonly dailyStorageGb: number;
  /** ADOMs, 0-1200. @default 0 */
  readonly adoms?: number;
  /** @default - none */
  readonly addons?: FortiAnalyzerAddon[];
}

export interface FortiWebVmProps {
  /** vCPUs: 1, 2, 4, 8 or 16. */
  readonly cpu: number;
  readonly servicePackage: FortiWebServicePackage;
}

/** A raw parameter for `FortiFlexProduct.custom`: list parameters repeat their id once per value. */
export interface FortiFlexParameter {
  readonly id: number;
  readonly value: string;
}

/** One invalid product field: the props field it concerns and what is wrong with it. */
export interface ProductProblem {
  readonly field: string;
  readonly value: string;
  readonly message: string;
}

/**
 * A FortiFlex product type with its parameters, built through typed helpers and checked against
 * FortiFlex's tables by the configuration construct.
 */
export class FortiFlexProduct {
  static fortiGateVmBundle(props: FortiGateVmBundleProps): FortiFlexProduct {
    return new FortiFlexProduct(1, [
      [1, "cpu", [props.cpu]],
      [2, "servicePackage", [props.servicePackage]],
      [10, "vdoms", [props.vdoms ?? 0]],
      [43, "fortiGuardServices", props.fortiGuardServices ?? []],
      [44, "cloudServices", props.cloudServices ?? []],
      [45, "supportService", [props.supportService ?? FortiGateBundleSupportService.NONE]],
    ]);
  }

  static fortiGateVmLcs(props: FortiGateVmLcsProps): FortiFlexProduct {
    return new FortiFlexProduct(4, [
      [6, "cpu", [props.cpu]],
      [7, "fortiGuardServices", props.fortiGuardServices ?? []],
      [8, "supportService", [props.supportService]],
      [11, "vdoms", [props.vdoms ?? 0]],
      [12, "cloudServices", props.cloudServices ?? []],
    ]);
  }

  static fortiManagerVm(props: FortiManagerVmProps): FortiFlexProduct {
    return new FortiFlexProduct(2, [
      [30, "managedDevices", [props.managedDevices]],
      [9, "adoms", [props.adoms ?? 0]],
    ]);
  }

  static fortiAnalyzerVm(props: FortiAnalyzerVmProps): FortiFlexProduct {
    return new FortiFlexProduct(7, [
      [21, "dailyStorageGb", [props.dailyStorageGb]],
      [22, "adoms", [props.adoms ?? 0]],
      [23, "supportService", ["FAZFC247"]],
      [58, "addons", props.addons ?? []],
    ]);
  }

  static fortiWebVm(props: FortiWebVmProps): FortiFlexProduct {
    return new FortiFlexProduct(3, [
      [4, "cpu", [props.cpu]],
      [5, "servicePackage", [props.servicePackage]],
    ]);
  }

  /** Escape hatch: any product type id with raw parameters (still validated where the tables know it). */
  static custom(productTypeId: number, parameters: FortiFlexParameter[]): FortiFlexProduct {
    const ids = [...new Set(parameters.map((p) => p.id))];
    return new FortiFlexProduct(productTypeId, ids.map((id) => [id, `parameters[id=${id}]`, parameters.filter((p) => p.id === id).map((p) => p.value)]));
  }

  /** The parameters as the API takes them: one entry per value, empty lists as "NONE". */
  readonly parameters: FortiFlexParameter[];
  private readonly fieldById: Map<number, string>;

  private constructor(readonly productTypeId: number, fields: [number, string, (string | number)[]][]) {
    this.fieldById = new Map(fields.map(([id, field]) => [id, field]));
    this.parameters = fields.flatMap(([id, , values]) => (values.length ? values.map((v) => ({ id, value: String(v) })) : [{ id, value: "NONE" }]));
  }

  /** The product type's FortiFlex name, e.g. "FGT_VM_Bundle". */
  get productTypeName(): string {
    return productTypeById(this.productTypeId)?.name ?? `product type ${this.productTypeId}`;
  }

  /** The vCPU count for FortiGate VM products, else undefined. */
  get cpu(): number | undefined {
    const id = this.productTypeId === 1 ? 1 : this.productTypeId === 4 ? 6 : undefined;
    const value = this.parameters.find((p) => p.id === id)?.value;
    return value === undefined ? undefined : Number(value);
  }

  /** Problems against FortiFlex's product tables, named by the props field they concern. */
  problems(): ProductProblem[] {
    return findParameterProblems(this.productTypeId, this.parameters as ParameterValue[]).map((p) => {
      const field = p.id === undefined ? "productTypeId" : this.fieldById.get(p.id) ?? `parameters[id=${p.id}]`;
      const values = p.id === undefined ? String(this.productTypeId) : this.parameters.filter((x) => x.id === p.id).map((x) => x.value).join(",");
      return { field, value: values, message: p.message.replace(/^Parameter id \d+ (\([^)]*\) )?/, "") };
    });
  }
}
