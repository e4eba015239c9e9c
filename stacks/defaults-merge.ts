/**
 * The customers file's `defaults`, merged under an entry: a customer's own values win, mappings merge key by
 * key, anything else (lists included) is replaced whole. `originOf` follows the same rule back to where a
 * merged value was written, so a problem points at the line a person has to change.
 */

/** Merges into objects without a prototype, so no key can reach one (the loader refuses such keys too). */
export function mergeDefaults(defaults: unknown, entry: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(entry)) return entry === undefined ? defaults : entry;
  const out = Object.assign(Object.create(null) as Record<string, unknown>, defaults);
  for (const [k, v] of Object.entries(entry)) out[k] = mergeDefaults(defaults[k], v);
  return out;
}

/** Where a merged value comes from: the entry or defaults, and the part of the path written there. */
export interface FieldOrigin {
  readonly from: "entry" | "defaults";
  /**
   * The whole path when the value is written; else the longest part of it the entry has: a missing field is
   * added to the entry, whatever defaults hold around it.
   */
  readonly written: readonly PropertyKey[];
  readonly present: boolean;
}

export function originOf(defaults: unknown, entry: unknown, path: readonly PropertyKey[]): FieldOrigin {
  let [e, d] = [entry, defaults];
  let entryDepth = 0;
  for (const [i, segment] of path.entries()) {
    // The entry's value replaces defaults' unless both are mappings.
    if (e !== undefined && !(isPlainObject(e) && isPlainObject(d))) d = undefined;
    [e, d] = [childOf(e, segment), childOf(d, segment)];
    if (e !== undefined) entryDepth = i + 1;
  }
  if (e !== undefined) return { from: "entry", written: path, present: true };
  if (d !== undefined) return { from: "defaults", written: path, present: true };
  return { from: "entry", written: path.slice(0, entryDepth), present: false };
}

function childOf(value: unknown, segment: PropertyKey): unknown {
  if (Array.isArray(value)) return typeof segment === "number" ? value[segment] : undefined;
  return isPlainObject(value) && Object.hasOwn(value, segment) ? value[segment as string] : undefined;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
