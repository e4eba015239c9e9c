import { productTypeById, type ParameterValue } from "../spec/product-catalog";

/**
 * Daily point rates of the simulator. Fortinet does not publish its per-product rates, so these figures
 * are INVENTED: plausible in size (a 2-vCPU UTP FortiGate costs a few points a day) and fractional like
 * the real reports, but never Fortinet's price list.
 */
const FGT_PACKAGE_RATE_PER_CPU: Record<string, number> = { FC: 1.17, UTP: 2.45, ENT: 3.11, ATP: 2.03 };

export function dailyRate(productTypeId: number, parameters: readonly ParameterValue[]): number {
  const values = (id: number) => parameters.filter((p) => p.id === id && p.value !== "NONE").map((p) => p.value);
  const num = (id: number, fallback = 0) => Number(values(id)[0] ?? fallback);
  let rate: number;
  switch (productTypeId) {
    case 1: {
      const cpu = num(1, 1);
      rate = cpu * (FGT_PACKAGE_RATE_PER_CPU[values(2)[0]] ?? 1) + num(10) * 0.05 + values(43).length * 0.31 + values(44).length * 0.27;
      if (values(45).includes("FGTFCELU")) rate += cpu * 0.49;
      break;
    }
    case 4:
      rate = num(6, 1) * 0.83 + values(7).length * 0.29 + values(12).length * 0.25 + num(11) * 0.05;
      break;
    default: {
      // Other products: a base charge plus a small share of every numeric parameter.
      const product = productTypeById(productTypeId);
      rate = 3.5 + (product?.parameters ?? []).filter((p) => p.kind === "int").reduce((sum, p) => sum + num(p.id) * 0.01, 0);
    }
  }
  return Math.round(rate * 100) / 100;
}
