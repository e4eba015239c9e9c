/**
 * One way to print FortiFlex's times. The API writes them in several shapes: "2026-12-07T06:37:21.5580000-08:00"
 * (a stop's end: 7 fraction digits and an offset), "2029-12-06T00:00:00" and "2025-08-06T10:36:29.723" (no zone),
 * and, in older samples, "2020-08-25 10:12:25". The CLI prints each as ISO 8601 in UTC to the second,
 * "2026-12-07T14:37:21Z", in every output format, so that columns line up, sort and compare.
 *
 * A time without a zone is read as Pacific time (America/Los_Angeles, PST/PDT): FortiFlex counts points per
 * Pacific day and its one zoned time carries a Pacific offset. That is INFERRED: Fortinet does not say.
 */
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The time in UTC, "YYYY-MM-DDTHH:MM:SSZ" (fractions of a second dropped); "" for none; anything else as written. */
export function utcTime(raw: string | null | undefined): string {
  if (!raw) return "";
  const m = SHAPE.exec(raw.trim());
  if (!m) return raw; // a shape not seen yet: shown as FortiFlex wrote it rather than guessed at
  const [, year, month, day, hour = "0", minute = "0", second = "0", zone] = m;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  // Date.UTC rolls 2026-02-30 over into March: such a value is not a time.
  if (new Date(wall).toISOString().slice(0, 10) !== `${year}-${month}-${day}` || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return raw;
  const utc = zone ? wall - offsetMs(zone) : pacificWallToUtc(wall);
  return new Date(utc).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "Z", "-08:00", "+0530" as milliseconds east of UTC. */
function offsetMs(zone: string): number {
  if (zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

const PACIFIC = new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", timeZoneName: "longOffset" });

/** Pacific time's offset at an instant, from the time-zone database ("GMT-08:00" in winter, "GMT-07:00" in summer). */
function pacificOffsetMs(epochMs: number): number {
  const name = PACIFIC.formatToParts(epochMs).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /^GMT([+-]\d{2}:?\d{2})$/.exec(name);
  return m ? offsetMs(m[1]) : 0;
}

/**
 * The instant a Pacific wall-clock time (given as if it were UTC) names: the offset is looked up near the answer,
 * then at it, which settles on the right side of a DST change (a wall time in the skipped or repeated hour takes
 * one of its readings).
 */
function pacificWallToUtc(wall: number): number {
  const guess = wall - pacificOffsetMs(wall);
  return wall - pacificOffsetMs(guess);
}
