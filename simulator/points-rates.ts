import type { GivenParameter } from "./parameter-check";
import { simProduct } from "./product-parameters";

/**
 * Daily point rates of the simulator. Fortinet does not publish its per-product rates, so these figures
 * are INVENTED: plausible in size (a 2-vCPU UTP FortiGate costs a few points a day) and fractional like
 * the real reports, but never Fortinet's price list.
 */
const FGT_PACKAGE_RATE_PER_CPU: Record<string, number> = { FC: 1.17, UTP: 2.45, ENT: 3.11, ATP: 2.03 };

/** Parameter ids of the FortiGate VM products (the simulator's table). */
const BUNDLE = { cpu: 1, servicePackage: 2, vdoms: 10, fortiGuardServices: 43, cloudServices: 44, supportService: 45 };
const LCS = { cpu: 6, fortiGuardServices: 7, vdoms: 11, cloudServices: 12 };

export function dailyRate(productTypeId: number, parameters: readonly GivenParameter[]): number {
  const values = (id: number) => parameters.filter((p) => p.id === id && p.value !== "NONE").map((p) => p.value);
  const num = (id: number, fallback = 0) => Number(values(id)[0] ?? fallback);
  let rate: number;
  switch (productTypeId) {
    case 1: {
      const cpu = num(BUNDLE.cpu, 1);
      rate =
        cpu * (FGT_PACKAGE_RATE_PER_CPU[values(BUNDLE.servicePackage)[0]] ?? 1) +
        num(BUNDLE.vdoms) * 0.05 +
        values(BUNDLE.fortiGuardServices).length * 0.31 +
        values(BUNDLE.cloudServices).length * 0.27;
      if (values(BUNDLE.supportService).includes("FGTFCELU")) rate += cpu * 0.49;
      break;
    }
    case 4:
      rate = num(LCS.cpu, 1) * 0.83 + values(LCS.fortiGuardServices).length * 0.29 + values(LCS.cloudServices).length * 0.25 + num(LCS.vdoms) * 0.05;
      break;
    default: {
      // Other products: a base charge plus a small share of every numeric parameter.
      const counts = (simProduct(productTypeId)?.parameters ?? []).filter((p) => p.rule.kind === "count");
      rate = 3.5 + counts.reduce((sum, p) => sum + num(p.id) * 0.01, 0);
    }
  }
  return Math.round(rate * 100) / 100;
}
