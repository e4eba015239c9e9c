import { z } from "zod";

/**
 * What the customers file's zod schemas say about a field, found by walking them: the field's own schema, the
 * names a mapping takes, its description. The schemas are the one list of fields; suggestions and messages
 * read it rather than keep another.
 */
type Schema = z.core.$ZodType;

/** The schema under the wrappers that do not change what a value may be (optional, default, ...). */
function unwrapped(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as z.core.$ZodTypeDef & { innerType?: Schema; in?: Schema };
    if (def.innerType) s = def.innerType;
    else if (def.type === "pipe" && def.in) s = def.in;
    else return s;
  }
}

/** The schema of the value at `path` under `root`, or undefined where the schemas have no such field. */
export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = root;
  for (const segment of path) {
    if (!s) return undefined;
    const def: z.core.$ZodTypeDef = unwrapped(s)._zod.def;
    if (def.type === "object") s = (def as z.core.$ZodObjectDef).shape[String(segment)];
    else if (def.type === "array") s = typeof segment === "number" ? (def as z.core.$ZodArrayDef).element : undefined;
    else if (def.type === "record") s = (def as z.core.$ZodRecordDef).valueType;
    else return undefined;
  }
  return s;
}

/** The field names a mapping takes, in the schema's order; undefined unless the schema is a mapping of named fields. */
export function fieldNamesOf(schema: Schema | undefined): string[] | undefined {
  const def = schema && unwrapped(schema)._zod.def;
  return def?.type === "object" ? Object.keys((def as z.core.$ZodObjectDef).shape) : undefined;
}

/** The description given with `.describe()`, on the field or under its wrappers. */
export function descriptionOf(schema: Schema | undefined): string | undefined {
  for (let s = schema; s;) {
    const description = z.globalRegistry.get(s)?.description;
    if (description) return description;
    const def = s._zod.def as z.core.$ZodTypeDef & { innerType?: Schema };
    s = def.innerType;
  }
  return undefined;
}
