import { FortiGateServicePackage } from "../constructs/fortiflex-product";

/** Member accounts of the generated MSSP start here (clear of the simulator's seeded accounts, so the plan benchmark can add them). */
export const SYNTHETIC_ACCOUNT_BASE = 3_000_000;

/** Customer i of a generated MSSP: distinct id, subscription, account and address space. */
export function syntheticCustomer(i: number) {
  const second = Math.floor(i / 64);
  const third = (i % 64) * 4;
  const net = (offset: number, suffix: string) => `10.${second}.${third + offset}.${suffix}`;
  return {
    id: `customer-${String(i).padStart(3, "0")}`,
    name: `Customer ${i}`,
    fortiflex: { programSerialNumber: "ELAVMS0000000518", accountId: SYNTHETIC_ACCOUNT_BASE + i },
    azure: { subscriptionId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, location: "westeurope" },
    fortigate: { cpu: [2, 4, 8][i % 3], servicePackage: [FortiGateServicePackage.UTP, FortiGateServicePackage.ENTERPRISE, FortiGateServicePackage.ATP][i % 3] },
    network: {
      vnetCidr: `${net(0, "0")}/22`,
      externalSubnetCidr: `${net(0, "0")}/26`,
      internalSubnetCidr: `${net(0, "64")}/26`,
      protectedSubnetCidr: `${net(1, "0")}/24`,
    },
    adminCidrs: ["203.0.113.0/24"],
    tags: { tier: ["gold", "silver", "bronze"][i % 3] },
  };
}
