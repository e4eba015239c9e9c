import { dependable, TerraformDataSource, TerraformResource, type ITerraformDependable } from "cdktf";

/**
 * A resource's or data source's address (`type.name`, `data.type.name`), as `depends_on` and
 * `replace_triggered_by` want it. Written as text at construction: each `dependable()` is a token, and
 * tokens cost a full stack trace each in CDKTF. cdktf would also write a resource given to
 * `replace_triggered_by` as "${type.name}", which Terraform refuses ("Invalid expression").
 */
export function terraformAddress(element: TerraformResource | TerraformDataSource): string {
  const address = `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  return TerraformDataSource.isTerraformDataSource(element) ? `data.${address}` : address;
}

/** `depends_on` entries: plain addresses for resources and data sources, a token for anything else. */
export function dependencyAddresses(dependencies: readonly ITerraformDependable[]): string[] {
  return dependencies.map((d) => (TerraformResource.isTerraformResource(d) || TerraformDataSource.isTerraformDataSource(d) ? terraformAddress(d) : dependable(d)));
}

/** Adds dependencies to a resource or data source after construction, keeping those it has. */
export function addDependencies(element: TerraformResource | TerraformDataSource, dependencies: readonly ITerraformDependable[]): void {
  if (dependencies.length) element.dependsOn = [...(element.dependsOn ?? []), ...dependencyAddresses(dependencies)];
}
