import * as crypto from "node:crypto";
import { TerraformElement, TerraformResource, TerraformStack, type TerraformDataSource } from "cdktf";

/** Logical ids given so far in each stack, with the construct path that has each. */
const given = new WeakMap<TerraformStack, Map<string, string>>();

/** cdktf's hash suffix: `_` and 8 upper-case hex digits of the path's MD5. */
const HASH_SUFFIX = /_[0-9A-F]{8}$/;

/**
 * Names a step or data source of the library for people: its Terraform address is its construct path as
 * cdktf writes it (`FortiGate_Entitlement_Settings`), without the hash cdktf appends to keep addresses unique
 * whatever the ids. Uniqueness is checked here instead: two elements of a stack whose paths give one name fail
 * the synth with both paths named. A resource gets a `moved` block from the hashed address it had in earlier
 * versions (`previousId` when its construct id changed too; `index` when it now has a count), so a running
 * stack keeps it: Terraform moves the state entry and plans no create or destroy.
 */
export function nameForPeople(element: TerraformResource | TerraformDataSource, moved: { previousId?: string; index?: number } = {}): void {
  const stack = TerraformStack.of(element);
  const hashed = stack.getLogicalId(element);
  const name = readableLogicalId(element);
  const key = `${element.terraformResourceType}.${name}`;
  let names = given.get(stack);
  if (!names) given.set(stack, (names = new Map()));
  const other = names.get(key);
  if (other !== undefined) {
    throw new Error(
      `${element.node.path}: its Terraform address ${key} is already that of ${other} (construct ids joined with "_" meet); ` +
        "give one of the two constructs another id",
    );
  }
  names.set(key, element.node.path);
  element.overrideLogicalId(name);
  const from = moved.previousId ?? hashed;
  if (TerraformResource.isTerraformResource(element) && (from !== name || moved.index !== undefined)) {
    new MovedBlock(element, "MovedFrom", `${element.terraformResourceType}.${from}`, element, moved.index);
  }
}

/** An element's construct path as cdktf writes it into an address, without the hash. */
export function readableLogicalId(element: TerraformElement): string {
  return TerraformStack.of(element).getLogicalId(element).replace(HASH_SUFFIX, "");
}

/** cdktf's logical id of a construct path below the stack whose components hold no dupes or "Resource"/"Default" parts. */
export function hashedLogicalId(components: readonly string[]): string {
  const hash = crypto.createHash("md5").update(components.join("/")).digest("hex").slice(0, 8).toUpperCase();
  return `${components.map((c) => c.replace(/[^A-Za-z0-9_-]/g, "")).join("_")}_${hash}`;
}

/**
 * A `moved` block (`from` an old address to a resource of the stack, at `index` when it has a count). cdktf's
 * own (`moveFromId`) cannot name an index.
 */
class MovedBlock extends TerraformElement {
  constructor(
    scope: TerraformResource,
    id: string,
    private readonly from: string,
    private readonly to: TerraformResource,
    private readonly index?: number,
  ) {
    super(scope, id);
  }

  toTerraform(): Record<string, unknown> {
    const to = `${this.to.terraformResourceType}.${this.to.friendlyUniqueId}${this.index === undefined ? "" : `[${this.index}]`}`;
    return { moved: [{ from: this.from, to }] };
  }
}
