import { TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * The CDK framework this build of the library runs on. The same source is published twice: for CDKTF
 * (`cdktf`) and, with its imports mapped, for CDK Terrain (`cdktn`). The two share construct symbols, so a
 * stack of one passes the other's checks and the app crashes deep inside synth; the framework is told
 * apart by the jsii type name of its classes instead.
 */
const FRAMEWORKS = {
  cdktf: { name: "CDKTF", core: "cdktf", library: "fortiflex-azure-cdktf" },
  cdktn: { name: "CDK Terrain", core: "cdktn", library: "fortiflex-azure-cdktn" },
} as const;
type FrameworkId = keyof typeof FRAMEWORKS;

const JSII_TYPE = Symbol.for("jsii.rtti");

/** The framework of a class or of the nearest parent class that has one (jsii libraries name their own classes). */
function frameworkOf(type: unknown): FrameworkId | undefined {
  for (let t = type; typeof t === "function"; t = Object.getPrototypeOf(t)) {
    const fqn = Object.getOwnPropertyDescriptor(t, JSII_TYPE)?.value?.fqn;
    const prefix = typeof fqn === "string" ? fqn.split(".")[0] : undefined;
    if (prefix === "cdktf" || prefix === "cdktn") return prefix;
  }
  return undefined;
}

/** The framework of the `cdktf` module this build imports (`cdktn` in the CDK Terrain build). */
export const FRAMEWORK: FrameworkId = frameworkOf(TerraformStack) ?? "cdktf";

// CDK Terrain can skip the full stack trace it records for every token (a third of synth time); the
// library turns that on unless the user has set the switch either way (0 keeps the traces).
if (FRAMEWORK === "cdktn" && process.env.CDKTN_DISABLE_CREATION_STACK === undefined) process.env.CDKTN_DISABLE_CREATION_STACK = "1";

/**
 * Refuses a scope whose stack belongs to the other framework, naming the import to use; called first by
 * every public construct.
 */
export function checkFramework(scope: IConstruct, construct: string): void {
  const stack = scope.node.scopes.find((s) => TerraformStack.isStack(s));
  const theirs = stack && frameworkOf(stack.constructor);
  if (!theirs || theirs === FRAMEWORK) return;
  const [ours, other] = [FRAMEWORKS[FRAMEWORK], FRAMEWORKS[theirs]];
  throw new Error(
    `${scope.node.path}: ${construct} comes from "${ours.library}", built for ${ours.name} ("${ours.core}"), but stack ` +
      `${stack.node.path} is a ${other.name} stack ("${other.core}"). Import the constructs from "${other.library}" instead.`,
  );
}
