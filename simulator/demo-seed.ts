import * as crypto from "node:crypto";
import type { ParameterInput } from "../contract/api-types";
import { pacificDay, pacificMidnight, pacificTimestamp, type FortiFlexWorld, type SeedInfo, type SimEntitlement } from "./fortiflex-world";

/**
 * `--seed demo`: the MSSP tenant's program with a past, so the documented examples (the points report, the
 * CLI, adoption) have something to show. The member accounts are the customers of stacks/customers.yaml;
 * each has a configuration made in the FortiFlex portal (no stack key: a stack can adopt it) and
 * entitlements in every status.
 *
 * The same data every time: ids, serial numbers and license tokens are fixed, and every event is a whole
 * number of Pacific days before the simulator's clock at seeding, so the figures (active days, points) are
 * the same whichever day it starts; only the dates move.
 */

/** When an entitlement was ACTIVE: days before today it started and, when it has, ended. */
type Span = readonly [fromDaysAgo: number, toDaysAgo?: number];

interface DemoEntitlement {
  readonly serialNumber: string;
  readonly description: string;
  readonly createdDaysAgo: number;
  /** Oldest first; none = PENDING (token never used); the last one open = ACTIVE, closed = STOPPED. */
  readonly active: readonly Span[];
  /** The last span ended because the termination date passed (EXPIRED) rather than by a stop (STOPPED). */
  readonly expired?: boolean;
}

interface DemoConfig {
  readonly accountId: number;
  readonly name: string;
  /** FortiGate-VM bundle (product type 1) parameters. */
  readonly parameters: readonly ParameterInput[];
  readonly disabled?: boolean;
  readonly entitlements: readonly DemoEntitlement[];
}

const vm = (cpu: number, servicePackage: string, ...more: ParameterInput[]): ParameterInput[] => [
  { id: 1, value: String(cpu) },
  { id: 2, value: servicePackage },
  ...more,
];

/** In account order: contoso, fabrikam, northwind, woodgrove (stacks/customers.yaml), with their FortiGates' sizes. */
const DEMO: readonly DemoConfig[] = [
  {
    accountId: 1525960,
    name: "Contoso edge",
    parameters: vm(2, "UTP"),
    entitlements: [{ serialNumber: "FGVMELTM25008315", description: "fgt-contoso-01", createdDaysAgo: 120, active: [[120]] }],
  },
  {
    accountId: 1525961,
    name: "Fabrikam edge",
    parameters: vm(4, "ENT"),
    entitlements: [
      { serialNumber: "FGVMELTM25008316", description: "fgt-fabrikam-01", createdDaysAgo: 300, active: [[300, 200], [150]] },
      { serialNumber: "FGVMELTM25008317", description: "fgt-fabrikam-02", createdDaysAgo: 300, active: [[300, 200]] },
    ],
  },
  {
    accountId: 1525962,
    name: "Northwind edge",
    parameters: vm(4, "ATP"),
    entitlements: [{ serialNumber: "FGVMELTM25008318", description: "fgt-northwind-01", createdDaysAgo: 10, active: [] }],
  },
  {
    accountId: 1525963,
    name: "Woodgrove HA",
    parameters: vm(
      8,
      "ATP",
      { id: 10, value: "2" },
      { id: 43, value: "FGTAVDB" },
      { id: 43, value: "FGTFAIS" },
      { id: 44, value: "FGTFAZC" },
      { id: 45, value: "FGTFCELU" },
    ),
    entitlements: [
      { serialNumber: "FGVMELTM25008319", description: "fgt-woodgrove-a", createdDaysAgo: 60, active: [[60]] },
      { serialNumber: "FGVMELTM25008320", description: "fgt-woodgrove-b", createdDaysAgo: 60, active: [[60, 45]] },
    ],
  },
  {
    accountId: 1525963,
    name: "Woodgrove lab",
    parameters: vm(1, "FC"),
    disabled: true,
    entitlements: [{ serialNumber: "FGVMELTM25008321", description: "fgt-woodgrove-lab", createdDaysAgo: 380, active: [[380, 330]], expired: true }],
  },
];

/** The seeds `--seed` accepts, by name. */
export const SEEDS = { demo: seedDemo } as const;
export type SeedName = keyof typeof SEEDS;

function seedDemo(world: FortiFlexWorld, tenant: SeedInfo): void {
  const user = world.user(tenant.username)!;
  const program = world.state.programs.find((p) => p.serialNumber === tenant.programSerialNumber)!;
  const today = pacificDay(world.now());
  // 09:00 Pacific, well inside the day: the day counts do not depend on the hour the simulator starts.
  const at = (daysAgo: number) => pacificMidnight(today - daysAgo) + 9 * 3_600_000;
  for (const c of DEMO) {
    // Through the world's own checks, so the parameters are stored as a configuration made by the API would be.
    const config = world.createConfig(user, {
      programSerialNumber: program.serialNumber,
      accountId: c.accountId,
      name: c.name,
      productTypeId: 1,
      parameters: c.parameters,
    });
    if (c.disabled) world.setConfigStatus(user, { id: config.id }, "DISABLED");
    for (const e of c.entitlements) {
      const activity = e.active.map(([from, to]) => ({ from: at(from), ...(to === undefined ? {} : { to: at(to) }) }));
      const last = activity.at(-1);
      const entitlement: SimEntitlement = {
        serialNumber: e.serialNumber,
        configId: config.id,
        accountId: c.accountId,
        description: e.description,
        startDate: new Date(at(e.createdDaysAgo)).toISOString().slice(0, 23),
        endDate: program.endDate,
        status: !last ? "PENDING" : last.to === undefined ? "ACTIVE" : e.expired ? "EXPIRED" : "STOPPED",
        token: crypto.createHash("sha256").update(`demo ${e.serialNumber}`).digest("hex").slice(0, 20).toUpperCase(),
        tokenStatus: last ? "USED" : "NOTUSED",
        programSerialNumber: program.serialNumber,
        folderPath: "My Assets",
        activity,
      };
      if (last?.to !== undefined) {
        // As the world ends them: an expiry at the end of the termination day, a stop at its moment.
        const endDay = pacificDay(last.to);
        if (e.expired) last.to = pacificMidnight(endDay + 1);
        entitlement.endDate = e.expired ? `${new Date(pacificMidnight(endDay)).toISOString().slice(0, 10)}T00:00:00` : pacificTimestamp(last.to);
      }
      world.state.entitlements.push(entitlement);
    }
  }
  // Entitlements created later get the next numbers, never one of these serials again.
  const numbers = world.state.entitlements.map((e) => Number(e.serialNumber.slice(-6)));
  world.state.nextSerial = Math.max(world.state.nextSerial, ...numbers) + 1;
}
