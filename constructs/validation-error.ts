import type { IConstruct } from "constructs";

/**
 * A bad construct input, raised at synth before anything is written. The message names the construct
 * path, the field, the bad value and what is allowed.
 */
export class ValidationError extends Error {
  constructor(scope: IConstruct, field: string, value: unknown, allowed: string) {
    super(`${scope.node.path}: invalid ${field} ${describe(value)}: ${allowed}`);
    this.name = "ValidationError";
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "(missing)";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
