import {
  FAZ_ADDONS,
  FAZ_SUPPORT_SERVICES,
  FGT_BUNDLE_CLOUD_SERVICES,
  FGT_BUNDLE_FORTIGUARD_SERVICES,
  FGT_BUNDLE_SERVICE_PACKAGES,
  FGT_BUNDLE_SUPPORT_SERVICES,
  FGT_LCS_CLOUD_SERVICES,
  FGT_LCS_FORTIGUARD_SERVICES,
  FGT_LCS_SUPPORT_SERVICES,
  FWB_SERVICE_PACKAGES,
  findParameterProblems,
  parameterOf,
  PRODUCT_TYPE_IDS,
  productTypeById,
  type ProductForm,
} from "../contract/product-catalog";

export type { ProductForm };

// The codes of each choice, named: the catalog's own objects (contract/product-catalog.ts), so each is written once.
// Each type is its object's codes, spelled out rather than through a helper type the API reference would lack.

/** FortiGate VM service bundle packages: FortiCare Premium only, Unified Threat Protection, Enterprise, Advanced Threat Protection. */
export const FortiGateServicePackage = FGT_BUNDLE_SERVICE_PACKAGES;
export type FortiGateServicePackage = (typeof FortiGateServicePackage)[keyof typeof FortiGateServicePackage];
/** FortiGuard services that can be added to a FortiGate VM service bundle. */
export const FortiGateBundleFortiGuardService = FGT_BUNDLE_FORTIGUARD_SERVICES;
export type FortiGateBundleFortiGuardService = (typeof FortiGateBundleFortiGuardService)[keyof typeof FortiGateBundleFortiGuardService];
/** Cloud services that can be added to a FortiGate VM service bundle. */
export const FortiGateBundleCloudService = FGT_BUNDLE_CLOUD_SERVICES;
export type FortiGateBundleCloudService = (typeof FortiGateBundleCloudService)[keyof typeof FortiGateBundleCloudService];
/** Support add-on of a FortiGate VM service bundle. */
export const FortiGateBundleSupportService = FGT_BUNDLE_SUPPORT_SERVICES;
export type FortiGateBundleSupportService = (typeof FortiGateBundleSupportService)[keyof typeof FortiGateBundleSupportService];
/** FortiGuard services of FortiGate VM a-la-carte. */
export const FortiGateLcsFortiGuardService = FGT_LCS_FORTIGUARD_SERVICES;
export type FortiGateLcsFortiGuardService = (typeof FortiGateLcsFortiGuardService)[keyof typeof FortiGateLcsFortiGuardService];
/** Support service of FortiGate VM a-la-carte. */
export const FortiGateLcsSupportService = FGT_LCS_SUPPORT_SERVICES;
export type FortiGateLcsSupportService = (typeof FortiGateLcsSupportService)[keyof typeof FortiGateLcsSupportService];
/** Cloud services of FortiGate VM a-la-carte. */
export const FortiGateLcsCloudService = FGT_LCS_CLOUD_SERVICES;
export type FortiGateLcsCloudService = (typeof FortiGateLcsCloudService)[keyof typeof FortiGateLcsCloudService];
/** FortiWeb VM service packages. */
export const FortiWebServicePackage = FWB_SERVICE_PACKAGES;
export type FortiWebServicePackage = (typeof FortiWebServicePackage)[keyof typeof FortiWebServicePackage];
/** FortiAnalyzer VM add-ons. */
export const FortiAnalyzerAddon = FAZ_ADDONS;
export type FortiAnalyzerAddon = (typeof FortiAnalyzerAddon)[keyof typeof FortiAnalyzerAddon];

