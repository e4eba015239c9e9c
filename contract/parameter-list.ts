import type { ParameterValue } from "./product-catalog";

/**
 * Parameters travel as "id=value" pairs joined by commas (list parameters repeat their id), which keeps
 * them readable in Terraform plans: "1=2,2=UTP,10=0,43=NONE".
 */
export function formatParameters(parameters: readonly ParameterValue[]): string {
  return parameters.map((p) => `${p.id}=${p.value}`).join(",");
}

export function parseParameters(text: string): ParameterValue[] {
  if (!text) return [];
  return text.split(",").map((pair) => {
    const m = /^(\d+)=([^,=]+)$/.exec(pair.trim());
    if (!m) throw new Error(`parameter "${pair}" is not in the form id=value`);
    return { id: Number(m[1]), value: m[2] };
  });
}
