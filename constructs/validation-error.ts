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

/** The bad value, at most 100 characters of it: an error never echoes a huge input back. */
function describe(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length <= 100 ? text : `${text.slice(0, 100)}... (${text.length} characters)`;
}