/** Parameters of a FortiGate VM service bundle (`FortiFlexProduct.fortiGateVmBundle`). */
export interface FortiGateVmBundleProps {
  /** vCPUs, 1-96. */
  readonly cpu: number;
  /** FortiCare only, UTP, Enterprise or ATP. */
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

/** Parameters of FortiGate VM a-la-carte services (`FortiFlexProduct.fortiGateVmLcs`). */
export interface FortiGateVmLcsProps {
  /** vCPUs, 1-96. */
  readonly cpu: number;
  /** FortiCare Premium or Elite. */
  readonly supportService: FortiGateLcsSupportService;
  /** @default 0 */
  readonly vdoms?: number;
  /** @default - none */
  readonly fortiGuardServices?: FortiGateLcsFortiGuardService[];
  /** @default - none */
  readonly cloudServices?: FortiGateLcsCloudService[];
}

/** Parameters of a FortiManager VM (`FortiFlexProduct.fortiManagerVm`). */
export interface FortiManagerVmProps {
  /** Managed devices, 1-100000. */
  readonly managedDevices: number;
  /** ADOMs, 0-100000. @default 0 */
  readonly adoms?: number;
}

/** Parameters of a FortiAnalyzer VM (`FortiFlexProduct.fortiAnalyzerVm`); its support is always FortiCare Premium. */
export interface FortiAnalyzerVmProps {
  /** Daily log storage in GB, 5-8300. */
  readonly dailyStorageGb: number;
  /** ADOMs, 0-1200. @default 0 */
  readonly adoms?: number;
  /** @default - none */
  readonly addons?: FortiAnalyzerAddon[];
}

/** Parameters of a FortiWeb VM service bundle (`FortiFlexProduct.fortiWebVm`). */
export interface FortiWebVmProps {
  /** vCPUs: 1, 2, 4, 8 or 16. */
  readonly cpu: number;
  /** Standard, Advanced or Enterprise. */
  readonly servicePackage: FortiWebServicePackage;
}

/** A raw parameter for `FortiFlexProduct.custom`: list parameters repeat their id once per value. */
export interface FortiFlexParameter {
  /** The parameter id (the catalog's, or FortiFlex's for a product it lacks). */
  readonly id: number;
  /** One value, as text. */
  readonly value: string;
}

/** One invalid product field: the props field it concerns and what is wrong with it. */
export interface ProductProblem {
  /** The props field, e.g. "cpu". */
  readonly field: string;
  /** The bad value, as text. */
  readonly value: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/**
 * A FortiFlex product type with its parameters, built through typed helpers and checked against
 * FortiFlex's tables by the configuration construct.
 */
export class FortiFlexProduct {
  /** A FortiGate VM service bundle (FGT_VM_Bundle): a service package with optional add-ons. */
  static fortiGateVmBundle(props: FortiGateVmBundleProps): FortiFlexProduct {
    return FortiFlexProduct.fromCatalog(PRODUCT_TYPE_IDS.FGT_VM_Bundle, {
      cpu: props.cpu,
      servicePackage: props.servicePackage,
      vdoms: props.vdoms,
      fortiGuardServices: props.fortiGuardServices,
      cloudServices: props.cloudServices,
      supportService: props.supportService,
    });
  }

  /** FortiGate VM with a-la-carte services (FGT_VM_LCS): support plus each FortiGuard and cloud service chosen on its own. */
  static fortiGateVmLcs(props: FortiGateVmLcsProps): FortiFlexProduct {
    return FortiFlexProduct.fromCatalog(PRODUCT_TYPE_IDS.FGT_VM_LCS, {
      cpu: props.cpu,
      fortiGuardServices: props.fortiGuardServices,
      supportService: props.supportService,
      vdoms: props.vdoms,
      cloudServices: props.cloudServices,
    });
  }

  /** A FortiManager VM (FMG_VM). */
  static fortiManagerVm(props: FortiManagerVmProps): FortiFlexProduct {
    return FortiFlexProduct.fromCatalog(PRODUCT_TYPE_IDS.FMG_VM, { managedDevices: props.managedDevices, adoms: props.adoms });
  }

  /** A FortiAnalyzer VM (FAZ_VM), with FortiCare Premium support. */
  static fortiAnalyzerVm(props: FortiAnalyzerVmProps): FortiFlexProduct {
    return FortiFlexProduct.fromCatalog(PRODUCT_TYPE_IDS.FAZ_VM, {
      dailyStorageGb: props.dailyStorageGb,
      adoms: props.adoms,
      supportService: FAZ_SUPPORT_SERVICES.FORTICARE_PREMIUM,
      addons: props.addons,
    });
  }

  /** A FortiWeb VM service bundle (FWB_VM). */
  static fortiWebVm(props: FortiWebVmProps): FortiFlexProduct {
    return FortiFlexProduct.fromCatalog(PRODUCT_TYPE_IDS.FWB_VM, { cpu: props.cpu, servicePackage: props.servicePackage });
  }

  /**
   * Any product type by id with raw parameters: checked against the catalog where it knows the type; a
   * product the catalog does not know (yet) needs `{ validate: false }`, which sends the parameters as given
   * (only their shape is checked) and leaves their validation to FortiFlex.
   */
  static custom(productTypeId: number, parameters: FortiFlexParameter[], options: CustomProductOptions = {}): FortiFlexProduct {
    // JavaScript callers have no type check: anything but { id, value } pairs is kept as given, for problems() to name.
    const entries = Array.isArray(parameters) ? parameters : [];
    const wellFormed =
      Array.isArray(parameters) && entries.every((p) => typeof p === "object" && p !== null && (typeof p.value === "string" || typeof p.value === "number"));
    const ids = [...new Set(entries.map((p) => (typeof p === "object" && p !== null ? p.id : NaN)))];
    const fields = ids.map((id): [number, string, (string | number)[]] => [
      id,
      `parameters[id=${id}]`,
      entries.filter((p) => p?.id === id).map((p) => p.value),
    ]);
    return new FortiFlexProduct(productTypeId, fields, options?.validate !== false, wellFormed);
  }

