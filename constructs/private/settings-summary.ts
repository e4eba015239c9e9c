import { parameterById, type ParameterValue } from "../../contract/product-catalog";

/**
 * What a settings step says of itself in a plan (its `in_place` trigger), in FortiFlex terms: Terraform can only
 * show a changed setting as the step's replacement, so the step tells the reviewer that nothing is created,
 * stopped or rebuilt, and names the settings in words.
 */
export function configurationSettingsSummary(name: string, productTypeId: number, parameters: readonly ParameterValue[]): string {
  const byLabel = new Map<string, string[]>();
  for (const p of parameters) {
    const label = parameterById(p.id, productTypeId)?.label ?? `parameter ${p.id}`;
    byLabel.set(label, [...(byLabel.get(label) ?? []), p.value]);
  }
  const words = [...byLabel].map(([label, values]) => `${label} ${values.join(" ")}`).join(", ");
  // Quoted: a name is the user's text, and must not read as more of the sentence.
  return `settings applied in place (nothing is created, stopped or rebuilt): name ${JSON.stringify(name)}; ${words}`;
}

/** The same for an entitlement, whose status is a setting: STOPPED stops it in place. */
export function entitlementSettingsSummary(status: string): string {
  return status === "STOPPED"
    ? "settings applied in place (nothing is created or rebuilt); status STOPPED stops the entitlement"
    : `settings applied in place (nothing is created, stopped or rebuilt); status ${status}`;
}
