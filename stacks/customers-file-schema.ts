import * as fs from "node:fs";
import { z } from "zod";
import { customerSchema, fileSchema, PER_ENTRY_ONLY } from "./customers-file";
import { descriptionOf, schemaAt } from "./schema-fields";

/**
 * The customers file as a JSON Schema (draft-07), for editors (`# yaml-language-server: $schema=...`): made from
 * the validator's zod schemas, so types, allowed values, patterns, ranges, unknown fields and descriptions
 * are written once. What zod checks in code (the product catalog, cross-field rules, defaults merged under each
 * entry, duplicates across entries) is the validator's alone.
 */
export function customersFileJsonSchema(): Record<string, unknown> {
  const entry = z.toJSONSchema(customerSchema, { target: "draft-7", io: "input" }) as JsonSchema;
  delete entry.$schema;
  const needed = entry.required ?? [];
  withoutMergedRequired(entry);
  const defaults = structuredClone(entry);
  for (const [field] of PER_ENTRY_ONLY) {
    const path = field.split(".");
    const parent = path.slice(0, -1).reduce<JsonSchema | undefined>((s, key) => s?.properties?.[key], defaults);
    delete parent?.properties?.[path[path.length - 1]];
  }
  const described = (key: string) => descriptionOf(schemaAt(fileSchema, [key]));
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "FortiFlex customers file",
    description: "One entry per customer, plus defaults merged under every entry; `npm run synth` validates the merged entries in full.",
    type: "object",
    properties: {
      defaults: { ...defaults, description: described("defaults") },
      customers: {
        type: "array",
        minItems: 1,
        description: described("customers"),
        items: {
          ...entry,
          description:
            "A customer. No field is marked required here, as defaults may give any of them; " + `the entry merged with defaults needs ${needed.join(", ")}.`,
        },
      },
    },
    required: ["customers"],
    additionalProperties: false,
  };
}

/** Writes the schema as JSON (the package build ships it beside the scaffolded customers file). */
export function writeCustomersFileJsonSchema(file: string): void {
  fs.writeFileSync(file, `${JSON.stringify(customersFileJsonSchema(), null, 2)}\n`);
}

interface JsonSchema {
  $schema?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
}

/**
 * Drops `required` from every mapping that defaults merge into: the entry and its mappings, key by key. Inside
 * a list item nothing merges (a list replaces defaults' whole), so a public port still requires its port.
 */
function withoutMergedRequired(schema: JsonSchema): void {
  delete schema.required;
  for (const property of Object.values(schema.properties ?? {})) withoutMergedRequired(property);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: customers-file-schema.ts <output.json>");
  writeCustomersFileJsonSchema(file);
}