  /**
   * A catalog product from props by the catalog's keys: ids and defaults come from the catalog (an omitted
   * list is empty, an omitted value takes the catalog's default or stays out).
   */
  private static fromCatalog(productTypeId: number, values: Record<string, string | number | readonly (string | number)[] | undefined>): FortiFlexProduct {
    const fields: [number, string, (string | number)[]][] = [];
    for (const [key, given] of Object.entries(values)) {
      const spec = parameterOf(productTypeId, key);
      const list =
        given === undefined
          ? spec.kind === "list"
            ? []
            : spec.defaultValue === undefined
              ? undefined
              : [spec.defaultValue]
          : Array.isArray(given)
            ? [...given]
            : [given as string | number];
      if (list) fields.push([spec.id, key, list]);
    }
    return new FortiFlexProduct(productTypeId, fields, true);
  }

  /** The parameters as the API takes them: one entry per value, empty lists as "NONE". */
  readonly parameters: FortiFlexParameter[];
  private readonly fieldById: Map<number, string>;

  private constructor(
    /** The FortiFlex product type id, e.g. 1 for FGT_VM_Bundle. */
    readonly productTypeId: number,
    fields: [number, string, (string | number)[]][],
    /** Whether the configuration checks the parameters against the catalog (false only for `custom(..., { validate: false })`). */
    readonly validated: boolean,
    private readonly wellFormed = true,
  ) {
    this.fieldById = new Map(fields.map(([id, field]) => [id, field]));
    this.parameters = fields.flatMap(([id, , values]) => (values.length ? values.map((v) => ({ id, value: String(v) })) : [{ id, value: "NONE" }]));
  }

  /** "vm", "hardware" or "cloud" as the catalog says; undefined for a product it does not know. */
  get form(): ProductForm | undefined {
    return productTypeById(this.productTypeId)?.form;
  }

  /** The product type's FortiFlex name, e.g. "FGT_VM_Bundle". */
  get productTypeName(): string {
    return productTypeById(this.productTypeId)?.name ?? `product type ${this.productTypeId}`;
  }

  /** The vCPU count of a product the catalog gives a CPU parameter, else undefined. */
  get cpu(): number | undefined {
    const id = productTypeById(this.productTypeId)?.parameters.find((p) => p.key === "cpu")?.id;
    const value = this.parameters.find((p) => p.id === id)?.value;
    return value === undefined ? undefined : Number(value);
  }

  /** Problems against the catalog, named by the props field they concern (only the shape when unvalidated). */
  problems(): ProductProblem[] {
    if (!this.validated || !this.wellFormed) return this.shapeProblems();
    if (!productTypeById(this.productTypeId)) {
      return [
        {
          field: "productTypeId",
          value: String(this.productTypeId),
          message: "not in this library's catalog; FortiFlexProduct.custom(id, parameters, { validate: false }) sends it unvalidated",
        },
      ];
    }
    return findParameterProblems(this.productTypeId, this.parameters).map((p) => {
      const field = p.id === undefined ? "productTypeId" : (this.fieldById.get(p.id) ?? `parameters[id=${p.id}]`);
      const values =
        p.id === undefined
          ? String(this.productTypeId)
          : this.parameters
              .filter((x) => x.id === p.id)
              .map((x) => x.value)
              .join(",");
      return { field, value: values, message: p.message.replace(/^Parameter id \d+ (\([^)]*\) )?/, "") };
    });
  }

  /** What an unvalidated product must still be: ids and values FortiFlex could take at all. */
  private shapeProblems(): ProductProblem[] {
    const problems: ProductProblem[] = [];
    if (!this.wellFormed) problems.push({ field: "parameters", value: "", message: "a list of { id, value } pairs, each value a string or a number" });
    if (!Number.isSafeInteger(this.productTypeId) || this.productTypeId < 1)
      problems.push({ field: "productTypeId", value: String(this.productTypeId), message: "a positive whole number" });
    for (const p of this.parameters) {
      if (!Number.isSafeInteger(p.id) || p.id < 1)
        problems.push({ field: `parameters[id=${p.id}]`, value: p.value, message: "parameter ids are positive whole numbers" });
      else if (!/^[A-Za-z0-9_.-]{1,64}$/.test(p.value))
        problems.push({ field: `parameters[id=${p.id}]`, value: p.value, message: "values are 1-64 letters, digits, _ . -" });
    }
    return problems;
  }
}

/** Options of `FortiFlexProduct.custom`. */
export interface CustomProductOptions {
  /**
   * Check the parameters against the catalog; false sends them as given: for a product type the catalog does
   * not know yet, or a value Fortinet added to a known one (FortiFlex then validates, and refuses what is
   * wrong at apply). @default true
   */
  readonly validate?: boolean;
}
