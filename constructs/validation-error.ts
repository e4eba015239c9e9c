import type { IConstruct } from "constructs";

/**
 * A bad construct input, raised at synth before anything is written. The message names the construct
 * path, the field, the bad value and what is allowed.
 */
export class ValidationError extends Error {
  constructor(
    scope: IConstruct,
    /** The prop, as the construct names it ("cpu", "publicPorts[0]", "network.internalSubnetCidr"). */
    readonly field: string,
    /** The value refused (the construct's own, when it derived it from other props). */
    readonly value: unknown,
    /** What is allowed, without the path, the field or the value (a caller can say them in its own terms). */
    readonly allowed: string,
  ) {
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
