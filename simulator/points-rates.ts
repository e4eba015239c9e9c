import { FGT_BUNDLE_SERVICE_PACKAGES, FGT_BUNDLE_SUPPORT_SERVICES, parameterOf, productTypeById, type ParameterValue } from "../contract/product-catalog";

/**
 * Daily point rates of the simulator. Fortinet does not publish its per-product rates, so these figures
 * are INVENTED: plausible in size (a 2-vCPU UTP FortiGate costs a few points a day) and fractional like
 * the real reports, but never Fortinet's price list.
 */
const FGT_PACKAGE_RATE_PER_CPU: Record<string, number> = {
  [FGT_BUNDLE_SERVICE_PACKAGES.FORTICARE]: 1.17,
  [FGT_BUNDLE_SERVICE_PACKAGES.UTP]: 2.45,
  [FGT_BUNDLE_SERVICE_PACKAGES.ENTERPRISE]: 3.11,
  [FGT_BUNDLE_SERVICE_PACKAGES.ATP]: 2.03,
};

export function dailyRate(productTypeId: number, parameters: readonly ParameterValue[]): number {
  const values = (key: string) => parameters.filter((p) => p.id === parameterOf(productTypeId, key).id && p.value !== "NONE").map((p) => p.value);
  const num = (key: string, fallback = 0) => Number(values(key)[0] ?? fallback);
  let rate: number;
  switch (productTypeId) {
    case 1: {
      const cpu = num("cpu", 1);
      rate =
        cpu * (FGT_PACKAGE_RATE_PER_CPU[values("servicePackage")[0]] ?? 1) +
        num("vdoms") * 0.05 +
        values("fortiGuardServices").length * 0.31 +
        values("cloudServices").length * 0.27;
      if (values("supportService").includes(FGT_BUNDLE_SUPPORT_SERVICES.FORTICARE_ELITE_UPGRADE)) rate += cpu * 0.49;
      break;
    }
    case 4:
      rate = num("cpu", 1) * 0.83 + values("fortiGuardServices").length * 0.29 + values("cloudServices").length * 0.25 + num("vdoms") * 0.05;
      break;
    default: {
      // Other products: a base charge plus a small share of every numeric parameter.
      const product = productTypeById(productTypeId);
      rate = 3.5 + (product?.parameters ?? []).filter((p) => p.kind === "int" && !p.readOnly).reduce((sum, p) => sum + num(p.key) * 0.01, 0);
    }
  }
  return Math.round(rate * 100) / 100;
}
