import { API } from "../../contract/api-operations";
import type { Config, Entitlement, Program } from "../../contract/api-types";

/**
 * The fields the client reads from FortiFlex's lists, checkable at run time. Each shape is typed from the
 * contract's interface (contract/api-types.ts): a field added, removed or retyped there fails to compile here
 * until its rule says the same, so this is the contract's own description, not a second one.
 */
type Rule<V> = [V] extends [string]
  ? { readonly kind: "string"; readonly oneOf?: readonly V[] }
  : [V] extends [number]
    ? { readonly kind: "number" }
    : [V] extends [boolean]
      ? { readonly kind: "boolean" }
      : [V] extends [readonly (infer E)[]]
        ? { readonly kind: "list"; readonly of: ShapeOf<E> }
        : { readonly kind: "object"; readonly shape: ShapeOf<V> };
type FieldRule<T, K extends keyof T> = Rule<NonNullable<T[K]>> &
  (null extends T[K] ? { readonly nullable: true } : unknown) &
  (undefined extends T[K] ? { readonly optional: true } : unknown);
type ShapeOf<T> = { readonly [K in keyof T]-?: FieldRule<T, K> };

/** The same rules, as the checker walks them. */
interface AnyRule {
  readonly kind: "string" | "number" | "boolean" | "list" | "object";
  readonly oneOf?: readonly string[];
  readonly of?: Shape;
  readonly shape?: Shape;
  readonly nullable?: boolean;
  readonly optional?: boolean;
}
type Shape = Readonly<Record<string, AnyRule>>;

const text = { kind: "string" } as const;
const whole = { kind: "number" } as const;

const PROGRAM: ShapeOf<Program> = { accountId: whole, serialNumber: text, startDate: text, endDate: text, hasSupportCoverage: { kind: "boolean" } };
const CONFIG: ShapeOf<Config> = {
  id: whole,
  name: text,
  status: { kind: "string", oneOf: ["ACTIVE", "DISABLED"] },
  accountId: whole,
  programSerialNumber: text,
  productType: { kind: "object", shape: { id: whole, name: text } },
  parameters: { kind: "list", of: { id: whole, name: { ...text, optional: true }, value: text } },
};
const ENTITLEMENT: ShapeOf<Entitlement> = {
  serialNumber: text,
  configId: whole,
  accountId: whole,
  description: { ...text, nullable: true },
  startDate: text,
  endDate: text,
  status: { kind: "string", oneOf: ["PENDING", "ACTIVE", "STOPPED", "EXPIRED"] },
  token: text,
  tokenStatus: { kind: "string", oneOf: ["USED", "NOTUSED", ""] },
};

/** The lists doctor asks for, by operation: the envelope's key and the shape of its items. */
export const ANSWER_SHAPES: ReadonlyMap<string, { readonly key: string; readonly shape: Shape }> = new Map([
  [API.programsList.path, { key: API.programsList.key, shape: PROGRAM }],
  [API.configsList.path, { key: API.configsList.key, shape: CONFIG }],
  [API.entitlementsList.path, { key: API.entitlementsList.key, shape: ENTITLEMENT }],
]);

/** What is wrong with an answer's shape: `failures` break the client's reading, `unknownValues` are values of a known field it has not seen. */
export interface ShapeProblems {
  readonly failures: string[];
  readonly unknownValues: string[];
}

/**
 * The items of `envelope`'s list (read as the client reads it: a list, one object, or "vms" for entitlements)
 * against `shape`. Problems are counted per field across items ("configs[].productType.id: a string where the
 * client reads a number (2 of 3)"); values are never printed but for fields with a fixed set of them.
 */
export function answerShapeProblems(envelope: Record<string, unknown>, key: string, shape: Shape): ShapeProblems & { items: number } {
  const data = envelope[key] ?? (key === "entitlements" ? envelope.vms : undefined);
  const items = Array.isArray(data) ? data : data !== null && typeof data === "object" ? [data] : undefined;
  if (!items) return { failures: [`"${key}": ${describe(data)} where the client reads a list`], unknownValues: [], items: 0 };
  const failures = new Map<string, number>();
  const unknownValues = new Map<string, number>();
  for (const item of items) checkObject(item, shape, `${key}[]`, failures, unknownValues);
  const counted = (m: Map<string, number>) => [...m].map(([problem, n]) => `${problem} (${n} of ${items.length})`);
  return { failures: counted(failures), unknownValues: counted(unknownValues), items: items.length };
}

function checkObject(value: unknown, shape: Shape, where: string, failures: Map<string, number>, unknownValues: Map<string, number>): void {
  const add = (m: Map<string, number>, problem: string) => m.set(problem, (m.get(problem) ?? 0) + 1);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return void add(failures, `${where}: ${describe(value)} where the client reads an object`);
  const object = value as Record<string, unknown>;
  for (const [field, rule] of Object.entries(shape)) {
    const path = `${where}.${field}`;
    const v = object[field];
    if (v === undefined) {
      if (!rule.optional) add(failures, `${path}: missing`);
    } else if (v === null) {
      if (!rule.nullable) add(failures, `${path}: null where the client reads ${article(rule.kind)}`);
    } else if (rule.kind === "list") {
      if (!Array.isArray(v)) add(failures, `${path}: ${describe(v)} where the client reads a list`);
      else for (const element of v) checkObject(element, rule.of!, `${path}[]`, failures, unknownValues);
    } else if (rule.kind === "object") {
      checkObject(v, rule.shape!, path, failures, unknownValues);
    } else if (typeof v !== rule.kind) {
      add(failures, `${path}: ${describe(v)} where the client reads ${article(rule.kind)}`);
    } else if (rule.oneOf && !rule.oneOf.includes(v as string)) {
      add(unknownValues, `${path}: ${JSON.stringify(String(v).slice(0, 40))}, not one of ${rule.oneOf.map((o) => JSON.stringify(o)).join(", ")}`);
    }
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return article(typeof value);
}

function article(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}
