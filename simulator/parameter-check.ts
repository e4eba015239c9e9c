import { vdomCeiling, type SimParameter, type SimProduct } from "./product-parameters";

/** One parameter entry of a request; list parameters repeat their id once per value. */
export interface GivenParameter {
  readonly id: number;
  readonly value: string;
}

/**
 * What the simulated FortiFlex finds wrong with a configuration's parameters, in its wording ("Parameter id N
 * (label) ..."; FortiFlex's own texts are not published, these are INFERRED); empty when valid.
 */
export function parameterProblems(product: SimProduct, given: readonly GivenParameter[]): string[] {
  const problems: string[] = [];
  const valuesById = new Map<number, string[]>();
  for (const entry of given) {
    const parameter = product.parameters.find((p) => p.id === entry.id);
    if (!parameter) problems.push(`Parameter id ${entry.id} does not belong to product type ${product.name} (allowed ids: ${settableIds(product)})`);
    else if (parameter.rule.kind === "reported") problems.push(`${subject(parameter)} is reported by FortiFlex and cannot be set`);
    else valuesById.set(entry.id, [...(valuesById.get(entry.id) ?? []), entry.value]);
  }
  for (const parameter of product.parameters) {
    if (parameter.rule.kind === "reported") continue;
    const values = valuesById.get(parameter.id);
    if (values) problems.push(...valuesProblems(parameter, values));
    else if (parameter.required) problems.push(`${subject(parameter)} is required for ${product.name}`);
  }
  problems.push(...combinationProblems(product, valuesById));
  return problems;
}

/** The parameters stored for a valid request: what was given, then the defaults of what was not, each with its name. */
export function withDefaults(product: SimProduct, given: readonly GivenParameter[]): GivenParameter[] {
  const omitted = product.parameters.filter((p) => p.default !== undefined && !given.some((g) => g.id === p.id));
  return [...given, ...omitted.map((p) => ({ id: p.id, value: p.default! }))];
}

function settableIds(product: SimProduct): string {
  return product.parameters
    .filter((p) => p.rule.kind !== "reported")
    .map((p) => p.id)
    .join(", ");
}

function subject(parameter: SimParameter): string {
  return `Parameter id ${parameter.id} (${parameter.attribute.replace(/_/g, " ")})`;
}

function valuesProblems(parameter: SimParameter, values: string[]): string[] {
  if (parameter.rule.kind !== "many" && values.length > 1) return [`${subject(parameter)} takes one value, got ${values.length}`];
  const problems = values.map((v) => valueProblem(parameter, v)).filter((p): p is string => p !== undefined);
  if (parameter.rule.kind === "many" && values.length > 1 && values.includes("NONE"))
    problems.push(`${subject(parameter)}: "NONE" cannot be combined with other values`);
  return problems;
}

function valueProblem(parameter: SimParameter, value: string): string | undefined {
  const rule = parameter.rule;
  const what = subject(parameter);
  switch (rule.kind) {
    case "count": {
      const allowed = `${rule.orZero ? "0 or " : ""}${rule.min}-${rule.max}${rule.step ? `, a multiple of ${rule.step}` : ""}`;
      const n = Number(value);
      // FortiFlex writes numbers back as plain digits: "02" would come back as "2".
      if (!/^(0|-?[1-9]\d*)$/.test(value) || !Number.isSafeInteger(n))
        return `${what} value "${value}" is not an integer in plain digits (allowed: ${allowed})`;
      if (n === 0 && rule.orZero) return undefined;
      if (n < rule.min || n > rule.max) return `${what} value ${n} is out of range (allowed: ${allowed})`;
      if (rule.step && n % rule.step !== 0) return `${what} value ${n} must be a multiple of ${rule.step} (allowed: ${allowed})`;
      return undefined;
    }
    case "model":
      return rule.codes.includes(value) ? undefined : `${what} value "${value}" is not a valid ${parameter.attribute.replace(/_/g, " ")}`;
    case "one":
    case "many": {
      const allowed = rule.kind === "many" ? [...rule.codes, "NONE"] : rule.codes;
      const retired = parameter.retired?.[value];
      if (retired !== undefined) return `${what} value "${value}" (${retired}) is no longer available (allowed: ${allowed.join(", ")})`;
      return allowed.includes(value) ? undefined : `${what} value "${value}" is not allowed (allowed: ${allowed.join(", ")})`;
    }
    default:
      return undefined;
  }
}

/** Rules across parameters: VDOMs per vCPU on FortiGate VMs (section 10), the WAF package with the WAF service (4.2). */
function combinationProblems(product: SimProduct, valuesById: Map<number, string[]>): string[] {
  const first = (id: number) => valuesById.get(id)?.[0];
  const vdoms = { 1: [1, 10], 4: [6, 11] }[product.id as 1 | 4];
  if (vdoms) {
    const [cpu, vdom] = [Number(first(vdoms[0])), Number(first(vdoms[1]) ?? "0")];
    if (Number.isInteger(cpu) && Number.isInteger(vdom) && cpu >= 1 && vdom > vdomCeiling(cpu)) {
      const parameter = product.parameters.find((p) => p.id === vdoms[1])!;
      return [`${subject(parameter)} value ${vdom} exceeds the maximum of ${vdomCeiling(cpu)} for ${cpu} CPU(s)`];
    }
  }
  if (product.id === 211 && valuesById.get(82)?.includes("UCWAF") && [undefined, "NONE"].includes(first(83))) {
    return [`${subject(product.parameters.find((p) => p.id === 83)!)} is required when parameter id 82 includes UCWAF`];
  }
  return [];
}
