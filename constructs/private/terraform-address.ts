import { dependable, Lazy, TerraformDataSource, TerraformResource, type ITerraformDependable } from "cdktf";

/**
 * A resource's or data source's address (`type.name`, `data.type.name`), as `depends_on` and
 * `replace_triggered_by` want it. Read at synth, so a logical id overridden after construction counts.
 * cdktf would write a resource given to `replace_triggered_by` as "${type.name}", which Terraform refuses
 * ("Invalid expression").
 */
export function terraformAddress(element: TerraformResource | TerraformDataSource): string {
  return Lazy.stringValue({ produce: () => addressNow(element) });
}

function addressNow(element: TerraformResource | TerraformDataSource): string {
  const address = `${element.terraformResourceType}.${element.friendlyUniqueId}`;
  return TerraformDataSource.isTerraformDataSource(element) ? `data.${address}` : address;
}

/** Dependencies added to each element, written at synth. */
const added = new WeakMap<TerraformResource | TerraformDataSource, ITerraformDependable[]>();

/**
 * Adds dependencies to a resource or data source, keeping those it has. One token per element, not one
 * per dependency as `dependsOn` makes: each token costs a full stack trace in CDKTF.
 */
export function addDependencies(element: TerraformResource | TerraformDataSource, dependencies: readonly ITerraformDependable[]): void {
  if (!dependencies.length) return;
  let list = added.get(element);
  if (!list) {
    const mine: ITerraformDependable[] = [];
    const before = element.dependsOn ?? [];
    added.set(element, (list = mine));
    element.dependsOn = Lazy.listValue({
      produce: () => [
        ...before,
        ...mine.map((d) => (TerraformResource.isTerraformResource(d) || TerraformDataSource.isTerraformDataSource(d) ? addressNow(d) : dependable(d))),
      ],
    });
  }
  list.push(...dependencies);
}
