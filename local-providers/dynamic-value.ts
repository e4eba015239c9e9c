import { decode, encode, ExtensionCodec } from "@msgpack/msgpack";

/**
 * Terraform values on the wire (the protocol's DynamicValue). Terraform sends msgpack; an attribute whose
 * value is not known yet (e.g. the id of a resource still to be created) is a msgpack extension: type 0, or
 * type 12 when Terraform attaches refinements such as "not null". Both decode to UNKNOWN here, and UNKNOWN
 * encodes as type 0. Raw states arrive as JSON instead (they were stored that way).
 *
 * Only the types our schemas use appear: strings, lists and maps of strings, objects, null.
 */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Value = string | number | boolean | null | typeof UNKNOWN | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

const UNKNOWN_TYPE = 0;
const REFINED_UNKNOWN_TYPE = 12;

const codec = new ExtensionCodec();
codec.register({ type: UNKNOWN_TYPE, encode: (v) => (v === UNKNOWN ? new Uint8Array([0]) : null), decode: () => UNKNOWN });
codec.register({ type: REFINED_UNKNOWN_TYPE, encode: () => null, decode: () => UNKNOWN });

export interface WireValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export function decodeValue(wire: WireValue | null | undefined): Value {
  if (wire?.msgpack?.length) return decode(wire.msgpack, { extensionCodec: codec }) as Value;
  if (wire?.json?.length) return JSON.parse(Buffer.from(wire.json).toString("utf8")) as Value;
  return null;
}

export function encodeValue(value: Value): WireValue {
  return { msgpack: encode(value, { extensionCodec: codec }) };
}

/** Equality of two values, where an unknown value equals nothing (it may turn out to be anything). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === UNKNOWN || b === UNKNOWN) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b as ObjectValue).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue(a[k], (b as ObjectValue)[k]));
  }
  return a === b;
}

/** The value as an object, or null when it is null (a planned destroy, an absent prior state). */
export function asObject(value: Value): ObjectValue | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as ObjectValue) : null;
}
