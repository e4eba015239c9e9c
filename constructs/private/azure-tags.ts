import type { IConstruct } from "constructs";
import { ValidationError } from "../validation-error";

/** Azure's limits on tags: per resource, and on each name and value. */
export const AZURE_TAG_LIMITS = { perResource: 50, nameLength: 512, valueLength: 256 } as const;
/** Characters Azure refuses in tag names. */
export const AZURE_TAG_NAME_PATTERN = /^[^<>%&\\?/]+$/;

/** Checks tags against Azure's limits before anything is written; `reserved` tags are added by the library. */
export function validateAzureTags(scope: IConstruct, tags: Record<string, string> | undefined, reserved = 0): void {
  if (tags === undefined) return;
  const entries = Object.entries(tags);
  const max = AZURE_TAG_LIMITS.perResource - reserved;
  if (entries.length > max)
    throw new ValidationError(scope, "tags", `${entries.length} tags`, `at most ${max} (Azure allows ${AZURE_TAG_LIMITS.perResource} per resource)`);
  for (const [name, value] of entries) {
    if (!AZURE_TAG_NAME_PATTERN.test(name) || name.length > AZURE_TAG_LIMITS.nameLength) {
      throw new ValidationError(scope, "tags", name.slice(0, 60), `tag names of 1-${AZURE_TAG_LIMITS.nameLength} characters without < > % & \\ ? /`);
    }
    if (typeof value !== "string" || value.length > AZURE_TAG_LIMITS.valueLength) {
      throw new ValidationError(
        scope,
        `tags.${name.slice(0, 60)}`,
        typeof value === "string" ? `${value.slice(0, 60)}...` : value,
        `a string of at most ${AZURE_TAG_LIMITS.valueLength} characters`,
      );
    }
  }
}
