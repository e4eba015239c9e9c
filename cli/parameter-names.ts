import type { ParameterSpec, ParameterValue, ProductTypeSpec } from "../contract/product-catalog";
import { didYouMean } from "../contract/closest-name";
import { UsageError } from "./usage-error";

/** A `--param` as typed: `name` is a parameter's name or its numeric id. */
export interface GivenParameter {
  readonly name: string;
  readonly value: string;
}

/** A parameter's command-line name: the constructs' property name in kebab case (servicePackage: "service-package"). */
export function parameterName(spec: ParameterSpec): string {
  return spec.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The parameters a user can give (those FortiFlex only reports are not). */
export function settableParameters(product: ProductTypeSpec): ParameterSpec[] {
  return product.parameters.filter((p) => !p.readOnly);
}

/**
 * The `--param` entries as the API takes them. A number is an id, passed on as it is (the catalog check says what is
 * wrong with it); a name matches without regard to case, "-" or "_" (cpu, CPU, service-package, servicePackage).
 */
export function resolveParameters(command: string, product: ProductTypeSpec, given: readonly GivenParameter[]): ParameterValue[] {
  const fold = (name: string) => name.toLowerCase().replace(/[-_]/g, "");
  return given.map(({ name, value }) => {
    if (/^\d+$/.test(name)) return { id: Number(name), value };
    const spec = settableParameters(product).find((p) => fold(p.key) === fold(name));
    if (spec) return { id: spec.id, value };
    const names = settableParameters(product).map(parameterName);
    throw new UsageError(
      `${command}: unknown parameter "${name}" for ${product.name}${didYouMean(name, names)} ` +
        `(parameters: ${names.join(", ")}; fortiflex catalog ${product.name} shows their values)`,
    );
  });
}
