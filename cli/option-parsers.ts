import { InvalidArgumentError, Option } from "commander";
import { OUTPUT_FORMATS } from "./output-format";
import type { GivenParameter } from "./parameter-names";

/** Commander argument parsers shared by the commands: each refuses a malformed value with the reason. */

export function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number");
  return Number(value);
}

export function collectIntegers(value: string, previous: number[] = []): number[] {
  return [...previous, integer(value)];
}

export function isoDate(value: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  ) {
    throw new InvalidArgumentError("must be a date YYYY-MM-DD");
  }
  return value;
}

/** `--param name=value` or `--param id=value`, repeatable; the name is resolved once the product is known. */
export function collectParams(value: string, previous: GivenParameter[] = []): GivenParameter[] {
  const m = /^([A-Za-z0-9_-]+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError("must be <name>=<value> or <id>=<value>, e.g. cpu=4");
  return [...previous, { name: m[1], value: m[2] }];
}

/** `--format`, a fresh option per command (commander options belong to one command). */
export function formatOption(): Option {
  return new Option("-f, --format <format>", "output format (times: ISO 8601 in UTC)").choices(OUTPUT_FORMATS).default("table");
}
