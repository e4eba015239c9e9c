import type { Construct } from "constructs";
import { ValidationError } from "../validation-error";

/** Props of another pattern, refused rather than silently ignored (JavaScript callers have no type check). */
export function refuseProps(scope: Construct, props: object, foreign: Record<string, string>): void {
  for (const [name, why] of Object.entries(foreign)) {
    if ((props as Record<string, unknown>)[name] !== undefined)
      throw new ValidationError(scope, name, (props as Record<string, unknown>)[name], `not an option here (${why})`);
  }
}
