/**
 * Terraform values on the wire (the protocol's DynamicValue). Terraform sends msgpack; an attribute whose
 * value is not known yet (e.g. the id of a resource still to be created) is a msgpack extension: type 0, or
 * type 12 when Terraform attaches refinements such as "not null". Both decode to UNKNOWN here, and UNKNOWN
 * encodes as type 0 (fixext1 with one zero byte, as Terraform writes it). Raw states arrive as JSON.
 *
 * A small msgpack codec of our own: maps decode into objects without a prototype, so any string is a valid
 * key (a trigger named "__proto__" included), which general-purpose decoders refuse.
 */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Value = string | number | boolean | null | typeof UNKNOWN | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

export interface WireValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export function decodeValue(wire: WireValue | null | undefined): Value {
  if (wire?.msgpack?.length) {
    const reader = new Reader(Buffer.from(wire.msgpack));
    const value = reader.value();
    if (reader.offset !== reader.buf.length) throw new Error(`msgpack value followed by ${reader.buf.length - reader.offset} extra bytes`);
    return value;
  }
  if (wire?.json?.length)
    return JSON.parse(Buffer.from(wire.json).toString("utf8"), (_k, v: Value) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.assign(Object.create(null), v) : v,
    ) as Value;
  return null;
}

export function encodeValue(value: Value): WireValue {
  const parts: Buffer[] = [];
  write(value, parts);
  return { msgpack: Buffer.concat(parts) };
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

class Reader {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  value(): Value {
    const b = this.byte();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b >= 0xa0 && b <= 0xbf) return this.str(b & 0x1f);
    if (b >= 0x90 && b <= 0x9f) return this.array(b & 0x0f);
    if (b >= 0x80 && b <= 0x8f) return this.map(b & 0x0f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bin(this.uint(1));
      case 0xc5:
        return this.bin(this.uint(2));
      case 0xc6:
        return this.bin(this.uint(4));
      case 0xc7:
        return this.ext(this.uint(1));
      case 0xc8:
        return this.ext(this.uint(2));
      case 0xc9:
        return this.ext(this.uint(4));
      case 0xca:
        return this.take(4).readFloatBE(0);
      case 0xcb:
        return this.take(8).readDoubleBE(0);
      case 0xcc:
        return this.uint(1);
      case 0xcd:
        return this.uint(2);
      case 0xce:
        return this.uint(4);
      case 0xcf:
        return Number(this.take(8).readBigUInt64BE(0));
      case 0xd0:
        return this.take(1).readInt8(0);
      case 0xd1:
        return this.take(2).readInt16BE(0);
      case 0xd2:
        return this.take(4).readInt32BE(0);
      case 0xd3:
        return Number(this.take(8).readBigInt64BE(0));
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(this.uint(1));
      case 0xda:
        return this.str(this.uint(2));
      case 0xdb:
        return this.str(this.uint(4));
      case 0xdc:
        return this.array(this.uint(2));
      case 0xdd:
        return this.array(this.uint(4));
      case 0xde:
        return this.map(this.uint(2));
      case 0xdf:
        return this.map(this.uint(4));
      default:
        throw new Error(`msgpack type byte 0x${b.toString(16)} is not valid`);
    }
  }

  private take(n: number): Buffer {
    if (this.offset + n > this.buf.length) throw new Error("msgpack value is truncated");
    const slice = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return slice;
  }
  private byte(): number {
    return this.take(1)[0];
  }
  private uint(bytes: 1 | 2 | 4): number {
    return this.take(bytes).readUIntBE(0, bytes);
  }
  private str(n: number): string {
    return this.take(n).toString("utf8");
  }
  /** Binary data only appears inside values we never inspect; keep it as text. */
  private bin(n: number): string {
    return this.take(n).toString("latin1");
  }
  private array(n: number): Value[] {
    return Array.from({ length: n }, () => this.value());
  }
  private map(n: number): ObjectValue {
    const out = Object.create(null) as ObjectValue;
    for (let i = 0; i < n; i++) {
      const key = this.value();
      if (typeof key !== "string") throw new Error("msgpack map key is not a string");
      out[key] = this.value();
    }
    return out;
  }
  /** Every extension Terraform sends is an unknown value (type 0 plain, type 12 with refinements). */
  private ext(n: number): Value {
    const type = this.take(1).readInt8(0);
    this.take(n);
    if (type !== 0 && type !== 12) throw new Error(`msgpack extension type ${type} is not a Terraform value`);
    return UNKNOWN;
  }
}

function write(value: Value, out: Buffer[]): void {
  if (value === null) return void out.push(Buffer.from([0xc0]));
  if (value === UNKNOWN) return void out.push(Buffer.from([0xd4, 0, 0]));
  if (typeof value === "boolean") return void out.push(Buffer.from([value ? 0xc3 : 0xc2]));
  if (typeof value === "number") {
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(value, 1);
    return void out.push(b);
  }
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    out.push(header(bytes.length, 0xa0, 31, [0xd9, 0xda, 0xdb]), bytes);
    return;
  }
  if (Array.isArray(value)) {
    out.push(header(value.length, 0x90, 15, [null, 0xdc, 0xdd]));
    for (const item of value) write(item, out);
    return;
  }
  const keys = Object.keys(value);
  out.push(header(keys.length, 0x80, 15, [null, 0xde, 0xdf]));
  for (const key of keys) {
    write(key, out);
    write(value[key], out);
  }
}

/** The smallest msgpack header for a string, array or map of `n` items: fix form, then 8/16/32-bit lengths. */
function header(n: number, fix: number, fixMax: number, [t8, t16, t32]: (number | null)[]): Buffer {
  if (n <= fixMax) return Buffer.from([fix | n]);
  if (t8 !== null && n <= 0xff) return Buffer.from([t8, n]);
  if (n <= 0xffff) return Buffer.from([t16!, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = t32!;
  b.writeUInt32BE(n, 1);
  return b;
}
