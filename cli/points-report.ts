import type { Config } from "../contract/api-types";
import type { FortiFlexClient } from "../custom-provider/fortiflex-client";
import { untagged } from "../contract/object-key";
import { mapConcurrently } from "./concurrent-map";

/** How the points report groups its rows. */
export type PointsGrouping = "config" | "account" | "serial";

export interface PointsQuery {
  readonly programSerialNumber: string;
  /** Only these member accounts. @default all the API user can see */
  readonly accountIds?: number[];
  /** Only these configurations. @default all of the program */
  readonly configIds?: number[];
  /** YYYY-MM-DD, inclusive. */
  readonly from: string;
  /** YYYY-MM-DD, inclusive. */
  readonly to: string;
  readonly groupBy: PointsGrouping;
}

export interface PointsRow {
  readonly key: string;
  readonly label: string;
  readonly accountId: number;
  readonly points: number;
  readonly entitlements: number;
}

export interface PointsReport {
  readonly rows: PointsRow[];
  readonly total: number;
  readonly requests: number;
}

const DAY_MS = 86_400_000;

/**
 * Date windows of at most one year covering [from, to] without overlap. The FortiFlex portal shows 90
 * days and the API's own limit is not published, so long ranges are asked for a year at a time.
 */
export function yearWindows(from: string, to: string): [string, string][] {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
  const iso = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
  const windows: [string, string][] = [];
  for (let start = day(from); start <= day(to); start += 366) windows.push([iso(start), iso(Math.min(start + 365, day(to)))]);
  return windows;
}

/**
 * Points consumed per configuration, account or serial number: one entitlements/points request per
 * configuration and year window. `onProgress` is told after each request.
 */
export async function pointsReport(client: FortiFlexClient, q: PointsQuery, onProgress?: (done: number, total: number) => void): Promise<PointsReport> {
  let configs: Config[] = await client.listConfigs({ programSerialNumber: q.programSerialNumber });
  if (q.accountIds?.length) configs = configs.filter((c) => q.accountIds!.includes(c.accountId));
  if (q.configIds?.length) {
    const missing = q.configIds.filter((id) => !configs.some((c) => c.id === id));
    if (missing.length)
      throw new Error(
        `configuration(s) ${missing.join(", ")} not found in program ${q.programSerialNumber}${q.accountIds?.length ? " for the given accounts" : ""}`,
      );
    configs = configs.filter((c) => q.configIds!.includes(c.id));
  }
  const windows = yearWindows(q.from, q.to);
  const jobs = configs.flatMap((c) => windows.map((w) => ({ config: c, window: w })));
  const rows = new Map<string, { label: string; accountId: number; points: number; serials: Set<string> }>();
  let done = 0;
  await mapConcurrently(jobs, 4, async (job) => {
    const result = await client.points({ configId: job.config.id, startDate: job.window[0], endDate: job.window[1] });
    for (const r of result) {
      const [key, label] =
        q.groupBy === "config"
          ? [String(job.config.id), untagged(job.config.name)]
          : q.groupBy === "account"
            ? [String(r.accountId), `account ${r.accountId}`]
            : [r.serialNumber, `${untagged(job.config.name)} (config ${job.config.id})`];
      const row = rows.get(key) ?? { label, accountId: r.accountId, points: 0, serials: new Set<string>() };
      row.points += r.points;
      row.serials.add(r.serialNumber);
      rows.set(key, row);
    }
    onProgress?.(++done, jobs.length);
  });
  const round = (n: number) => Math.round(n * 100) / 100;
  const list = [...rows]
    .map(([key, r]) => ({ key, label: r.label, accountId: r.accountId, points: round(r.points), entitlements: r.serials.size }))
    .sort((a, b) => b.points - a.points || a.key.localeCompare(b.key));
  return { rows: list, total: round(list.reduce((s, r) => s + r.points, 0)), requests: jobs.length + 1 };
}
