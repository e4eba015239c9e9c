import type { z } from "zod";
import { descriptionOf } from "./schema-fields";

/**
 * Zod's messages in the words of a person editing YAML, for every check whose schema gives no message of its
 * own (a schema's message wins over this map): "required: <what it is>", "a whole number such as 2", the
 * allowed values. Never zod's own phrasing ("Invalid input: expected string, received undefined").
 */
export const issueInUserTerms: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? "another kind of value";
      const description = descriptionOf(issue.inst as z.core.$ZodType | undefined);
      if (issue.input === undefined) return `required: ${description ?? expected}`;
      if (issue.expected === "string" && ["number", "boolean"].includes(typeof issue.input)) return `text; write it in quotes: "${String(issue.input)}"`;
      return description ? `${expected} (${description})` : expected;
    }
    case "invalid_value": {
      const allowed = `allowed: ${issue.values.map((v) => String(v)).join(", ")}`;
      const asText = issue.values.find((v) => typeof v === "string" && typeof issue.input !== "string" && v === String(issue.input));
      return asText === undefined ? allowed : `write it in quotes: "${String(asText)}" (${allowed})`;
    }
    case "too_small":
      return sizeLimit("at least", issue.origin, Number(issue.minimum), issue.inclusive !== false, issue.exact === true);
    case "too_big":
      return sizeLimit("at most", issue.origin, Number(issue.maximum), issue.inclusive !== false, issue.exact === true);
    case "not_multiple_of":
      return `a multiple of ${String(issue.divisor)}`;
    case "invalid_format":
      return "text in another form (see docs/guides/customers-file.md)";
    case "unrecognized_keys":
      return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    case "invalid_key":
      return "a name that is not allowed here";
    default:
      return "a value that is not allowed here";
  }
};

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number such as 2",
  int: "a whole number such as 2",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of fields (name: value)",
  record: "a mapping of names to values",
};

function sizeLimit(bound: "at least" | "at most", origin: string, limit: number, inclusive: boolean, exact: boolean): string {
  const unit = origin === "string" ? " character" : origin === "array" || origin === "set" ? " item" : "";
  const plural = unit && limit !== 1 ? "s" : "";
  if (origin === "string" && bound === "at least" && limit === 1) return "not empty";
  if (exact) return `exactly ${limit}${unit}${plural}`;
  if (!inclusive) return `${bound === "at least" ? "more" : "less"} than ${limit}${unit}${plural}`;
  return `${bound} ${limit}${unit}${plural}`;
}
